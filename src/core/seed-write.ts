// Writing a Seed back as seed YAML (used by `rectify export --format yaml`). Hand-rolled rather
// than yaml's stringify so that the output is stable and reads like the bundled seed: ids,
// dates and terms plain, text double-quoted, text of several lines as a literal block.
import type { Seed } from './types.js';
import { DEFAULT_TERM } from './vocab.js';

/** Serialises a Seed to seed YAML that loadSeed accepts and that yields an equal Seed. */
export function seedToYaml(seed: Seed): string {
  const out: string[] = ['version: 1', 'report:'];
  out.push('  title: ' + text(seed.report.title, 2));
  if (seed.report.unit !== null) out.push('  unit: ' + text(seed.report.unit, 2));
  if (seed.report.date !== null) out.push('  date: ' + date(seed.report.date));

  out.push('', 'areas:');
  for (const area of seed.areas) {
    out.push('  - id: ' + id(area.id));
    out.push('    name: ' + text(area.name, 4));
    out.push('    problems:');
    for (const p of area.problems) {
      out.push('      - id: ' + id(p.id));
      out.push('        title: ' + text(p.title, 8));
      if (p.detail !== null) out.push('        detail: ' + text(p.detail, 8));
    }
  }

  if (seed.causes.length > 0) {
    out.push('', 'causes:');
    for (const c of seed.causes) {
      out.push('  - id: ' + id(c.id));
      out.push('    title: ' + text(c.title, 4));
      if (c.detail !== null) out.push('    detail: ' + text(c.detail, 4));
    }
  }

  out.push('', 'measures:');
  for (const m of seed.measures) {
    // A ledger's measure may have lost its items (rm, edit --measure); a seed's measure needs
    // one, so such a measure is left out, and the seed still loads (the dump keeps it).
    if (m.items.length === 0) continue;
    out.push('  - id: ' + id(m.id));
    out.push('    title: ' + text(m.title, 4));
    if (m.detail !== null) out.push('    detail: ' + text(m.detail, 4));
    out.push('    items:');
    for (const it of m.items) {
      out.push('      - id: ' + id(it.id));
      out.push('        title: ' + text(it.title, 8));
      if (it.detail !== null) out.push('        detail: ' + text(it.detail, 8));
      if (it.addresses.length > 0) out.push('        addresses: [' + it.addresses.map(id).join(', ') + ']');
      if (it.owner !== null) out.push('        owner: ' + text(it.owner, 8));
      if (it.department !== null) out.push('        department: ' + text(it.department, 8));
      if (it.due !== null) out.push('        due: ' + date(it.due));
      if (it.term !== DEFAULT_TERM) out.push('        term: ' + it.term);
    }
  }
  return out.join('\n') + '\n';
}

const PLAIN_ID = /^[A-Za-z][A-Za-z0-9._-]*$/;
/** Words that some YAML reader would take for a boolean or null rather than text. */
const YAML_WORDS = /^(?:y|n|yes|no|on|off|true|false|null)$/i;

function id(s: string): string {
  return PLAIN_ID.test(s) && !YAML_WORDS.test(s) ? s : quote(s);
}

function date(s: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(s) ? s : quote(s);
}

/** Characters that must be escaped in double quotes, or that we escape to keep them visible:
 *  controls, BOM, line and paragraph separators, lone surrogates. */
const ESCAPE = /["\\\t\n\u0000-\u001f\u007f-\u009f\ufeff\u2028\u2029\ud800-\udfff]/gu;
/** What a literal block may hold besides plain characters: tabs and line feeds. */
const NOT_IN_BLOCK = /[\r\u0000-\u0008\u000b-\u001f\u007f-\u009f\ufeff\u2028\u2029\ud800-\udfff]/u;

/** Text after `key: `, for a key indented by `indent` spaces. */
function text(s: string, indent: number): string {
  if (s.includes('\n') && blockable(s)) {
    const pad = ' '.repeat(indent + 2);
    return '|-\n' + s.split('\n').map((line) => (line === '' ? '' : pad + line)).join('\n');
  }
  return quote(s);
}

/** A literal block keeps the text exactly when it neither starts nor ends with white space
 *  (the first line sets the indentation; `|-` drops trailing blank lines) and holds nothing
 *  that would need an escape. Text from loadSeed is trimmed, so only the escapes decide. */
function blockable(s: string): boolean {
  return s.trim() === s && !NOT_IN_BLOCK.test(s);
}

function quote(s: string): string {
  return '"' + s.replace(ESCAPE, escapeChar) + '"';
}

function escapeChar(ch: string): string {
  switch (ch) {
    case '"': return '\\"';
    case '\\': return '\\\\';
    case '\t': return '\\t';
    case '\n': return '\\n';
  }
  return '\\u' + (ch.codePointAt(0) as number).toString(16).padStart(4, '0');
}
