// Labelled fields as 整改方案 and 台账 write them: 责任领导：王书记；责任单位：组织科；
// 整改时限：2025年6月30日前, on their own lines, in parentheses after an item, or with the label
// in brackets (【责任单位】组织科).
//
// What maps where (README, "Owners, departments, deadlines"):
// - owner: a person or a leader's post — 责任领导, 牵头领导, 分管领导, 包保领导, 督办领导,
//   主要责任人, 第一责任人, 具体责任人, 直接责任人, 责任人, 负责人, 牵头人, 联系领导;
//   when an item names several, the first one written (usually the leader) is the owner.
// - department: the unit that leads — 责任单位, 责任部门, 责任科室, 责任股室, 责任处室, 责任
//   主体, 牵头单位, 牵头部门, 牵头科室, 主责单位, 主责部门, 承办单位; the first one written.
// - helper: units that assist — 配合单位, 配合部门, 协办单位, 协同单位, 参与单位: not the
//   department, kept in the item's detail so that nothing written is lost.
// - due: 完成时限, 整改时限, 完成时间, 整改时间, 整改期限, 完成期限, 时限要求, 办结时限,
//   时间节点, 时限.
// A short field (owner, department, helper, due) ends at its separator (；;，,。）)) or at the next
// label, whatever that label is; a deadline also runs on over a comma (2024年底前，长期坚持).
// Long fields (整改措施, 问题表现…) run on to the next label.

import { findDate, termOf, termOfDue } from './dates.js';

export type FieldName = 'problem' | 'detail' | 'measure' | 'owner' | 'department' | 'helper' | 'due' | 'target' | 'cause' | 'progress';

const LABELS: { field: FieldName; words: string[] }[] = [
  { field: 'measure', words: ['整改措施', '整改任务', '整改举措', '具体措施', '主要措施', '工作措施', '整改要求', '措施'] },
  { field: 'target', words: ['整改目标', '目标要求', '预期目标', '整改标准'] },
  {
    field: 'owner',
    words: ['责任领导', '牵头领导', '分管领导', '包保领导', '督办领导', '联系领导', '责任校领导', '责任局领导', '主要责任人', '第一责任人', '具体责任人', '直接责任人', '责任人', '负责人', '牵头人'],
  },
  {
    field: 'department',
    words: ['责任单位', '责任部门', '责任科室', '责任股室', '责任处室', '责任科股', '责任主体', '牵头单位', '牵头部门', '牵头科室', '牵头处室', '主责单位', '主责部门', '承办单位', '落实单位'],
  },
  { field: 'helper', words: ['配合单位', '配合部门', '配合科室', '协办单位', '协办部门', '协同单位', '参与单位'] },
  { field: 'due', words: ['整改时限', '完成时限', '完成时间', '整改时间', '整改期限', '完成期限', '时限要求', '办结时限', '时间节点', '时限'] },
  { field: 'detail', words: ['问题表现', '具体表现', '主要表现', '问题描述', '表现'] },
  // A record's cause (存在问题：… 原因分析：… 整改措施：…, the 对照检查材料 written problem by problem).
  // What a 整改情况报告 says was done: kept with the record's measure.
  { field: 'progress', words: ['整改情况', '整改进展', '进展情况', '完成情况', '落实情况', '整改成效', '整改结果'] },
  { field: 'cause', words: ['原因分析', '原因剖析', '产生原因', '问题原因', '根源剖析', '根源分析', '剖析原因', '原因'] },
];

/** The labels of a field (a 台账's column headed by one of them holds that field). */
export function labelWords(field: FieldName): string[] {
  return LABELS.filter((l) => l.field === field).flatMap((l) => l.words);
}

const ALL = LABELS.flatMap((l) => l.words).sort((a, b) => b.length - a.length);
const FIELD_OF = new Map(LABELS.flatMap((l) => l.words.map((w) => [w, l.field] as const)));
/** A word in parentheses a label may carry: 责任单位（部门）：, 完成时限(节点)： (or the same
 *  masked, when the text's parentheses are). */
const QUALIFIER = '[（(][^（）()：:，,；;。]{1,6}[）)]|\\u0001{3,8}';
/** A label (perhaps written with 整改 before it: 整改责任人, 整改完成时限) at the start of the
 *  text or after a separator, followed by a colon, or in brackets (【责任单位】, [责任人]) with or without one. */
const LABEL = new RegExp(`(^|[；;，,。\\s（(】\\]]|(?=[【\\[]))(?:([【\\[])\\s*(?:整改)?(${ALL.join('|')})\\s*[】\\]]\\s*[：:]?|(?:整改)?(${ALL.join('|')})\\s*(?:${QUALIFIER})?\\s*[：:])`, 'g');

/** 办公室牵头，各股室配合 / 办公室牵头 (the unit that leads, then those that assist, if written). */
const SHARED = /^\s*([^；;，,。、\s]{1,30}?)\s*牵头(?:\s*[，,、]?\s*([^；;。\s]{1,60}?)\s*(?:配合|协助|协办|参与))?(?=\s*(?:[；;。，,）)\s]|$))/;

/** Fields whose value is a short phrase that ends at a separator. */
const SHORT = new Set<FieldName>(['owner', 'department', 'helper', 'due']);

/** A labelled problem: 问题1：…, 问题一：…, 问题（1）…, 问题（一）…, 反馈问题1：…, 【问题1】…; unnumbered only
 *  with its colon or brackets: 存在问题：…, 【存在问题】…, 问题：… */
export const PROBLEM_LABEL = /^[【\[]?(?:存在的?|反馈|巡察|巡视|审计|检查|发现|主要|突出|查摆|检视)?问题\s*(?:(?:\d{1,3}|[一二三四五六七八九十]{1,3}|[（(]\s*(?:\d{1,3}|[一二三四五六七八九十]{1,3})\s*[）)])\s*[】\]]?\s*[：:.、，]?|[】\]]\s*[：:]?|[：:])\s*/;

export interface Fields {
  owner: string | null;
  department: string | null;
  helper: string | null;
  due: string | null;
  measure: string | null;
  detail: string | null;
}

function clean(v: string): string {
  return v.replace(/^[\s：:]+|[\s；;，,。]+$/g, '').trim();
}

/** Where a short field's value ends: its separator. Parentheses the value opens are its own
 *  (王建国（党组成员、副局长）: the post written after the name), separators in them too. */
function shortEnd(field: FieldName, text: string, from: number, to: number): number {
  const sep = field === 'due' ? /[；;。）)\n]/ : /[；;，,。）)\n]/;
  let depth = 0;
  for (let i = from; i < to; i++) {
    const c = text[i] as string;
    if (c === '（' || c === '(') depth++;
    else if (depth > 0 && (c === '）' || c === ')')) depth--;
    else if (depth === 0 && sep.test(c)) return i;
  }
  return to;
}

/** The labelled values in a text, and the text before the first label. Text after a short
 *  field's separator that no label claims comes back as field 'text'. */
export interface Labelled {
  field: FieldName | 'text';
  value: string;
  /** The label as written (配合单位), '' for loose text. */
  label: string;
}

/** Text in parentheses hidden (same length), so that labels there are not found. */
function maskParens(text: string): string {
  let depth = 0;
  let out = '';
  for (const c of text) {
    if (c === '（' || c === '(') depth++;
    out += depth > 0 ? (c.length === 2 ? '\u0001\u0001' : '\u0001') : c;
    if ((c === '）' || c === ')') && depth > 0) depth--;
  }
  return out;
}

/** `outside`: labels inside parentheses belong to the text (an item's own fields in a
 *  labelled record), not to the line. */
export function splitLabels(text: string, outside = false): { before: string; values: Labelled[] } {
  const hits = [...(outside ? maskParens(text) : text).matchAll(LABEL)].map((m) => ({
    at: (m.index ?? 0) + (m[1] as string).length,
    body: (m.index ?? 0) + m[0].length,
    label: (m[3] ?? m[4]) as string,
    field: FIELD_OF.get((m[3] ?? m[4]) as string) as FieldName,
  }));
  if (hits.length === 0) return { before: text, values: [] };
  const values: Labelled[] = [];
  hits.forEach((h, i) => {
    const next = i + 1 < hits.length ? hits[i + 1]!.at : text.length;
    // A unit written as the genre shares work: 办公室牵头，各股室配合 — the one that leads is the
    // department, the others assist.
    const shared = h.field === 'department' ? SHARED.exec(text.slice(h.body, next)) : null;
    if (shared !== null) {
      values.push({ field: 'department', value: clean(shared[1] as string), label: h.label });
      if (shared[2] !== undefined && clean(shared[2]) !== '') values.push({ field: 'helper', value: clean(shared[2]), label: '配合单位' });
      const rest = clean(text.slice(h.body + shared[0].length, next).replace(/^[；;，,。）)\s]+/, ''));
      if (rest !== '') values.push({ field: 'text', value: rest, label: '' });
      return;
    }
    if (!SHORT.has(h.field)) {
      values.push({ field: h.field, value: clean(text.slice(h.body, next)), label: h.label });
      return;
    }
    const end = shortEnd(h.field, text, h.body, next);
    values.push({ field: h.field, value: clean(text.slice(h.body, end)), label: h.label });
    const rest = clean(text.slice(end, next).replace(/^[；;，,。）)\s]+/, ''));
    if (rest !== '') values.push({ field: 'text', value: rest, label: '' });
  });
  return { before: text.slice(0, hits[0]!.at), values };
}

/** Owner, department and deadline: the first written; helpers: all, each with its label. */
export function addField(fields: Pick<Fields, 'owner' | 'department' | 'due' | 'helper'>, { field, value, label }: Labelled): void {
  if (value === '') return;
  if (field === 'owner' || field === 'department' || field === 'due') fields[field] ??= value;
  else if (field === 'helper') fields.helper = (fields.helper === null ? '' : fields.helper + '；') + `${label}：${value}`;
}

/** 群体股牵头[，各乡镇配合][，8月底前完成]: a unit (no 由/各, no sentence) that leads. */
const UNLABELLED = /^(?!由|各)([^，,；;、。：:\s]{2,20}?)牵头(?:\s*[，,、]\s*([^，,；;。：:]{1,40}?)(?:配合|协助|参与))?(?:\s*[，,；;]\s*([^，,；;。：:]{2,30}))?$/;

const ITEM_FIELDS = new Set<string>(['owner', 'department', 'helper', 'due']);

/** Owner, department and deadline written in parentheses inside a text, or on labelled lines
 *  at its end; the text without them. */
export function extractFields(text: string): { text: string; fields: Fields } {
  const fields: Fields = { owner: null, department: null, helper: null, due: null, measure: null, detail: null };
  const take = (values: Labelled[]) => {
    for (const v of values) addField(fields, v);
  };
  let rest = text.replace(/[（(]([^（）()]*)[）)]/g, (whole, inner: string) => {
    // A unit and a date written without labels, as a 方案 often gives them: （群体股牵头，8月底前
    // 完成）, （办公室牵头、各股室配合，长期坚持）.
    const plain = UNLABELLED.exec(inner.trim());
    if (plain !== null && (plain[3] === undefined || findDate(plain[3], 2000) !== null || termOfDue(plain[3]) !== null || termOf(plain[3]) !== null)) {
      fields.department ??= clean(plain[1] as string);
      if (plain[2] !== undefined) addField(fields, { field: 'helper', value: clean(plain[2]), label: '配合单位' });
      if (plain[3] !== undefined) fields.due ??= clean(plain[3]);
      return '';
    }
    const { before, values } = splitLabels(inner);
    if (values.length === 0 || before.trim() !== '' || !values.every((v) => ITEM_FIELDS.has(v.field) || v.field === 'text' || v.field === 'progress')) return whole;
    if (!values.some((v) => ITEM_FIELDS.has(v.field))) return whole;
    take(values);
    // Words in the parentheses that are no field (…，2024年底前完成; 完成情况：…) stay in the text.
    const loose = values.filter((v) => v.field === 'text' || v.field === 'progress').map((v) => (v.field === 'progress' ? `${v.label}：${v.value}` : v.value));
    return loose.length > 0 ? `（${loose.join('，')}）` : '';
  });
  // Labelled lines at the end: 责任领导：… on a line of its own.
  const lines = rest.split('\n');
  while (lines.length > 1) {
    const last = lines[lines.length - 1] as string;
    const { before, values } = splitLabels(last);
    if (values.length === 0 || before.trim() !== '' || !values.every((v) => ITEM_FIELDS.has(v.field))) break;
    take(values);
    lines.pop();
  }
  // Labels inline at the end of the last sentence (…制度。责任领导：王书记；完成时限：6月底前)
  // or of its last clause (制定学习计划，责任人：王局长，完成时限：6月底前), when nothing but
  // fields follows: the comma then goes with them.
  const lastLine = lines[lines.length - 1] as string;
  const inline = splitLabels(lastLine);
  if (inline.values.length > 0 && /[。；;，,]\s*$/.test(inline.before) && inline.values.every((v) => ITEM_FIELDS.has(v.field))) {
    take(inline.values);
    lines[lines.length - 1] = inline.before.replace(/\s*[，,]\s*$/, '');
  }
  rest = lines.join('\n');
  return { text: rest.replace(/[ \t]+\n/g, '\n').trim(), fields };
}
