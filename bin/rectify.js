#!/usr/bin/env node
'use strict';
// Runs the bundle (dist/rectify.cjs) with Node's own compile cache (module.enableCompileCache,
// Node 22 and later), kept in dist/.compile-cache:
// Node checks each entry against its module's source, so a rebuilt bundle never runs with code
// compiled from the old one. The cache is used only where this user may write into dist/ (a
// global install by root is read by others: they run without it, and write nothing).
// RECTIFY_NO_CODE_CACHE=1 turns it off.
const fs = require('node:fs');

// Node 22.16 and later (package.json "engines"): a ledger file is read with Node's own SQLite
// (node:sqlite), which has what rectify uses from 22.16 on. An older Node is told so in one
// line, in the user's language, before anything is loaded.
const node = process.versions.node;
const [major, minor] = node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 16)) {
  const zh = /^zh/i.test(process.env.LC_ALL || process.env.LC_MESSAGES || process.env.LANG || '');
  process.stderr.write(zh
    ? `rectify: 需要 Node.js 22.16 或更高版本，当前为 ${node}\n提示：安装 Node.js 22 或 24 后再试（见 README 的 Set up 一节）\n`
    : `rectify: needs Node.js 22.16 or later; this is Node.js ${node}\nhint: install Node.js 22 or 24 (README, "Set up")\n`);
  process.exit(1);
}

// `rectify --version` alone (what scripts and installers ask) is answered here, from
// package.json, without reading the bundle (reading it is most of a short command's start).
// Any other argv with it goes through the bundle's commander, which says the same.
const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  try {
    fs.writeSync(1, `${require('../package.json').version}\n`);
  } catch (e) {
    if (e.code !== 'EPIPE') throw e;
  }
} else {
  start();
}

function start() {
  const path = require('node:path');
  const Module = require('node:module');
  const dist = path.join(__dirname, '..', 'dist');
  if (process.env.RECTIFY_NO_CODE_CACHE !== '1' && typeof Module.enableCompileCache === 'function' && writable(dist)) {
    try {
      Module.enableCompileCache(path.join(dist, '.compile-cache'));
    } catch {
      /* run without it */
    }
  }
  require(path.join(dist, 'rectify.cjs'));
}

function writable(dir) {
  try {
    fs.accessSync(dir, fs.constants.W_OK);
    return true;
  } catch {
    return false;
  }
}
