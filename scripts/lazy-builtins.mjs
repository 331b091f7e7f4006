// An esbuild plugin: commander requires node:child_process at load, for running
// subcommands as separate programs, which rectify never does. Loading it (and the
// networking modules it pulls in) costs a short command several milliseconds, so
// commander gets a stand-in that loads the real module on first use.
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
