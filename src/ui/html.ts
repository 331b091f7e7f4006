// The pieces of rectify's HTML pages (report --format html, overview -o FILE.html): one
// self-contained file with its style inline and its charts as inline SVG, drawn here. No
// script, no font, image or style from anywhere else: the page says so to the browser too
// (its Content-Security-Policy lets nothing be fetched), so that it opens the same offline,
// in a mail attachment and on the meeting room's projector, and prints on A4.
import type { Split } from '../core/meeting.js';
import type { Lang } from '../i18n/index.js';
import { cleanInline } from './text.js';

/** Text for HTML, in an element or an attribute: the five characters that could open markup
 *  or close an attribute become references, and control characters are shown escaped (as on
 *  a terminal), so that a title holding `<script>` or `</style>` is read as the text it is. */
export function esc(text: string): string {
  return cleanInline(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The colours of the parts of a bar, and their order from left to right: the work finished
 *  first (signed off, then done), then the unfinished work by light. */
export const PARTS = ['verified', 'done', 'green', 'yellow', 'red'] as const;
export type Part = (typeof PARTS)[number];
export const PART_COLOUR: Record<Part, string> = {
  verified: '#1f4e79',
  done: '#6fa8dc',
  green: '#34a853',
  yellow: '#f4b400',
  red: '#d93025',
};
/** Text on a part: white where the colour is dark. */
const PART_INK: Record<Part, string> = { verified: '#fff', done: '#0b2545', green: '#fff', yellow: '#3b2f00', red: '#fff' };

const STYLE = `
:root { --ink: #1d2733; --muted: #5f6b7a; --rule: #d5dbe3; --paper: #fff; --band: #f3f5f8; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; background: var(--paper); color: var(--ink);
  font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "Hiragino Sans GB", "WenQuanYi Micro Hei", system-ui, sans-serif; /* font names, not words (i18n-ok) */
  font-size: 16px; line-height: 1.5; }
main { max-width: 1120px; margin: 0 auto; padding: 24px 28px 40px; }
header { border-bottom: 3px solid #b3261e; padding-bottom: 10px; margin-bottom: 18px; }
h1 { font-size: 26px; line-height: 1.3; margin: 0 0 6px; }
/* A word longer than the line (an unbroken title, an address, a path) breaks rather than
   widening the page past the window or the A4 sheet; ids, dates and figures stay whole. */
h1, .sub, li, .note { overflow-wrap: anywhere; }
h2 { font-size: 19px; margin: 26px 0 10px; padding-left: 10px; border-left: 5px solid #b3261e; break-after: avoid; }
.sub { color: var(--muted); margin: 0; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 12px; }
.card { border: 1px solid var(--rule); border-radius: 8px; padding: 10px 14px; background: var(--band); break-inside: avoid; }
.card .n { font-size: 30px; font-weight: 700; line-height: 1.2; font-variant-numeric: tabular-nums; }
.card .k { color: var(--muted); font-size: 14px; }
.card.red { border-top: 6px solid ${PART_COLOUR.red}; }
.card.yellow { border-top: 6px solid ${PART_COLOUR.yellow}; }
.card.green { border-top: 6px solid ${PART_COLOUR.green}; }
.card.done { border-top: 6px solid ${PART_COLOUR.verified}; }
.dot { display: inline-block; width: .8em; height: .8em; border-radius: 50%; margin-right: .3em; vertical-align: -.05em; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 16px; margin: 6px 0 8px; color: var(--muted); font-size: 14px; }
.legend span { white-space: nowrap; }
.sw { display: inline-block; width: 12px; height: 12px; margin-right: 5px; vertical-align: -1px; border-radius: 2px; }
figure { margin: 0; break-inside: avoid; }
svg.chart { display: block; width: 100%; height: auto; }
svg text { font-family: inherit; fill: var(--ink); }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { border: 1px solid var(--rule); padding: 4px 7px; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
th { background: var(--band); font-weight: 600; white-space: nowrap; }
td.num, th.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
td.id, td.date { white-space: nowrap; }
tr { break-inside: avoid; }
.late { color: #b3261e; font-weight: 600; }
.note { color: var(--muted); font-size: 13px; margin: 4px 0 0; }
ul.changes { margin: 0; padding-left: 1.2em; }
ul.changes li { margin: 2px 0; }
footer { margin-top: 28px; padding-top: 8px; border-top: 1px solid var(--rule); color: var(--muted); font-size: 12px; }
@page { size: A4; margin: 14mm 12mm 16mm; }
@media print {
  body { font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  h1 { font-size: 17pt; }
  h2 { font-size: 12.5pt; margin-top: 14pt; }
  .cards { grid-template-columns: repeat(3, 1fr); gap: 6pt; }
  .card { padding: 5pt 7pt; }
  .card .n { font-size: 17pt; }
  .card .k { font-size: 9pt; }
  table { font-size: 9pt; }
  th, td { padding: 2pt 4pt; }
  .legend { font-size: 9pt; }
  section.chart-section { break-inside: avoid; }
}
`;

/** The whole page around its body. */
export function page(lang: Lang, title: string, body: string): string {
  return [
    '<!DOCTYPE html>',
    `<html lang="${lang === 'zh' ? 'zh-CN' : 'en'}">`,
    '<head>',
    '<meta charset="utf-8">',
    // Nothing may be fetched or run: the style is inline, the charts are in the page.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="generator" content="rectify">',
    `<title>${esc(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    '<main>',
    body,
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** A number as SVG writes it: at most two decimals, no trailing zeros. */
function n(x: number): string {
  return String(Math.round(x * 100) / 100);
}

/** The legend of the bars' parts, in their order. */
export function legend(names: Record<Part, string>): string {
  return `<div class="legend">${PARTS.map((p) => `<span><i class="sw" style="background:${PART_COLOUR[p]}"></i>${esc(names[p])}</span>`).join('')}</div>`;
}

/** A row of the bar chart: its label (shown cut short, whole in the tooltip), the parts, and
 *  what is written at the bar's end (the share finished). */
export interface BarRow {
  label: string;
  split: Split;
  end: string;
  /** The tooltip: the label whole and the figures in words. */
  tip: string;
}

const cellsOf = (ch: string) =>
  /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) || ch.codePointAt(0)! > 0xffff ? 2 : 1;

/** A label in at most `lines` lines of `max` columns each (a Chinese character counts two),
 *  the last one cut with an ellipsis when the text goes on. */
export function wrapLabel(text: string, max: number, lines = 1): string[] {
  const chars = [...cleanInline(text)];
  const width = (cs: readonly string[]) => cs.reduce((n, c) => n + cellsOf(c), 0);
  if (width(chars) <= max) return [chars.join('')];
  // Two lines that hold it all: broken after a comma or a space where one is, so that
  // 深化学习意识，/ 加强理论武装 reads as two phrases.
  if (lines === 2) {
    for (let k = chars.length - 1; k > 0; k--) {
      if (!/[，、；：,;: ]/.test(chars[k - 1]!)) continue;
      const a = chars.slice(0, k);
      const b = chars.slice(k);
      if (width(a) <= max && width(b) <= max) return [a.join('').trimEnd(), b.join('').trimStart()];
    }
  }
  const out: string[] = [];
  const latin = (c: string | undefined) => c !== undefined && /[A-Za-z0-9]/.test(c);
  let k = 0;
  while (k < chars.length && out.length < lines) {
    const last = out.length === lines - 1;
    // A line does not start with the space that ended the one before.
    while (out.length > 0 && chars[k] === ' ') k++;
    let rest = 0;
    for (let j = k; j < chars.length; j++) rest += cellsOf(chars[j]!);
    const room = last && rest > max ? max - 1 : max;
    let cols = 0;
    const start = k;
    while (k < chars.length && cols + cellsOf(chars[k]!) <= room) {
      cols += cellsOf(chars[k]!);
      k++;
    }
    // A line that is not the last ends between words, not inside one (Latin text: 'stud' / 'y'),
    // where there is a space to end at; a word longer than the line is cut all the same.
    if (!last && latin(chars[k]) && latin(chars[k - 1])) {
      let s = k - 1;
      while (s > start && chars[s] !== ' ') s--;
      if (s > start) k = s;
    }
    const line = chars.slice(start, k).join('');
    if (line === '') break;
    out.push(last && k < chars.length ? `${line.trimEnd()}…` : line.trimEnd());
  }
  return out.length > 0 ? out : [''];
}

/** Cuts a label to `max` columns, with an ellipsis when it is longer. */
export function shorten(text: string, max: number): string {
  return wrapLabel(text, max, 1)[0]!;
}

/**
 * Horizontal bars, one a row, each as long as its row's items relative to the longest, split
 * into its parts; a part's count is written inside it where it fits. The SVG scales to the
 * page's width (viewBox): on a projector and on A4 alike.
 */
export function barChart(rows: readonly BarRow[], opts: { labelCols?: number } = {}): string {
  // About the width of A4's text in CSS pixels: on paper the text is at its set size; on a
  // projector's wider page it grows with the chart.
  const width = 720;
  // Labels take two lines where one is not enough (a measure's title), and the rows grow.
  const labels = rows.map((r) => wrapLabel(r.label, opts.labelCols ?? 27, 2));
  const two = labels.some((l) => l.length > 1);
  const rowH = two ? 40 : 28;
  const barH = 19;
  const labelW = 236;
  const endW = 52;
  const top = 4;
  const height = top + rows.length * rowH + 4;
  const most = Math.max(1, ...rows.map((r) => r.split.items));
  const scale = (width - labelW - endW - 10) / most;
  const out: string[] = [];
  out.push(`<svg class="chart bars" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" preserveAspectRatio="xMinYMin meet">`);
  rows.forEach((r, k) => {
    const y = top + k * rowH + (rowH - 28) / 2;
    out.push(`<g class="bar"><title>${esc(r.tip)}</title>`);
    const label = labels[k]!;
    out.push(label.length === 1
      ? `<text x="${labelW - 10}" y="${y + barH / 2 + 6}" text-anchor="end" font-size="15">${esc(label[0]!)}</text>`
      : `<text x="${labelW - 10}" y="${y + barH / 2 - 3}" text-anchor="end" font-size="14">${esc(label[0]!)}<tspan x="${labelW - 10}" dy="16">${esc(label[1]!)}</tspan></text>`);
    let x = labelW;
    for (const p of PARTS) {
      const count = r.split[p];
      if (count <= 0) continue;
      const w = count * scale;
      out.push(`<rect class="part ${p}" x="${n(x)}" y="${y}" width="${n(w)}" height="${barH}" fill="${PART_COLOUR[p]}"/>`);
      const label = String(count);
      if (w >= label.length * 8 + 6) {
        out.push(`<text x="${n(x + w / 2)}" y="${y + barH / 2 + 5}" text-anchor="middle" font-size="13" style="fill:${PART_INK[p]}">${label}</text>`);
      }
      x += w;
    }
    if (r.split.items === 0) out.push(`<rect class="part empty" x="${labelW}" y="${y}" width="2" height="${barH}" fill="#c0c6ce"/>`);
    out.push(`<text x="${n(x + 6)}" y="${y + barH / 2 + 5}" font-size="14" font-weight="600">${esc(r.end)}</text>`);
    out.push('</g>');
  });
  out.push('</svg>');
  return out.join('');
}

/** A series of the line chart. */
export interface Series {
  name: string;
  colour: string;
  values: number[];
  /** Drawn dashed, without its area (the total the others are measured against). */
  dashed?: boolean;
}

/** Ticks for an axis from 0 to at least `max`: 1, 2 or 5 times a power of ten apart. */
export function ticks(max: number, want = 5): number[] {
  if (max <= 0) return [0, 1];
  const raw = max / want;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= raw) ?? 10 * pow;
  const top = Math.ceil(max / step) * step;
  const out: number[] = [];
  for (let v = 0; v <= top + step / 2; v += step) out.push(Math.round(v));
  return out;
}

/**
 * A line chart of a few series over the same points (weeks), each point's value in its
 * tooltip. The x labels are thinned so that they never overlap.
 */
export function lineChart(labels: readonly string[], series: readonly Series[]): string {
  const width = 720;
  const height = 250;
  const left = 44;
  const right = 30;
  const top = 14;
  const bottom = 36;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const max = Math.max(1, ...series.flatMap((s) => s.values));
  const ys = ticks(max);
  const yTop = ys[ys.length - 1]!;
  const count = labels.length;
  const xOf = (k: number) => left + (count <= 1 ? plotW / 2 : (k * plotW) / (count - 1));
  const yOf = (v: number) => top + plotH - (v / yTop) * plotH;
  const out: string[] = [];
  out.push(`<svg class="chart lines" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" preserveAspectRatio="xMinYMin meet">`);
  for (const v of ys) {
    out.push(`<line x1="${left}" x2="${width - right}" y1="${n(yOf(v))}" y2="${n(yOf(v))}" stroke="#e1e5eb" stroke-width="1"/>`);
    out.push(`<text x="${left - 8}" y="${n(yOf(v) + 5)}" text-anchor="end" font-size="13" style="fill:#5f6b7a">${v}</text>`);
  }
  const every = Math.max(1, Math.ceil(count / 12));
  labels.forEach((l, k) => {
    if ((count - 1 - k) % every !== 0) return;
    out.push(`<text x="${n(xOf(k))}" y="${height - 12}" text-anchor="middle" font-size="13" style="fill:#5f6b7a">${esc(l)}</text>`);
  });
  out.push(`<line x1="${left}" x2="${width - right}" y1="${n(yOf(0))}" y2="${n(yOf(0))}" stroke="#8a94a3" stroke-width="1.5"/>`);
  for (const s of series) {
    const pts = s.values.map((v, k) => `${n(xOf(k))},${n(yOf(v))}`);
    if (!s.dashed && count > 1) {
      out.push(`<polygon class="area" points="${n(xOf(0))},${n(yOf(0))} ${pts.join(' ')} ${n(xOf(count - 1))},${n(yOf(0))}" fill="${s.colour}" fill-opacity="0.12"/>`);
    }
    out.push(`<polyline class="series" points="${pts.join(' ')}" fill="none" stroke="${s.colour}" stroke-width="3"${s.dashed ? ' stroke-dasharray="7 5"' : ''} stroke-linejoin="round"/>`);
    s.values.forEach((v, k) => {
      out.push(`<circle cx="${n(xOf(k))}" cy="${n(yOf(v))}" r="${count > 30 ? 2.5 : 4}" fill="${s.colour}"><title>${esc(`${labels[k]} ${s.name}: ${v}`)}</title></circle>`);
    });
  }
  out.push('</svg>');
  return out.join('');
}
