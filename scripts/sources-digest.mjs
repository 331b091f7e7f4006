// Is dist/ the bundle of the sources as they are now? The build (scripts/build.mjs) turns
// src/, with bin/, scripts/ and the locked dependencies, into dist/rectify.cjs, and then
// writes dist/.sources: a digest of those inputs and a digest of the bundle it made. dist/ is
// fresh when both still match: an edited source, a rebase, a switch of branch, or a bundle
// rebuilt from other sources since (even one as new as the sources, which a comparison of
// times would let through) all make it stale. The test setup (tests/helpers/global-setup.ts)
// rebuilds a stale dist/ before any test runs.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const BUNDLE = join('dist', 'rectify.cjs');
const STAMP = join('dist', '.sources');
/** What the bundle is built from. */
const INPUTS = ['src', 'bin', 'scripts', 'package.json', 'package-lock.json'];

function files(root, path) {
  const full = join(root, path);
  if (!existsSync(full)) return [];
  if (!statSync(full).isDirectory()) return [path];
  return readdirSync(full).sort().flatMap((name) => files(root, join(path, name)));
}

/** One digest of every input's path and bytes. */
export function sourcesDigest(root) {
  const h = createHash('sha256');
  for (const f of INPUTS.flatMap((p) => files(root, p))) h.update(f).update('\0').update(readFileSync(join(root, f))).update('\0');
  return h.digest('hex');
}

function bundleDigest(root) {
  return createHash('sha256').update(readFileSync(join(root, BUNDLE))).digest('hex');
}

/** 'fresh', or why not, in words for the one line the test setup prints. */
export function bundleState(root) {
  if (!existsSync(join(root, BUNDLE))) return 'has no bundle';
  if (!existsSync(join(root, STAMP))) return 'has no record of the sources it was built from';
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(join(root, STAMP), 'utf8'));
  } catch {
    return 'has an unreadable stamp';
  }
  if (stamp.bundle !== bundleDigest(root)) return 'holds a bundle built since by something else';
  if (stamp.sources !== sourcesDigest(root)) return 'is older than its sources';
  return 'fresh';
}

/** Records that dist/ was just built from the sources as they are. */
export function stampBundle(root) {
  writeFileSync(join(root, STAMP), `${JSON.stringify({ sources: sourcesDigest(root), bundle: bundleDigest(root) })}\n`);
}
