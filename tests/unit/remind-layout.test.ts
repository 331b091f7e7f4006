// What each robot is sent and how the Word 督办通知单 is laid out, read from what is produced:
// 钉钉's markdown has no <font> (企业微信's info/comment/warning colours are its own), and the
// notice's table gives a date, the column heads and a light room enough not to break.
import { unzipSync, strFromU8 } from 'fflate';
import { afterEach, describe, expect, it } from 'vitest';
import { buildNotices } from '../../src/core/remind.js';
import type { Item } from '../../src/core/types.js';
import { robotRequest } from '../../src/commands/remind-send.js';
import { setLang } from '../../src/i18n/index.js';
import { renderNoticeDocx } from '../../src/ui/remind-docx.js';
import { PAGE } from '../../src/ui/report-docx.js';

const AS_OF = '2026-03-10';
const item = (id: string, due: string, title = `整改事项${id}`): Item => ({
  id, title, detail: null, addresses: [], owner: '王局长', department: '办公室', due, term: 'deadline', status: 'open',
  progress: 0, measure: 'M1', createdAt: '2026-01-05T09:00:00.000+08:00', updatedAt: '2026-03-09T09:00:00.000+08:00',
});
const notice = () => buildNotices([item('M1.1', '2026-03-01'), item('M12.10', '2026-03-12')], AS_OF, 7, ['办公室'])[0]!;
const report = { title: '某局对照检查材料', unit: '某局', date: null };

afterEach(() => setLang('en'));

describe('the robots are sent the markdown their documentation describes', () => {
  for (const lang of ['en', 'zh'] as const) {
    it(`企业微信 colours the lights with its own font colours; 钉钉 gets none (${lang})`, () => {
      setLang(lang);
      const wecom = robotRequest('wecom', 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=K', null, notice(), report, 1) as { body: { markdown: { content: string } } };
      expect(wecom.body.markdown.content).toContain('<font color="warning">');
      const ding = robotRequest('dingtalk', 'https://oapi.dingtalk.com/robot/send?access_token=T', 'SEC1', notice(), report, 1) as { body: { markdown: { title: string; text: string } } };
      expect(ding.body.markdown.text).not.toMatch(/<font/);
      // the light is still said in words, and the red one stands out
      expect(ding.body.markdown.text).toMatch(lang === 'zh' ? /\*\*● 红灯\*\*/ : /\*\*● RED\*\*/);
      expect(ding.body.markdown.text).toMatch(lang === 'zh' ? /▲ 黄灯/ : /▲ YELLOW/);
    });
  }
});

/** The table's column widths (twips) and its cells' texts, from the document's XML. */
async function table(lang: 'en' | 'zh') {
  setLang(lang);
  const files = unzipSync(await renderNoticeDocx(notice(), report, lang));
  const xml = strFromU8(files['word/document.xml']!);
  const grid = [...xml.matchAll(/<w:gridCol w:w="(\d+)"/g)].map((m) => Number(m[1]));
  return { xml, grid };
}

describe('the Word 督办通知单', () => {
  for (const lang of ['en', 'zh'] as const) {
    it(`sizes its columns so that a date, an id, the heads and a light do not break (${lang})`, async () => {
      const { xml, grid } = await table(lang);
      expect(grid).toHaveLength(6);
      expect(xml).toContain('<w:tblLayout w:type="fixed"/>');
      // 12-point text: a date's ten characters of Times New Roman take about 56 pt (1120
      // twips); a Chinese character 240 twips; a cell's margins 2 × 108 twips.
      const [num, id, , due, light, state] = grid as [number, number, number, number, number, number];
      expect(due).toBeGreaterThanOrEqual(1120 + 216);
      expect(num).toBeGreaterThanOrEqual(2 * 240 + 216);
      expect(id).toBeGreaterThanOrEqual(760 + 216); // M12.10
      expect(light).toBeGreaterThanOrEqual(lang === 'zh' ? 2 * 240 + 216 : 1080 + 216); // 红灯, YELLOW in bold
      expect(state).toBeGreaterThanOrEqual(5 * 240 + 216); // 逾期/剩余, 逾期 9 天
      // and the whole table is the text block's width (A4 less 28 and 26 mm)
      expect(grid.reduce((a, b) => a + b, 0)).toBe(PAGE.width - PAGE.left - PAGE.right);
      expect(PAGE.width - PAGE.left - PAGE.right).toBeCloseTo(((210 - 28 - 26) / 25.4) * 1440, -1);
    });
  }
});
