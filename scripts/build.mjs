// Builds the CLI into dist/rectify.cjs: one CommonJS file that bin/rectify.js runs with Node's
// own compile cache (Node 22 and later). Every `await import()` of the project's own modules
// (a command, a store, a renderer, a language's catalogue) is inlined, but as a module that is
// initialised only when first imported: a command runs its own code and a single catalogue;
// the rest of the file is read (about 0.6 MB) and, with the cache, never compiled.
// Chosen by measurement (bench/startup.mjs, README "Speed and memory") over ES modules split
// into chunks loaded on demand (`--format esm` builds that: each chunk a file that Node reads,
// checks against its cache and links; a short command loads about 25 of them, and took more
// CPU time than the one file).
// A ledger file is Node's own SQLite (node:sqlite). The libraries only some commands need stay
// external (yaml, @inquirer/prompts, exceljs, docx, mammoth, jieba, nodemailer), so that commands which
// never touch them never parse them. The PostgreSQL driver is a file of its own,
// dist/postgres.cjs, with its TLS and crypto loaded on first use (lazyDriverBuiltins).
//   node scripts/build.mjs [--outdir dist] [--format cjs|esm] [--no-warm]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { build } from 'esbuild';
import { lazyChildProcess, lazyDriverBuiltins, requireBuiltins } from './lazy-builtins.mjs';
import { stampBundle } from './sources-digest.mjs';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const root = resolve(import.meta.dirname, '..');
const outdir = resolve(root, arg('--outdir', 'dist'));

// Chunks of an earlier build (their names carry a content hash) and its compile cache go.
rmSync(outdir, { recursive: true, force: true });
const cjs = arg('--format', 'cjs') === 'cjs';

// Each language's catalogue goes into the bundle as one JSON text that JSON.parse reads, not
// as the object literals and spreads of src/i18n/{en,zh}.ts: V8 reads JSON faster than it runs
// a literal of a thousand keys (measured: README "Speed and memory"). The catalogues are
// evaluated here, from the sources, as they are. `--literal-catalogues` leaves them as code.
const catalogueJson = {
  name: 'catalogue-json',
  setup(b) {
    if (process.argv.includes('--literal-catalogues')) return;
    b.onLoad({ filter: /[\\/]src[\\/]i18n[\\/](en|zh)\.ts$/ }, async (args) => {
      const lang = /(en|zh)\.ts$/.exec(args.path)[1];
      const out = await build({ entryPoints: [args.path], bundle: true, write: false, format: 'esm', platform: 'node', logLevel: 'warning' });
      const mod = await import(`data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString('base64')}`);
      return { contents: `export const ${lang} = JSON.parse(${JSON.stringify(JSON.stringify(mod[lang]))});`, loader: 'js' };
    });
  },
};

// The PostgreSQL driver, a file of its own (dist/postgres.cjs) that the bundle requires when
// a command opens a ledger on a server: built with stand-ins for the Node modules it needs
// only for TLS or a password (lazyDriverBuiltins).
const driver = {
  name: 'driver-file',
  setup(b) {
    b.onResolve({ filter: /^postgres$/ }, () => ({ path: './postgres.cjs', external: true }));
  },
};
if (cjs) {
  await build({
    absWorkingDir: root,
    // The driver's CommonJS build (the package's "import" condition names its ES modules).
    entryPoints: { postgres: 'node_modules/postgres/cjs/src/index.js' },
    outdir,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    outExtension: { '.js': '.cjs' },
    plugins: [lazyDriverBuiltins],
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
}

const { metafile } = await build({
  metafile: true,
  absWorkingDir: root,
  entryPoints: { rectify: 'src/main.ts' },
  outdir,
  bundle: true,
  platform: 'node',
  target: 'node22',
  ...(cjs
    ? { format: 'cjs', outExtension: { '.js': '.cjs' }, plugins: [lazyChildProcess, catalogueJson, driver] }
    : {
        format: 'esm',
        splitting: true,
        outExtension: { '.js': '.mjs' },
        chunkNames: '[name]-[hash]',
        // What CommonJS code in the bundle (commander) and the lazy require() of node:tty
        // expect. The chunks all lie in dist/, so __dirname (the bundled seed's folder) is theirs.
        banner: { js: "import{createRequire as __rectifyRequire}from'node:module';const require=__rectifyRequire(import.meta.url);" },
        define: { __dirname: 'import.meta.dirname' },
        plugins: [lazyChildProcess, requireBuiltins, catalogueJson],
      }),
  external: ['yaml', '@inquirer/prompts', 'postgres', 'pg', 'exceljs', 'docx', 'mammoth', '@node-rs/jieba', 'nodemailer'],
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  logLevel: 'warning',
});
// Only ASCII: esbuild escapes what is not in strings, but leaves the Chinese of regular
// expressions as it is; one such character makes Node decode the whole file as UTF-8 and V8
// hold it as a two-byte string. Escaped (\\uXXXX means the same in a regular expression), the
// file is read as Latin-1. `--utf8` leaves it.
if (!process.argv.includes('--utf8')) {
  for (const file of Object.keys(metafile.outputs).filter((f) => /\.(c|m)?js$/.test(f))) {
    const path = resolve(root, file);
    const text = readFileSync(path, 'utf8');
    const ascii = text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    if (ascii !== text) writeFileSync(path, ascii);
  }
}

// The compile cache is this machine's (its entries are keyed on the files' paths and the
// Node release): never packed (npm pack, npm install -g of a tarball).
writeFileSync(join(outdir, '.npmignore'), '.compile-cache\n');

if (!cjs) {
  // bin/rectify.js requires dist/rectify.cjs: here, a stand-in that imports the ES modules.
  writeFileSync(join(outdir, 'rectify.cjs'), "'use strict';\nimport(require('node:url').pathToFileURL(require('node:path').join(__dirname, 'rectify.mjs')).href);\n");
  // Which sources each file holds (dist/chunks.json), to tell why a chunk is loaded.
  const chunks = {};
  for (const [file, out] of Object.entries(metafile.outputs)) chunks[relative(outdir, resolve(root, file))] = Object.keys(out.inputs).sort();
  writeFileSync(join(outdir, 'chunks.json'), JSON.stringify(chunks, null, 1) + '\n');
}

// Node's compile cache (dist/.compile-cache), made by a short command as a user's first run
// would make it: `status` on a throwaway ledger of the bundled report.
if (!process.argv.includes('--no-warm')) {
  const dir = mkdtempSync(join(tmpdir(), 'rectify-build-'));
  try {
    const env = { ...process.env, RECTIFY_DB: join(dir, 'warm.db'), LANG: 'C', NO_COLOR: '1' };
    const bin = join(root, 'bin', 'rectify.js');
    execFileSync(process.execPath, [bin, 'init'], { env, stdio: 'ignore' });
    execFileSync(process.execPath, [bin, 'status'], { env, stdio: 'ignore' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// What dist/ was built from (dist/.sources): the tests run only against a bundle of the
// sources as they are, and rebuild it otherwise (scripts/sources-digest.mjs).
if (outdir === resolve(root, 'dist')) stampBundle(root);
