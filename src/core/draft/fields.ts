// Labelled fields as 整改方案 and 台账 write them: 责任领导：王书记；责任单位：组织科；
// 整改时限：2025年6月30日前, on their own lines or in parentheses after an item.

export type FieldName = 'problem' | 'detail' | 'measure' | 'owner' | 'department' | 'due';

const LABELS: { field: FieldName; words: string[] }[] = [
  { field: 'measure', words: ['整改措施', '整改任务', '整改举措', '具体措施', '主要措施', '措施'] },
  { field: 'owner', words: ['责任领导', '牵头领导', '分管领导', '主要责任人', '责任人', '负责人', '牵头人', '督办领导'] },
  { field: 'department', words: ['责任单位', '责任部门', '责任科室', '责任处室', '牵头单位', '牵头部门', '牵头科室', '责任主体'] },
  { field: 'due', words: ['整改时限', '完成时限', '完成时间', '整改期限', '时限要求', '整改时间', '时限'] },
  { field: 'detail', words: ['问题表现', '具体表现', '主要表现', '表现'] },
];

const ALL = LABELS.flatMap((l) => l.words).sort((a, b) => b.length - a.length);
const FIELD_OF = new Map(LABELS.flatMap((l) => l.words.map((w) => [w, l.field] as const)));
/** A label at the start of the text or after a separator, followed by a colon. */
const LABEL = new RegExp(`(^|[；;，,。\\s（(])(${ALL.join('|')})\\s*[：:]`, 'g');

/** A labelled problem: 问题1：…, 问题一：…, 问题（1）… */
export const PROBLEM_LABEL = /^(?:存在)?问题\s*(?:\d{1,3}|[一二三四五六七八九十]{1,3}|[（(]\s*\d{1,3}\s*[）)])\s*[：:.、，]?\s*/;

export interface Fields {
  owner: string | null;
  department: string | null;
  due: string | null;
  measure: string | null;
  detail: string | null;
}

function clean(v: string): string {
  return v.replace(/^[\s：:]+|[\s；;，,。]+$/g, '').trim();
}

/** The labelled values in a text, and the text before the first label. */
export function splitLabels(text: string): { before: string; values: { field: FieldName; value: string }[] } {
  const hits = [...text.matchAll(LABEL)].map((m) => ({
    at: (m.index ?? 0) + (m[1] as string).length,
    body: (m.index ?? 0) + m[0].length,
    field: FIELD_OF.get(m[2] as string) as FieldName,
  }));
  if (hits.length === 0) return { before: text, values: [] };
  const values = hits.map((h, i) => ({ field: h.field, value: clean(text.slice(h.body, i + 1 < hits.length ? hits[i + 1]!.at : undefined)) }));
  return { before: text.slice(0, hits[0]!.at), values };
}

/** Owner, department and deadline written in parentheses inside a text, or on labelled lines
 *  at its end; the text without them. */
export function extractFields(text: string): { text: string; fields: Fields } {
  const fields: Fields = { owner: null, department: null, due: null, measure: null, detail: null };
  const take = (values: { field: FieldName; value: string }[]) => {
    for (const { field, value } of values) {
      if (field === 'owner' || field === 'department' || field === 'due') {
        if (fields[field] === null && value !== '') fields[field] = value;
      }
    }
  };
  let rest = text.replace(/[（(]([^（）()]*)[）)]/g, (whole, inner: string) => {
    const { before, values } = splitLabels(inner);
    if (values.length === 0 || before.trim() !== '' || !values.every((v) => v.field !== 'measure' && v.field !== 'detail')) return whole;
    take(values);
    return '';
  });
  // Labelled lines at the end: 责任领导：… on a line of its own.
  const lines = rest.split('\n');
  while (lines.length > 1) {
    const last = lines[lines.length - 1] as string;
    const { before, values } = splitLabels(last);
    if (values.length === 0 || before.trim() !== '' || values.some((v) => v.field === 'measure' || v.field === 'detail')) break;
    take(values);
    lines.pop();
  }
  rest = lines.join('\n');
  return { text: rest.replace(/[ \t]+\n/g, '\n').trim(), fields };
}
