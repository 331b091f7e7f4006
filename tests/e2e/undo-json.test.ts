// An undo in JSON: what it took back is data (`undoes`), and the change it took back says so
// (`undone`), in log --json and show --json alike; the export's history stays the record.
import { describe, expect, it } from 'vitest';
import { rectify, tempDirsPerTest } from '../helpers/cli.js';

const dir = tempDirsPerTest();

describe('undo in JSON', () => {
  it('names what it took back, and marks what was taken back, in log and show', () => {
    const cwd = dir();
    expect(rectify(['init'], { cwd }).code).toBe(0);
    expect(rectify(['done', 'M1.1'], { cwd }).code).toBe(0);
    expect(rectify(['undo'], { cwd }).code).toBe(0);
    const log = JSON.parse(rectify(['log', '--json'], { cwd }).stdout);
    expect(log[0]).toMatchObject({ action: 'undo', item: 'M1.1', undoes: { item: 'M1.1', action: 'done', by: 'tester' } });
    expect(log[0].undoes.at).toBe(log[1].at);
    expect(log[1]).toMatchObject({ action: 'done', undone: true });
    expect(log[2].undone).toBeUndefined();
    const show = JSON.parse(rectify(['show', 'M1.1', '--json'], { cwd }).stdout);
    expect(show.history.at(-1)).toMatchObject({ action: 'undo', undoes: { action: 'done' } });
    expect(show.history.at(-2)).toMatchObject({ action: 'done', undone: true });
    const exported = JSON.parse(rectify(['export', '--format', 'json'], { cwd }).stdout);
    const history = exported.measures[0].items[0].history;
    expect(history.at(-1).undoes).toBeUndefined();
  });
});
