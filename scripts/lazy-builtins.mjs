// esbuild plugins for the ES module output of scripts/build.mjs.
import { builtinModules } from 'node:module';

const BUILTIN = new Set(builtinModules);
const isBuiltin = (path) => path.startsWith('node:') || BUILTIN.has(path);

// Node's modules, imported as ES modules, are loaded whole: importing anything from node:fs
// reads every export of fs, `promises` and the streams with them (fs/promises, readline,
// stream: milliseconds of a short command). Required, as CommonJS does, only what is used is
// loaded. So each `import … from 'node:x'` in the bundle becomes a require() (the banner of
// scripts/build.mjs gives each chunk its require).
export const requireBuiltins = {
  name: 'require-builtins',
  setup(build) {
    build.onResolve({ filter: /^[a-z_:/0-9-]+$/ }, (args) => {
      if (args.kind !== 'import-statement' || /[\\/]node_modules[\\/]commander[\\/]/.test(args.importer)) return undefined;
      if (isBuiltin(args.path)) return { path: `node:${args.path.replace(/^node:/, '')}`, namespace: 'as-required' };
      return undefined;
    });
    build.onLoad({ filter: /.*/, namespace: 'as-required' }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(args.path)});`,
      loader: 'js',
      resolveDir: build.initialOptions.absWorkingDir,
    }));
  },
};

// commander requires node:child_process at its load, for running subcommands as separate
// programs, which rectify never does; loading it (and the networking modules it pulls in)
// costs a short command several milliseconds, so commander gets a stand-in that loads the real
// module on first use.
export const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(build) {
    build.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      /[\\/]node_modules[\\/]commander[\\/]/.test(args.importer) ? { path: 'child_process', namespace: 'lazy-builtin' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, () => ({
      contents: `module.exports = new Proxy({}, { get: (_, key) => require('node:child_process')[key] });`,
      loader: 'js',
    }));
  },
};

// The PostgreSQL driver (postgres.js) requires tls, crypto and perf_hooks at its load: Node's
// TLS and OpenSSL bindings, which cost a command on a server more than the rest of its start
// (measured: `node -e "require('net')"` 95 M instructions, with tls, crypto and perf_hooks
// 200 M). It uses tls only to connect with sslmode, crypto only to log in with a password
// (SCRAM, md5), perf_hooks only to time a wait before reconnecting. So scripts/build.mjs
// bundles the driver into dist/postgres.cjs with stand-ins that load each on first use.
export const lazyDriverBuiltins = {
  name: 'lazy-driver-builtins',
  setup(build) {
    build.onResolve({ filter: /^(node:)?(tls|crypto|perf_hooks)$/ }, (args) =>
      /[\\/]node_modules[\\/]postgres[\\/]/.test(args.importer) ? { path: args.path.replace(/^node:/, ''), namespace: 'lazy-driver-builtin' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'lazy-driver-builtin' }, (args) => ({
      // The driver destructures perf_hooks at its load ({ performance }) and calls only
      // performance.now(), to time a wait before reconnecting: the process's own monotonic
      // clock serves. tls and crypto are used only as tls.connect(), crypto.x().
      contents: args.path === 'perf_hooks'
        ? 'module.exports = { performance: { now: () => process.uptime() * 1000 } };'
        : `module.exports = new Proxy({}, { get: (_, key) => require(${JSON.stringify(`node:${args.path}`)})[key] });`,
      loader: 'js',
    }));
  },
};
