// A JSON Lines seed's items read again for import (commands/seedfile.ts, seedItems): the
// file was checked whole before, so its item ids are not gathered again; a file changed
// since is refused instead.
import { utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileStamp, seedItems } from '../../src/commands/seedfile.js';
import { RectifyError } from '../../src/errors.js';
import { tempDirsPerTest } from '../helpers/cli.js';

const dirs = tempDirsPerTest();

const seed = (items: string[]) => [
  { kind: 'rectify', version: 1 },
  { kind: 'report', title: '报告' },
  { kind: 'area', id: 'A1', name: '领域' },
  { kind: 'problem', id: 'P1', area: 'A1', title: '问题' },
  { kind: 'measure', id: 'M1', title: '措施' },
  ...items.map((id) => ({ kind: 'item', id, measure: 'M1', title: '事项', addresses: ['P1'] })),
].map((r) => JSON.stringify(r)).join('\n') + '\n';

async function ids(path: string, stamp: Awaited<ReturnType<typeof fileStamp>>): Promise<string[]> {
  const out: string[] = [];
  for await (const { item } of seedItems(path, 'seed.jsonl', stamp)) out.push(item.id);
  return out;
}

describe('a seed read again for its items', () => {
  it('hands out the items of the file it was stamped from', async () => {
    const path = join(dirs(), 'seed.jsonl');
    writeFileSync(path, seed(['M1.1', 'M1.2']));
    expect(await ids(path, await fileStamp(path))).toEqual(['M1.1', 'M1.2']);
  });

  it('is refused when the file changed after it was checked, whatever its size', async () => {
    const path = join(dirs(), 'seed.jsonl');
    writeFileSync(path, seed(['M1.1', 'M1.2']));
    const stamp = await fileStamp(path);
    // The same size, another content (a repeated id the first reading never saw), another time.
    writeFileSync(path, seed(['M1.1', 'M1.1']));
    utimesSync(path, new Date(), new Date(Date.now() + 5000));
    const e = await ids(path, stamp).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RectifyError);
    expect((e as RectifyError).key).toBe('seedfile.changed');
    expect((e as RectifyError).exit).toBe(2);
  });

  it('is refused without a stamp (the file could not be stamped before it was read)', async () => {
    const path = join(dirs(), 'seed.jsonl');
    writeFileSync(path, seed(['M1.1']));
    await expect(ids(path, null)).rejects.toMatchObject({ key: 'seedfile.changed' });
  });
});
