// Reading a seed file for init and import: refused whole, with every issue listed.
import { existsSync, promises as fsp } from 'node:fs';
import { join, relative, isAbsolute } from 'node:path';
import type { Seed } from '../core/types.js';
import { EXIT, RectifyError } from '../errors.js';
import { t } from '../i18n/index.js';
import { cleanInline } from '../ui/text.js';

/** The seed of the report that ships with rectify: data/seed.yaml beside dist/ in the
 *  bundle, two levels up when the sources run unbundled (under the test runner). */
export function bundledSeedPath(): string {
  const bundled = join(__dirname, '..', 'data', 'seed.yaml');
  const fromSource = join(__dirname, '..', '..', 'data', 'seed.yaml');
  return existsSync(bundled) || !existsSync(fromSource) ? bundled : fromSource;
}

/** A path as the user would like to read it: relative to where they stand, when inside. */
export function displayPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

export async function readSeed(path: string, shownAs: string): Promise<Seed> {
  let bytes: Uint8Array;
  try {
    bytes = await fsp.readFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new RectifyError('seedfile.missing', { file: cleanInline(shownAs) }, { exit: EXIT.notFound });
    if (code === 'EISDIR') throw new RectifyError('seedfile.isDir', { file: cleanInline(shownAs) }, { exit: EXIT.badInput });
    throw new RectifyError('seedfile.unreadable', { file: cleanInline(shownAs), reason: String(code ?? e) }, { exit: EXIT.badInput });
  }
  const { loadSeed } = await import('../core/seed.js');
  const result = loadSeed(bytes);
  if (result.ok) return result.seed;
  const file = cleanInline(shownAs);
  const details = result.issues.map((i) => `${file}:${i.line}:${i.column}: ${cleanInline(t(i.key, i.params))}`);
  throw new RectifyError('seedfile.refused', { file, count: result.issues.length }, { exit: EXIT.badInput, details, hint: 'hint.seedFormat' });
}
