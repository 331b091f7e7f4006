#!/usr/bin/env node
'use strict';
// Runs the bundle (dist/rectify.cjs) from compiled code kept between runs, which takes a fifth
// off a short command's start:
// - Node 22 and later: Node's own compile cache (module.enableCompileCache), kept in
//   dist/.compile-cache; Node checks each entry against the source's content.
// - Node 20: V8's code cache in dist/rectify.cjs.cache (made by the build, remade here when
//   missing or stale). V8 itself checks only the source's length, so the file starts with a
//   digest of the bundle it was made from (and the bundle file's stamp, which spares computing
//   the digest while nothing has written to the file): a bundle edited in place, even to the
//   same length, never runs with code compiled from the old one.
// The cache is written only into dist/ and only when this user may write there (a global
// install by root is read by others: they run without writing anything), and a cache that
// cannot be read or written is simply not used. RECTIFY_NO_CODE_CACHE=1 turns it off.
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');
const vm = require('node:vm');

const file = path.join(__dirname, '..', 'dist', 'rectify.cjs');
const dist = path.dirname(file);
const cacheFile = file + '.cache';

// import() does not work in code V8 restored from its cache (Node 20); the bundle loads its
// ES modules through this one, which is ordinary code.
globalThis.rectifyImport = (id) => import(id);

function writable(dir) {
  try {
    fs.accessSync(dir, fs.constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

function nodeCompileCache() {
  if (typeof Module.enableCompileCache !== 'function') return false;
  if (writable(dist)) {
    try {
      Module.enableCompileCache(path.join(dist, '.compile-cache'));
    } catch {
      /* run without it */
    }
  }
  require(file);
  return true;
}

/** A digest of the bundle's bytes, to key the cache on its content: two 32-bit multiply-xor
 *  lanes over its 4-byte words and the length. Not a cryptographic hash (nobody forges a
 *  bundle to fool a cache of their own machine), but any edit, even of the same length, changes
 *  it; and it takes a millisecond where loading node:crypto to hash with SHA-256 took five. */
function digest(bytes) {
  const aligned = bytes.byteOffset % 4 === 0 ? bytes : Buffer.from(bytes);
  const words = aligned.length >>> 2;
  const view = new Int32Array(aligned.buffer, aligned.byteOffset, words);
  let a = 0x811c9dc5 | 0;
  let b = 0x01000193 ^ aligned.length;
  for (let i = 0; i < words; i++) {
    const w = view[i];
    a = Math.imul(a ^ w, 0x01000193);
    b = Math.imul(b ^ w, 0x5bd1e995) ^ (b >>> 15);
  }
  for (let i = words * 4; i < aligned.length; i++) {
    a = Math.imul(a ^ aligned[i], 0x01000193);
    b = Math.imul(b ^ aligned[i], 0x5bd1e995);
  }
  return `${(a >>> 0).toString(16).padStart(8, '0')}${(b >>> 0).toString(16).padStart(8, '0')}-${aligned.length}`;
}

/** What a file's metadata says of its identity: any write changes its ctime. */
function stamp(st) {
  return `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;
}

function runWithCodeCache() {
  const dynamicImport = vm.constants && vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER;
  if (!dynamicImport) return false;
  // The cache file starts with a line: the bundle's digest, then the stamp of the bundle file
  // it was checked against. While the bundle's stamp is unchanged, nothing has written to it
  // since (a write moves its ctime), so the digest needs no computing; otherwise it is
  // computed and must match.
  const source = fs.readFileSync(file, 'utf8');
  const now = stamp(fs.statSync(file));
  let cachedData;
  let restamp = false; // the same bundle under a new stamp (copied, touched): write the new one
  try {
    const raw = fs.readFileSync(cacheFile);
    const eol = raw.indexOf(10);
    if (eol > 0 && eol < 512) {
      const [key, seen] = raw.subarray(0, eol).toString('latin1').split(' ');
      if (seen === now || key === digest(Buffer.from(source, 'utf8'))) {
        cachedData = raw.subarray(eol + 1);
        restamp = seen !== now;
      }
    }
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(Module.wrap(source), { filename: file, cachedData, importModuleDynamically: dynamicImport });
  if ((cachedData === undefined || script.cachedDataRejected || restamp) && writable(dist)) {
    // Written at exit, so that it holds the code this run compiled, not only the top level.
    process.once('exit', () => {
      const tmp = `${cacheFile}.${process.pid}.tmp`;
      try {
        const header = Buffer.from(`${digest(Buffer.from(source, 'utf8'))} ${now}\n`, 'latin1');
        fs.writeFileSync(tmp, Buffer.concat([header, script.createCachedData()]), { mode: 0o644 });
        fs.renameSync(tmp, cacheFile);
      } catch {
        try { fs.rmSync(tmp, { force: true }); } catch { /* nothing to clean */ }
      }
    });
  }
  const mod = new Module(file, module);
  mod.filename = file;
  mod.paths = Module._nodeModulePaths(dist);
  script.runInThisContext().call(mod.exports, mod.exports, Module.createRequire(file), mod, file, dist);
  return true;
}

function run() {
  if (process.env.RECTIFY_NO_CODE_CACHE === '1') return false;
  return nodeCompileCache() || runWithCodeCache();
}

if (!run()) require(file);
