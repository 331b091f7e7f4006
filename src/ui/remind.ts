// A notice (督办通知) in words: plain text (to paste into a chat, the mail's text part, a .txt
// file), Markdown (the chat robots' message) and HTML (the mail's HTML part). Strings only.
import type { Notice, NoticeItem } from '../core/remind.js';
import type { ReportInfo } from '../core/types.js';
import { t } from '../i18n/index.js';
import { cleanInline } from './text.js';

const MARK = { red: '●', yellow: '▲' } as const;

export function recipientLabel(n: Notice): string {
  const key = n.as.length === 2 ? 'notice.to.both' : n.as[0] === 'owner' ? 'notice.to.owner' : 'notice.to.department';
  return t(key, { name: cleanInline(n.recipient) });
}

export function noticeSubject(n: Notice): string {
  return t('notice.subject', { red: n.red, yellow: n.yellow, date: n.asOf });
}

function lightWord(i: NoticeItem): string {
  return `${MARK[i.light]} ${t(`supervise.light.${i.light}`)}`;
}

/** Days overdue, due today or days left. */
export function itemState(i: NoticeItem): string {
  if (i.light === 'red') return t(i.days === 1 ? 'notice.daysLate.one' : 'notice.daysLate', { days: i.days });
  return i.days === 0 ? t('notice.dueToday') : t(i.days === 1 ? 'notice.daysLeft.one' : 'notice.daysLeft', { days: i.days });
}

function from(report: ReportInfo): string {
  // A title that begins with the unit (市局领导班子主题教育对照检查材料) names it already.
  return report.unit && !report.title.startsWith(report.unit) ? t('notice.fromUnit', { unit: cleanInline(report.unit), report: cleanInline(report.title) }) : t('notice.from', { report: cleanInline(report.title) });
}

/** The notice's first sentence: how many are overdue and due within the window (today when 0). */
export function lead(n: Notice): string {
  const key = n.window <= 0 ? 'notice.lead.today' : n.window === 1 ? 'notice.lead.one' : 'notice.lead';
  return t(key, { date: n.asOf, red: n.red, yellow: n.yellow, days: n.window });
}

function groups(n: Notice): { light: 'red' | 'yellow'; items: NoticeItem[] }[] {
  return (['red', 'yellow'] as const).map((light) => ({ light, items: n.items.filter((i) => i.light === light) })).filter((g) => g.items.length);
}

function itemLine(i: NoticeItem): string {
  return `${lightWord(i)}  [${cleanInline(i.id)}] ${cleanInline(i.title)}  ${t('notice.due', { date: i.due })}${t('notice.paren', { text: itemState(i) })}`;
}

/** Plain text, to paste into a chat or a mail: readable without colour or layout. */
export function renderNoticeText(n: Notice, report: ReportInfo): string {
  const out = [`${t('notice.title')} · ${recipientLabel(n)}`, '', lead(n)];
  for (const g of groups(n)) {
    out.push('', t('notice.group', { name: t(`notice.${g.light}`) }));
    for (const i of g.items) out.push(itemLine(i));
  }
  out.push('', t('notice.ask'), '', from(report));
  return out.join('\n') + '\n';
}

/** The robots whose Markdown differs: 企业微信 colours text with <font color="info|comment|
 *  warning"> (its group robot's documentation); 钉钉's custom robot documents no <font> at all
 *  (headings, quotes, bold, italics, links, images, lists), so there the red light is bold. */
export type MarkdownRobot = 'wecom' | 'dingtalk';

/** Markdown as both robots render it (headings, bold, lists, quotes; no tables). With `keep`,
 *  only the first `keep` items (the most urgent: red first, most overdue first) and a line
 *  saying how many more there are (a robot's message is limited in length: fitNoticeMarkdown). */
export function renderNoticeMarkdown(n: Notice, report: ReportInfo, keep = n.items.length, robot: MarkdownRobot = 'wecom'): string {
  const md = (s: string) => s.replace(/([\\`*_[\]<>#])/g, '\\$1');
  const out = [`### ${md(t('notice.heading', { title: t('notice.title'), recipient: recipientLabel(n) }))}`, '', md(lead(n))];
  const shown = keep < n.items.length ? { ...n, items: n.items.slice(0, keep) } : n;
  for (const g of groups(shown)) {
    out.push('', `**${md(t(`notice.${g.light}`))}**`, '');
    for (const i of g.items) {
      const light = robot === 'dingtalk'
        ? (g.light === 'red' ? `**${lightWord(i)}**` : lightWord(i))
        : `<font color="${g.light === 'red' ? 'warning' : 'comment'}">${lightWord(i)}</font>`;
      out.push(`- ${light} ${md(cleanInline(i.id))} ${md(cleanInline(i.title))} ${md(t('notice.due', { date: i.due }))}${md(t('notice.paren', { text: itemState(i) }))}`);
    }
  }
  if (shown !== n) out.push('', md(t('notice.more', { more: n.items.length - keep, total: n.items.length })));
  out.push('', `> ${md(t('notice.ask'))}`, '', md(from(report)));
  return out.join('\n');
}

/** The Markdown of a notice cut to what a robot takes: as many of its items as fit (the most
 *  urgent first), then how many were left out. `size` measures a candidate as the robot counts
 *  (企业微信: the content's UTF-8 bytes; 钉钉: the request body's). */
export function fitNoticeMarkdown(n: Notice, report: ReportInfo, fits: (text: string) => boolean, robot: MarkdownRobot = 'wecom'): string {
  const whole = renderNoticeMarkdown(n, report, n.items.length, robot);
  if (fits(whole)) return whole;
  // The largest number of items that fits, by halving (each item adds a line, so the size
  // grows with the count; the count of those left out only shortens as more are kept).
  let lo = 0;
  let hi = n.items.length - 1;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fits(renderNoticeMarkdown(n, report, mid, robot))) lo = mid;
    else hi = mid - 1;
  }
  return renderNoticeMarkdown(n, report, lo, robot);
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The mail's HTML part: a table a mail client shows without any style sheet or script. */
export function renderNoticeHtml(n: Notice, report: ReportInfo): string {
  const colour = { red: '#c0392b', yellow: '#b7950b' } as const;
  const rows = n.items.map((i, k) => `<tr>
<td style="border:1px solid #999;padding:4px 8px;text-align:center">${k + 1}</td>
<td style="border:1px solid #999;padding:4px 8px;white-space:nowrap">${esc(cleanInline(i.id))}</td>
<td style="border:1px solid #999;padding:4px 8px">${esc(cleanInline(i.title))}</td>
<td style="border:1px solid #999;padding:4px 8px;white-space:nowrap">${esc(i.due)}</td>
<td style="border:1px solid #999;padding:4px 8px;white-space:nowrap;color:${colour[i.light]};font-weight:bold">${esc(lightWord(i))}</td>
<td style="border:1px solid #999;padding:4px 8px;white-space:nowrap">${esc(itemState(i))}</td>
</tr>`).join('\n');
  const head = (['num', 'id', 'title', 'due', 'light', 'state'] as const)
    .map((c) => `<th style="border:1px solid #999;padding:4px 8px;background:#eee">${esc(t(`notice.col.${c}`))}</th>`).join('');
  const body = "font-family:'SimSun','Songti SC',serif;font-size:15px;color:#000"; // i18n-ok: CSS
  const title = "text-align:center;color:#c00;font-family:'SimHei','Heiti SC',sans-serif"; // i18n-ok: CSS
  return `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>${esc(noticeSubject(n))}</title></head>
<body style="${body}">
<h2 style="${title}">${esc(t('notice.title'))}</h2>
<p>${esc(t('notice.docxTo', { to: recipientLabel(n) }))}</p>
<p>${esc(lead(n))}</p>
<table style="border-collapse:collapse">
<thead><tr>${head}</tr></thead>
<tbody>
${rows}
</tbody>
</table>
<p>${esc(t('notice.ask'))}</p>
<p style="text-align:right">${esc(from(report))}<br>${esc(t('notice.docxDate', { date: n.asOf }))}</p>
</body></html>
`;
}

/** A file name for a recipient's notice: the name with what no file system takes replaced. */
export function noticeFileName(n: Notice, ext: string, taken?: Set<string>): string {
  let safe = n.recipient.replace(/[\u0000-\u001f\u007f/\\:*?"<>|]/g, '_').replace(/^\.+/, '_');
  // A file name holds at most 255 bytes: a name of 100 Chinese characters is 300 in UTF-8. Cut
  // whole characters to 120 bytes (the rest of the name takes fewer than 40).
  let bytes = 0;
  let end = 0;
  for (const ch of safe) {
    bytes += Buffer.byteLength(ch);
    if (bytes > 120 || end >= 80) break;
    end += ch.length;
  }
  safe = safe.slice(0, end);
  // Two recipients whose names make the same file (a/b and a?b; A/B beside a/b where a file
  // system ignores case) get -2, -3 …: one file per recipient, none written over another.
  let name = `${t('notice.file')}-${safe}-${n.asOf}.${ext}`;
  for (let k = 2; taken?.has(name.toLowerCase()); k++) name = `${t('notice.file')}-${safe}-${k}-${n.asOf}.${ext}`;
  taken?.add(name.toLowerCase());
  return name;
}
