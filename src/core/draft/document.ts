// A report as text (plain, Markdown, or the paragraphs of a Word document) drafted into a
// seed: its sections of problems, causes and measures found by their headings, the rest
// (总体要求, 保障措施, the closing 以上…请批评指正) left out.
import type { ReportInfo } from '../types.js';
import { DraftBuilder } from './builder.js';
import { ownReport } from './own.js';
import { dateLine, yearOf } from './dates.js';
import { addField, extractFields, PROBLEM_LABEL, splitLabels, type Fields } from './fields.js';
import { answeredAreas, bigrams, causeProblems, LINK_RULE, suggestLinks, type LinkRule, type Tokenize } from './link.js';
import { flatText, headingOf, outline, type Node } from './structure.js';
import { areaRefs, problemRefs, withoutLeadingRef } from './refs.js';
import { paragraphs, quotedProblem, splitBulleted, splitEnumeration, splitNumbered, splitTitle, stripEnd, unitOf } from './text.js';
import { DRAFT_LIMITS, type DraftContext, type DraftResult } from './types.js';

type Kind = 'problems' | 'causes' | 'measures' | 'duties' | 'skip';

const SKIP = /总体要求|指导思想|工作目标|目标任务|基本原则|保障措施|组织保障|组织领导|工作要求|有关要求|工作安排|时间安排|步骤安排|方法步骤|基本情况|整改情况|进展情况|工作成效|成效|落实情况/;
const CAUSES = /原因|根源|根子/;
const MEASURES = /整改|措施|举措|打算|努力方向|改进方向|今后|下一步/;
const PROBLEMS = /问题|不足|差距|短板|查摆/;

/** What a section holds, from its heading's words. */
export function sectionKind(heading: string): Kind | null {
  const h = splitTitle(heading).title;
  // 整改措施及整改情况, 下一步整改措施: measures, whatever else the heading names; the 任务清单
  // of a 三张清单 (问题清单, 任务清单, 责任清单) too.
  if (/整改措施|整改任务|整改举措|任务清单/.test(h) && !/保障措施/.test(h)) return 'measures';
  // Its 责任清单: each task's owner, unit and date, by the task's number (任务1：责任领导：…).
  if (/责任清单/.test(h)) return 'duties';
  if (SKIP.test(h)) return 'skip';
  // 存在的问题及原因: problems first, their causes with them.
  if (/问题(?:及|和|与|以及)(?:其)?(?:产生的?)?(?:原因|根源)/.test(h)) return 'problems';
  // 剖析 alone names causes (原因剖析), but 检视剖析问题 is a section of problems.
  if (CAUSES.test(h) || (/剖析/.test(h) && !PROBLEMS.test(h))) return 'causes';
  if (MEASURES.test(h)) return 'measures';
  if (PROBLEMS.test(h)) return 'problems';
  return null;
}

/** The closing paragraph (以上…请批评指正) and what follows it: signatures, dates. */
const CLOSING = /^以上.*(?:批评指正|指正|审议|汇报|报告|发言)|请.{0,12}批评指正/;

export interface TextOptions {
  /** How link suggestions cut text into words (default: character bigrams). */
  tokenize?: Tokenize;
  /** The thresholds of a link (default LINK_RULE; the link figures' test tries others). */
  rule?: LinkRule;
  /** Whether an item's measure (its title and introduction) counts as the item's words. */
  withMeasure?: boolean;
  /** Whether a problem's detail counts as the problem's words (else its area and title). */
  problemDetail?: boolean;
}

export function draftFromText(text: string, ctx: DraftContext, opts: TextOptions = {}): DraftResult {
  // rectify's own progress report (rectify report) gives back the ledger it came from.
  const own = ownReport(text, ctx);
  if (own !== null) return own;
  let paras = paragraphs(text);
  if (paras.length > DRAFT_LIMITS.paragraphs) return { ok: false, reason: 'draft.tooLong', limit: DRAFT_LIMITS.paragraphs };
  // A Markdown title (# …) without a number is the report's title, not a section.
  if (paras.length > 0 && /^#\s/.test(paras[0] as string) && headingOf((paras[0] as string).replace(/^#\s+/, '')) === null) {
    paras[0] = (paras[0] as string).replace(/^#\s+/, '');
  }
  // The report's own date: a line that is nothing else. It goes into report.date.
  let date: string | null = null;
  paras = paras.filter((p) => {
    const d = dateLine(p);
    if (d !== null && date === null) date = d;
    return d === null;
  });
  const close = paras.findIndex((p, i) => i >= paras.length - 6 && CLOSING.test(p));
  if (close > 0) paras = paras.slice(0, close);
  // A signature at the end (the unit's name, short, no punctuation) belongs to no item.
  for (let k = 0; k < 3 && paras.length > 1 && isSignature(paras[paras.length - 1] as string); k++) paras.pop();
  if (paras.length === 0) return { ok: false, reason: 'draft.noStructure' };

  paras = numberedRecords(paras);
  const root = outline(paras, recordLines(paras));
  const yearFound = yearOf(date, paras.join('\n'));
  const b = new DraftBuilder(yearFound !== null ? { value: yearFound, guessed: false } : { value: ctx.fallbackYear, guessed: true });
  const report = reportInfo(root.body, paras, date, ctx, b);

  const sections: { kind: Kind; node: Node }[] = [];
  const walk = (nodes: Node[]) => {
    for (const n of nodes) {
      const kind = sectionKind(n.text);
      if (kind !== null) sections.push({ kind, node: n });
      else walk(n.children);
    }
  };
  walk(root.children);
  // No section says 问题, but one comes before the causes or measures (一、对照检查情况):
  // the first such section that holds anything is the problems.
  if (!sections.some((x) => x.kind === 'problems')) {
    const firstOther = root.children.findIndex((n) => sections.some((x) => x.node === n && x.kind !== 'skip'));
    const before = root.children.slice(0, firstOther < 0 ? 0 : firstOther).filter((n) => sectionKind(n.text) === null && (n.children.length > 0 || n.body.length > 0));
    if (before.length > 0) sections.unshift({ kind: 'problems', node: before[0] as Node });
  }

  // The labelled form of a 整改方案: 问题1：… 整改措施：… 责任领导：…, wherever it stands: in
  // sections, or a flat 整改清单 with no section heading at all.
  const inSections = sections.some((s) => (s.kind !== 'skip' || reportsOnProblems(s.node)) && s.kind !== 'causes' && s.kind !== 'duties' && hasLabels(s.node));
  const labelled = inSections || hasLabels(root);
  const duties = dutiesOf(sections.filter((s) => s.kind === 'duties').map((s) => s.node));
  const task = { n: 0 };
  for (const { kind, node } of sections) {
    if (kind === 'duties') continue;
    if (kind === 'problems' && !labelled) problemsSection(node, b);
    else if (kind === 'causes') causesSection(node, b);
    else if (kind === 'measures' && !labelled) measuresSection(node, b, duties, task);
    else if (inSections && (kind !== 'skip' || reportsOnProblems(node))) labelledSection(node, b, ctx.defaultArea);
  }
  if (labelled && !inSections) labelledSection(root, b, ctx.defaultArea);
  if (b.problems.length === 0) {
    return { ok: false, reason: sections.length === 0 && b.measures.length === 0 ? 'draft.noStructure' : 'draft.noProblems' };
  }
  if (b.measures.every((m) => m.items.length === 0)) return { ok: false, reason: 'draft.noMeasures', problems: b.problems.length };
  const tooMany = b.tooMany();
  if (tooMany !== null) return tooMany;
  if (!labelled) suggest(b, opts.tokenize ?? bigrams, opts.rule ?? LINK_RULE, opts.withMeasure ?? false, opts.problemDetail ?? true);
  return { ok: true, draft: b.finish(report) };
}

/** The unit's name or a date under the text; a labelled field (【时限】2025年第四季度, a
 *  record's last line) is none. */
function isSignature(p: string): boolean {
  return p.length <= 30 && !/[。；;，,：:！？!?【】[\]]/.test(p) && headingOf(p) === null && splitLabels(p).values.length === 0;
}

/** A section of the 整改情况报告 that reports on the problems one by one (二、审计发现问题的
 *  整改情况, 巡察反馈问题整改落实情况): skipped by its heading's 整改情况, read when it holds
 *  labelled records (关于…的问题 / 整改措施： / 整改情况：). */
function reportsOnProblems(node: Node): boolean {
  return /问题/.test(node.text) && sectionKind(node.text) === 'skip';
}

function hasLabels(node: Node): boolean {
  if (node.style !== 'root' && sectionKind(node.text) === 'skip' && !reportsOnProblems(node)) return false;
  return node.body.some((p) => PROBLEM_LABEL.test(p)) || node.children.some(hasLabels);
}

/** A section's or an area's word closing a line with no sentence in it: 二、整改措施,
 *  三、下一步工作打算, （二）作风建设方面. A measure that speaks of 整改 or 落实情况 (1.建立
 *  整改台账；, 2.定期通报整改落实情况。, 3.完善整改制度) is none. */
const SECTION_END = /(?:措施|举措|任务|打算|方向|问题|不足|差距|短板|原因|根源|分析|剖析|要求|原则|思想|目标|保障|安排|步骤|情况|成效|方面)$/;

function namesSection(text: string): boolean {
  const t = text.replace(/[：:]\s*$/, '');
  if (/[。；;，,]/.test(t) || !SECTION_END.test(t)) return false;
  return sectionKind(t) !== null || (t.length <= 30 && /(?:方面|问题)$/.test(t));
}

/** A record's measure label after a sentence: …。整改措施：… */
const INLINE_MEASURE = /[。；;！？!?]\s*[【\[]?\s*(?:整改措施|整改举措|整改任务)\s*(?:[】\]]\s*[：:]?|[：:])/;

/** A record's measure label at the start of a line: 整改措施：…, 【整改措施】…. */
const MEASURE_LABEL = /^[【\[]?\s*(?:整改措施|整改举措|整改任务)\s*(?:[】\]]\s*[：:]?|[：:])/;

/** A problem numbered as a heading (1.河湖长制落实不到位。…) and followed, before any other
 *  heading, by its 整改措施： (or with it on its line, after the problem's sentence) is a
 *  labelled record: the 巡察整改方案's 一、（一）1.（1） form, where each problem is written with
 *  its measures and fields. Written as 问题N：… so that the record reader takes it as it
 *  takes 问题1：. */
function numberedRecords(paras: string[]): string[] {
  let n = 0;
  return paras.map((p, i) => {
    const h = headingOf(p.replace(/^[-*+]\s+/, ''));
    if (h === null || h.style.startsWith('md') || h.style === 'part') return p;
    // 三、整改措施, （二）保障措施, （一）作风建设方面: a section or an area, not a problem (one that
    // ends in 问题 or names a 短板 is one).
    // A heading whose words name a section only as part of a problem's sentence (（三）节约型机关
    // 创建成效不明显。…, followed by its 整改措施：) is a problem.
    const kind = sectionKind(h.text);
    if ((kind !== null && kind !== 'problems' && (kind === 'measures' || namesSection(h.text) || !(followedByMeasure(paras, i) || INLINE_MEASURE.test(h.text)))) || /方面[：:]?$/.test(stripEnd(h.text))) return p;
    // Its measure on the same line, after the problem's sentence (1.会议偏多。整改措施：…).
    if (INLINE_MEASURE.test(h.text)) return `问题${++n}：${h.text}`;
    for (let j = i + 1; j < paras.length && j <= i + 4; j++) {
      const q = paras[j] as string;
      if (MEASURE_LABEL.test(q)) return `问题${++n}：${h.text}`;
      if (headingOf(q) !== null || PROBLEM_LABEL.test(q)) break;
    }
    return p;
  });
}

/** Whether a 整改措施： label follows the heading at `i` before any other heading. */
function followedByMeasure(paras: string[], i: number): boolean {
  for (let j = i + 1; j < paras.length && j <= i + 4; j++) {
    const q = paras[j] as string;
    if (MEASURE_LABEL.test(q)) return true;
    if (headingOf(q) !== null || PROBLEM_LABEL.test(q)) return false;
  }
  return false;
}

/** The numbered lines inside labelled records (整改措施： then 1.… 2.… on lines of their own):
 *  text of the record, not headings. A numbering style the document used before its first
 *  record, a heading that names a section or an area (…方面), ends the record. */
function recordLines(paras: string[]): Set<number> {
  const plain = new Set<number>();
  const structural = new Set<string>();
  let inRecord = false;
  paras.forEach((p, i) => {
    if (PROBLEM_LABEL.test(p)) {
      inRecord = true;
      return;
    }
    const h = headingOf(p.replace(/^[-*+]\s+/, ''));
    if (h === null) return;
    const named = namesSection(h.text);
    if (!inRecord || structural.has(h.style) || named || h.style.startsWith('md')) {
      if (!inRecord) structural.add(h.style);
      inRecord = false;
      return;
    }
    plain.add(i);
  });
  return plain;
}

// ---- The report's title, unit and date ------------------------------------------------

const TITLE_WORDS = /材料|方案|报告|台账|清单|发言|提纲|意见/;

/** The report's title line: among the first three paragraphs, one short line without
 *  punctuation that names a genre (材料, 方案, 报告, 台账…). */
export function reportTitleLine(preamble: string[]): string | null {
  const line = preamble.slice(0, 3).find((p) => p.length <= 60 && !/[。；;，,]/.test(p) && TITLE_WORDS.test(p) && headingOf(p) === null);
  return line === undefined ? null : line.replace(/^[《<]|[》>]$/g, '');
}

function reportInfo(preamble: string[], paras: string[], date: string | null, ctx: DraftContext, b: DraftBuilder): ReportInfo {
  let title = reportTitleLine(preamble);
  let unit: string | null = null;
  if (title !== null) {
    unit = unitOf(title);
    if (unit !== null) {
      b.guess(['report', 'unit'], 'other', 'draft.guess.unit', { from: title });
    }
  } else {
    const all = paras.slice(0, 5).join('\n');
    const u = /代表\s*(.{2,20}?(?:领导班子|党委|党组|党支部|班子))/.exec(all);
    if (u) {
      unit = u[1] as string;
      b.guess(['report', 'unit'], 'other', 'draft.guess.unit', { from: u[0] });
    }
    const genre = /整改方案/.test(all) ? '整改方案' : /台账/.test(all) ? '整改台账' : /对照检查|对照自查|检视剖析|查摆/.test(all) ? '对照检查材料' : null;
    if (genre !== null) {
      title = (unit ?? '') + genre;
      b.guess(['report', 'title'], 'other', 'draft.guess.title', { title });
    } else {
      title = ctx.name;
      b.guess(['report', 'title'], 'other', 'draft.guess.titleFromFile', { file: ctx.name });
    }
  }
  return { title, unit, date };
}

// ---- Sections ---------------------------------------------------------------------------

/** The text of a heading and all under it, for splitting into title and detail. */
function whole(node: Node): string {
  return [node.text, ...flatText(node)].join('\n');
}

/** The first sentence as the title, the rest as the detail; a heading line with no full stop
 *  is a title of its own. */
/** A problem's title and detail: as titled, or the words quoted in 针对“…”的问题. */
function problemTitled(text: string): { title: string; detail: string | null } {
  const nl = text.indexOf('\n');
  const q = quotedProblem(nl < 0 ? text : text.slice(0, nl));
  if (q === null) return titled(text);
  const rest = [q.detail, nl < 0 ? null : text.slice(nl + 1).trim()].filter((x) => x !== null && x !== '').join('\n');
  return { title: q.title, detail: rest === '' ? null : rest };
}

function titled(text: string): { title: string; detail: string | null } {
  const nl = text.indexOf('\n');
  const head = nl < 0 ? text : text.slice(0, nl);
  const { title, detail } = splitTitle(head);
  const rest = [detail, nl < 0 ? null : text.slice(nl + 1).trim()].filter((x) => x !== null && x !== '').join('\n');
  return { title: stripEnd(title), detail: rest === '' ? null : rest };
}

/** A heading that groups (一是…二是…, or sub-headings) rather than states: short, one phrase;
 *  or an area named in a short first sentence (（一）理论学习方面：一是…二是…). Returns the
 *  group's name and the text of its parts, or null. */
function asGroup(node: Node): { name: string; text: string } | null {
  const body = node.body.join('\n');
  if (node.text.length <= 30 && !/[。；;]/.test(node.text)) {
    if (node.children.length > 0 || splitEnumeration(body) !== null || splitNumbered(body) !== null) return { name: node.text, text: body };
    // （三）廉洁自律方面, then one paragraph: an area of one problem.
    if (/方面$/.test(stripEnd(node.text)) && body !== '') return { name: node.text, text: body };
    return null;
  }
  const { title, detail } = splitTitle(node.text);
  const rest = [detail ?? '', body].filter((x) => x !== '').join('\n');
  if (title.length <= 20 && /方面$/.test(title) && node.children.length === 0 && rest !== '') return { name: title, text: rest };
  return null;
}

/** The parts under a node: its sub-headings, else its enumeration, else its paragraphs. */
function parts(node: Node, text: string): { intro: string; parts: string[] } {
  if (node.children.length > 0) return { intro: text, parts: node.children.map(whole) };
  const e = splitEnumeration(text);
  if (e) return e;
  const n = splitNumbered(text) ?? splitBulleted(text);
  if (n) return { intro: '', parts: n };
  return { intro: '', parts: text.split('\n').filter((p) => p.trim() !== '') };
}

function areaName(heading: string): string {
  const n = stripEnd(splitTitle(heading).title)
    .replace(/^(?:在|关于)/, '')
    .replace(/(?:方面)?(?:存在的|存在|的)?(?:主要)?问题$/, '')
    .replace(/方面$/, '')
    .trim();
  return n === '' ? stripEnd(heading) : n;
}

function problemsSection(node: Node, b: DraftBuilder): void {
  let loose: number | null = null;
  const looseArea = () => (loose ??= b.area(areaName(node.text), stripEnd(node.text)));
  if (node.children.length === 0) {
    for (const p of parts(node, node.body.join('\n')).parts) b.problem(looseArea(), ...pair(problemTitled(p)));
    return;
  }
  for (const child of node.children) {
    const group = asGroup(child);
    if (group !== null) {
      const a = b.area(areaName(group.name));
      for (const p of parts(child, group.text).parts) b.problem(a, ...pair(problemTitled(p)));
    } else {
      b.problem(looseArea(), ...pair(problemTitled(whole(child))));
    }
  }
}

function pair(t: { title: string; detail: string | null }): [string, string | null] {
  return [t.title, t.detail];
}

function causesSection(node: Node, b: DraftBuilder): void {
  const list = node.children.length > 0 ? node.children.map(whole) : parts(node, node.body.join('\n')).parts;
  for (const c of list) b.cause(...pair(titled(c)));
}

/** The 责任清单 of a 三张清单: task number → the fields written for it (任务1：责任领导：刘洋；
 *  责任单位：镇纪委；完成时限：6月30日, or 1.责任领导：…). Lines with no number or no field are
 *  left out. */
function dutiesOf(nodes: Node[]): Map<number, Fields> {
  const out = new Map<number, Fields>();
  const lines = (n: Node): string[] => [n.text, ...n.body, ...n.children.flatMap(lines)];
  for (const line of nodes.flatMap((n) => [...n.body, ...n.children.flatMap(lines)])) {
    const m = /^(?:任务|第)?\s*(\d{1,3})\s*(?:项|条)?\s*[：:、.）)]\s*/.exec(line);
    if (!m) continue;
    const { before, values } = splitLabels(line.slice(m[0].length));
    if (before.trim() !== '') continue;
    const fields: Fields = { owner: null, department: null, helper: null, due: null, measure: null, detail: null };
    for (const v of values) addField(fields, v);
    if (fields.owner !== null || fields.department !== null || fields.due !== null) out.set(Number(m[1]), fields);
  }
  return out;
}

/** A section of measures. Its tasks are counted (task.n, across sections) so that a 责任清单's
 *  fields reach the task they are numbered for, under what the task writes itself. */
function measuresSection(node: Node, b: DraftBuilder, duties: Map<number, Fields> = new Map(), task = { n: 0 }): void {
  let loose: number | null = null;
  const looseMeasure = () => (loose ??= b.measure(stripEnd(splitTitle(node.text).title), null, stripEnd(node.text)));
  // A measure or an item that names the problems it answers (针对问题3, 关于…的问题) is linked
  // to them; an item that names none takes its measure's.
  const titles = b.problems.map((p) => p.title);
  // …and one that names an area (针对第一方面问题) to that area's problems.
  const ids = new Map(b.problems.map((p, k) => [p.id, k] as const));
  const areas = b.areas.map((a) => a.problems.map((p) => ids.get(p.id) as number));
  const refs = (text: string) => [...new Set([...problemRefs(text, titles), ...areaRefs(text, areas)])];
  const addItem = (m: number, text: string, heading: number[] = []) => {
    const { text: rest, fields } = extractFields(text);
    const duty = duties.get(task.n);
    const t = titled(withoutLeadingRef(rest));
    const named = refs(rest);
    const problems = named.length > 0 ? named : heading;
    b.item(m, {
      title: t.title, detail: t.detail, owner: fields.owner ?? duty?.owner ?? null, department: fields.department ?? duty?.department ?? null,
      dueText: fields.due ?? duty?.due ?? null, helper: fields.helper ?? duty?.helper ?? null, ...(problems.length > 0 ? { problems } : {}),
    });
  };
  if (node.children.length === 0) {
    for (const p of parts(node, node.body.join('\n')).parts) {
      task.n++;
      addItem(looseMeasure(), p);
    }
    return;
  }
  for (const child of node.children) {
    task.n++;
    const { title, detail } = titled([child.text, ...child.body].join('\n'));
    const sub = child.children.length > 0 ? { intro: detail ?? '', parts: child.children.map(whole) } : splitEnumeration(detail ?? '') ?? (detail ? { intro: '', parts: splitNumbered(detail) ?? [] } : null);
    if (sub !== null && sub.parts.length > 0) {
      const m = b.measure(title, sub.intro === '' ? null : sub.intro);
      const heading = refs(title + '\n' + sub.intro);
      for (const p of sub.parts) addItem(m, p, heading);
    } else {
      addItem(looseMeasure(), whole(child));
    }
  }
}

// ---- The labelled form: 问题1：… 整改措施：… 责任领导：… ------------------------------------

interface LabelledRecord {
  problem: string;
  detail: string[];
  measure: string[];
  target: string[];
  cause: string[];
  progress: string[];
  owner: string | null;
  department: string | null;
  helper: string | null;
  due: string | null;
}

/** The records under a node and its sub-headings, each sub-heading that holds records an area
 *  (a section that is skipped or holds causes is not entered). */
function labelledSection(node: Node, b: DraftBuilder, defaultArea: string): void {
  const visit = (n: Node, depth: number) => {
    if (depth > 0) {
      const kind = sectionKind(n.text);
      if (kind === 'skip' || kind === 'causes') return;
    }
    if (n.body.some((p) => PROBLEM_LABEL.test(p))) {
      const area = n.style === 'root' ? b.area(defaultArea, defaultArea) : depth === 0 ? b.area(areaName(n.text), stripEnd(n.text)) : b.area(areaName(n.text));
      for (const r of records(n.body)) addRecord(r, area, b);
    }
    for (const c of n.children) visit(c, depth + 1);
  };
  visit(node, 0);
}

function records(body: string[]): LabelledRecord[] {
  const out: LabelledRecord[] = [];
  let cur: LabelledRecord | null = null;
  let field: 'detail' | 'measure' | 'target' | 'cause' | 'progress' = 'detail';
  for (const p of body) {
    const m = PROBLEM_LABEL.exec(p);
    let line = p;
    if (m) {
      cur = { problem: '', detail: [], measure: [], target: [], cause: [], progress: [], owner: null, department: null, helper: null, due: null };
      out.push(cur);
      line = p.slice(m[0].length);
      field = 'detail';
    }
    if (cur === null) continue;
    const { before, values } = splitLabels(line, true);
    if (before.trim() !== '') {
      if (m) cur.problem = before.trim();
      else cur[field].push(before.trim());
    }
    for (const v of values) {
      const f = v.field;
      if (f === 'measure' || f === 'detail' || f === 'target' || f === 'cause' || f === 'progress') {
        field = f;
        if (v.value !== '') cur[f].push(v.value);
      } else if (f === 'problem') {
        cur.problem = v.value;
      } else if (f === 'text') {
        cur[field].push(v.value);
      } else {
        addField(cur, v);
      }
    }
    // A problem whose statement is on the next line (问题1：\n学习不够。).
    if (m && cur.problem === '' && values.length === 0) field = 'detail';
  }
  for (const r of out) {
    if (r.problem === '' && r.detail.length > 0) r.problem = r.detail.shift() as string;
  }
  return out.filter((r) => r.problem !== '');
}

function addRecord(r: LabelledRecord, area: number, b: DraftBuilder): void {
  // Fields in parentheses after the problem (（一）…不足。（责任领导：钟伟；完成时限：…）) are its
  // items', under what the record's own labelled lines say.
  const onProblem = extractFields(r.problem);
  r.owner ??= onProblem.fields.owner;
  r.department ??= onProblem.fields.department;
  r.due ??= onProblem.fields.due;
  if (onProblem.fields.helper !== null) r.helper = [r.helper, onProblem.fields.helper].filter((x) => x !== null).join('；');
  const t = problemTitled(onProblem.text);
  const detail = [t.detail, ...r.detail].filter((x): x is string => x !== null && x !== '').join('\n');
  const p = b.problem(area, t.title, detail === '' ? null : detail);
  if (r.cause.length > 0) b.cause(...pair(titled(r.cause.join('\n'))));
  if (r.measure.length === 0) return;
  const text = r.measure.join('\n');
  // What the report says was done (整改情况：…) stays with the measure.
  const m = b.measure(t.title, r.progress.length > 0 ? r.progress.join('\n') : null);
  // One numbered point alone (整改措施： then 1.… and nothing after it) is the point, not "1.…".
  const points = splitNumbered(text) ?? splitBulleted(text) ?? splitEnumeration(text)?.parts ?? [text.replace(/^(?:1[.、](?!\d)|[（(]1[）)]|①|1[）)])\s*/, '')];
  const owns = points.map((point) => extractFields(point));
  // Fields written once after the last of several points on one line (1.…；2.…。（责任人：局长；
  // 完成时限：…）) are the measure's: every point's, when no other point names its own. A point
  // on a line of its own keeps its parentheses to itself.
  const named = (f: Fields) => f.owner !== null || f.department !== null || f.due !== null || f.helper !== null;
  const last = owns[owns.length - 1] as { fields: Fields };
  const inline = owns.length > 1 && !text.trim().includes('\n');
  const shared = inline && named(last.fields) && owns.slice(0, -1).every((o) => !named(o.fields)) ? last.fields : null;
  for (const own of owns) {
    // A point may name its own owner, department or deadline: they come before the problem's.
    const f = shared ?? own.fields;
    const it = titled(own.text);
    b.item(m, {
      title: it.title, detail: it.detail, problems: [p],
      owner: f.owner ?? r.owner, department: f.department ?? r.department,
      dueText: f.due ?? r.due, helper: [f.helper, r.helper].filter((x) => x !== null).join('；') || null,
    });
  }
}

// ---- Links by similarity ------------------------------------------------------------------

function suggest(b: DraftBuilder, tokenize: Tokenize, rule: LinkRule, withMeasure: boolean, problemDetail: boolean): void {
  // A problem's area is part of what it is about (担当作为: 攻坚克难的劲头有所减弱).
  const areaOf = new Map(b.areas.flatMap((a) => a.problems.map((p) => [p.id, a.name] as const)));
  const problems = b.problems.map((p) => (areaOf.get(p.id) ?? '') + '\n' + p.title + (problemDetail ? '\n' + (p.detail ?? '') : ''));
  // The problems of the area each measure answers (by order or by its heading's words).
  const answered = answeredAreas(b.measures.map((m) => ({ title: m.title, intro: m.detail })), b.areas.map((a) => a.name), tokenize);
  const indexOf = new Map(b.problems.map((p, k) => [p.id, k] as const));
  const ownProblems = answered.map((as) => new Set(as.flatMap((a) => (b.areas[a] as { problems: { id: string }[] }).problems.map((p) => indexOf.get(p.id) as number))));
  // The problems each measure reaches through the causes it answers (原因剖析).
  const viaCauses = rule.cause > 0 ? causeProblems(b.measures.map((m) => ({ title: m.title, intro: m.detail })), b.causes, problems, tokenize) : [];
  const where: [number, number][] = [];
  const own: ReadonlySet<number>[] = [];
  const byCause: ReadonlySet<number>[] = [];
  const items: string[] = [];
  b.measures.forEach((m, i) =>
    m.items.forEach((it, j) => {
      if (it.addresses.length > 0) return;
      where.push([i, j]);
      own.push(ownProblems[i] as Set<number>);
      byCause.push(viaCauses[i] ?? new Set());
      // The measure's words belong to each of its items (（一）关于预算编制不够准确的问题: ①…).
      items.push((withMeasure ? m.title + '\n' + (m.detail ?? '') + '\n' : '') + it.title + '\n' + (it.detail ?? ''));
    }),
  );
  const links = suggestLinks(items, problems, tokenize, rule, own, byCause);
  links.forEach((found, k) => {
    const [i, j] = where[k] as [number, number];
    const item = b.measures[i]!.items[j]!;
    const path = ['measures', i, 'items', j, 'addresses'];
    if (found.length === 0) {
      b.guess(path, 'unlinked', 'draft.guess.unlinked', {});
      return;
    }
    item.addresses = found.map((f) => b.problems[f.index]!.id);
    b.guess(path, 'link', 'draft.guess.link', {
      links: found.map((f) => `${b.problems[f.index]!.id} ${f.score.toFixed(2)}`).join(', '),
    }, found.length);
  });
}
