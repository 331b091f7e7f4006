// esbuild plugins for the ES module output of scripts/build.mjs.
import { builtinModules } from 'node:module';

const BUILTIN = new Set(builtinModules);
const isBuiltin = (path) => path.startsWith('node:') || BUILTIN.has(path);

/** External CommonJS packages the bundle imports statically. */
const COMMONJS = new Set(['better-sqlite3']);

// Node's modules, imported as ES modules, are loaded whole: importing anything from node:fs
// reads every export of fs, `promises` and the streams with them (fs/promises, readline,
// stream: milliseconds of a short command). Required, as CommonJS does, only what is used is
// loaded. A CommonJS package imported as an ES module is first scanned for its exports (Node
// loads its CommonJS lexer for that); required, it is not. So each `import … from 'node:x'`
// or from better-sqlite3 in the bundle becomes a require() (the banner of scripts/build.mjs
// gives each chunk its require).
export const requireBuiltins = {
  name: 'require-builtins',
  setup(build) {
    build.onResolve({ filter: /^[a-z_:/0-9-]+$/ }, (args) => {
      if (args.kind !== 'import-statement' || /[\\/]node_modules[\\/]commander[\\/]/.test(args.importer)) return undefined;
      if (isBuiltin(args.path)) return { path: `node:${args.path.replace(/^node:/, '')}`, namespace: 'as-required' };
      if (COMMONJS.has(args.path)) return { path: args.path, namespace: 'as-required' };
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
