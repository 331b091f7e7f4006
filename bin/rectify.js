#!/usr/bin/env node
'use strict';
// Runs the bundle (dist/rectify.cjs) with V8's code cache: the bundle's compiled code is
// kept in dist/rectify.cjs.cache (made by the build, remade here when V8 rejects it, e.g.
// after an upgrade of Node), which takes a fifth off a short command's start. Anything
// unusual (no cache, a folder we may not write to, an old Node) falls back to require().
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');
const vm = require('node:vm');

const file = path.join(__dirname, '..', 'dist', 'rectify.cjs');
const cacheFile = file + '.cache';

function runWithCache() {
  const dynamicImport = vm.constants && vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER;
  if (!dynamicImport || process.env.RECTIFY_NO_CODE_CACHE === '1') return false;
  let cachedData;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const source = fs.readFileSync(file, 'utf8');
  const script = new vm.Script(Module.wrap(source), { filename: file, cachedData, importModuleDynamically: dynamicImport });
  if (cachedData === undefined || script.cachedDataRejected) {
    // Written at exit, so that it holds the code this run compiled, not only the top level.
    process.once('exit', () => {
      const tmp = `${cacheFile}.${process.pid}.tmp`;
      try {
        fs.writeFileSync(tmp, script.createCachedData());
        fs.renameSync(tmp, cacheFile);
      } catch {
        try { fs.rmSync(tmp, { force: true }); } catch { /* nothing to clean */ }
      }
    });
  }
  // import() does not work in code V8 restored from its cache (Node 20); the bundle loads
  // its ES modules through this one, which is ordinary code.
  globalThis.rectifyImport = (id) => import(id);
  const mod = new Module(file, module);
  mod.filename = file;
  mod.paths = Module._nodeModulePaths(path.dirname(file));
  script.runInThisContext().call(mod.exports, mod.exports, Module.createRequire(file), mod, file, path.dirname(file));
  return true;
}

if (!runWithCache()) require(file);
