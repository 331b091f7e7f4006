// A draft as seed YAML, each guess a comment on the line it concerns, written with the yaml
// library's Document API: ids, dates and terms plain, text double-quoted as in the bundled seed.
import { Document, isMap, isScalar, isSeq, Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import type { Draft, Guess } from './types.js';

const TEXT_KEYS = new Set(['title', 'name', 'detail', 'unit', 'owner', 'department']);

/** The seed as a plain object in the key order of the format, optional fields left out. */
function plain(d: Draft): unknown {
  const s = d.seed;
  const report: Record<string, unknown> = { title: s.report.title };
  if (s.report.unit !== null) report.unit = s.report.unit;
  if (s.report.date !== null) report.date = s.report.date;
  const opt = <T extends object>(o: T) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && !(Array.isArray(v) && v.length === 0)));
  const out: Record<string, unknown> = {
    version: 1,
    report,
    areas: s.areas.map((a) => ({ id: a.id, name: a.name, problems: a.problems.map((p) => opt({ id: p.id, title: p.title, detail: p.detail })) })),
  };
  if (s.causes.length > 0) out.causes = s.causes.map((c) => opt({ id: c.id, title: c.title, detail: c.detail }));
  out.measures = s.measures.map((m) => ({
    ...opt({ id: m.id, title: m.title, detail: m.detail }),
    items: m.items.map((i) =>
      opt({
        id: i.id, title: i.title, detail: i.detail, addresses: i.addresses, owner: i.owner, department: i.department, due: i.due,
        term: i.term === 'deadline' ? null : i.term,
      }),
    ),
  }));
  return out;
}

/** Quote text fields; keep sequences of ids on one line. */
function style(node: unknown, key: string | null): void {
  if (isMap(node)) {
    for (const pair of node.items) {
      const k = isScalar(pair.key) ? String(pair.key.value) : null;
      // Text of several paragraphs reads best as a literal block, as a person would write it.
      if (isScalar(pair.value) && k !== null && TEXT_KEYS.has(k)) {
        pair.value.type = String(pair.value.value).includes('\n') ? Scalar.BLOCK_LITERAL : Scalar.QUOTE_DOUBLE;
      }
      style(pair.value, k);
    }
  } else if (isSeq(node)) {
    if (key === 'addresses') node.flow = true;
    for (const n of node.items) style(n, null);
  }
}

/** Seed YAML for the draft; `comment` renders a guess in the user's language, and `header`
 *  is the comment at the top of the file. */
export function draftToYaml(d: Draft, comment: (g: Guess) => string, header: string[]): string {
  const doc = new Document(plain(d));
  style(doc.contents, null);
  for (const g of d.guesses) {
    const parent = doc.getIn(g.path.slice(0, -1), true) as YAMLMap | YAMLSeq | undefined;
    if (!isMap(parent)) continue;
    const key = g.path[g.path.length - 1] as string;
    // A guess about a value that is absent (an item left unlinked) goes on the item's title.
    const pair = parent.items.find((p) => isScalar(p.key) && p.key.value === key) ?? parent.items.find((p) => isScalar(p.key) && p.key.value === 'title');
    if (!pair || !isScalar(pair.key)) continue;
    const line = ' ' + comment(g);
    pair.key.commentBefore = pair.key.commentBefore ? pair.key.commentBefore + '\n' + line : line;
  }
  doc.commentBefore = header.map((h) => ' ' + h).join('\n');
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}
