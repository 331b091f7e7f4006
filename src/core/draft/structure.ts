// The outline of a report: headings numbered 一、 （一） 1. （1） ① (or Markdown #), nested in
// the order the document first uses them, each with the paragraphs under it.

export interface Node {
  /** The numbering style: 'part' 第一部分, 'cn' 一、, 'pcn' （一）, 'num' 1., 'pnum' （1）, 'circ' ①, 'md2' ##. */
  style: string;
  /** The heading's text after its number: a title, perhaps followed by text. */
  text: string;
  /** The heading's paragraph as written, number included. */
  line: string;
  /** Paragraphs under the heading, before its first sub-heading. */
  body: string[];
  children: Node[];
}

const MARKERS: { style: string; re: RegExp }[] = [
  { style: 'part', re: /^第([一二三四五六七八九十]{1,3})(?:部分|章|节)\s*[、，,.:：]?\s*/ },
  { style: 'cn', re: /^([一二三四五六七八九十]{1,3})\s*[、，,.]\s*/ },
  { style: 'pcn', re: /^[（(]\s*([一二三四五六七八九十]{1,3})\s*[）)]\s*[、，,.]?\s*/ },
  { style: 'num', re: /^(\d{1,2})\s*(?:[.、](?!\d)|\s+)\s*/ },
  { style: 'rnum', re: /^(\d{1,2})\s*[)）]\s*/ },
  { style: 'pnum', re: /^[（(]\s*(\d{1,2})\s*[）)]\s*[、，,.]?\s*/ },
  { style: 'circ', re: /^([①-⑳])\s*[、，,.]?\s*/ },
];

/** A paragraph's numbering style and the text after it, or null for body text. */
export function headingOf(line: string): { style: string; text: string } | null {
  const md = /^(#{1,6})\s+(.*)$/.exec(line);
  if (md) {
    const inner = headingOf(md[2] as string);
    return inner ?? { style: 'md' + (md[1] as string).length, text: (md[2] as string).trim() };
  }
  for (const { style, re } of MARKERS) {
    const m = re.exec(line);
    if (m && line.length > m[0].length) return { style, text: line.slice(m[0].length).trim() };
  }
  return null;
}

/** The outline: a root whose body is the text before the first heading. Paragraphs whose
 *  index is in `plain` are text even when numbered (the points of a labelled record). */
export function outline(paras: string[], plain: ReadonlySet<number> = new Set()): Node {
  const root: Node = { style: 'root', text: '', line: '', body: [], children: [] };
  const stack: Node[] = [root];
  for (const [i, p] of paras.entries()) {
    const h = plain.has(i) ? null : headingOf(p.replace(/^[-*+]\s+/, ''));
    if (h === null) {
      (stack[stack.length - 1] as Node).body.push(p.replace(/^[-*+]\s+/, ''));
      continue;
    }
    const node: Node = { style: h.style, text: h.text, line: p, body: [], children: [] };
    // A style already open is a sibling of that heading; a new style nests under the current one.
    const open = stack.findIndex((n) => n.style === h.style);
    if (open > 0) stack.length = open;
    (stack[stack.length - 1] as Node).children.push(node);
    stack.push(node);
  }
  return root;
}

/** All the text of a node below its heading line: body and sub-headings, as paragraphs. */
export function flatText(node: Node): string[] {
  const out = [...node.body];
  for (const c of node.children) out.push(c.line, ...flatText(c));
  return out;
}
