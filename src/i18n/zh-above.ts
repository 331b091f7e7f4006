// 上级视角的消息：`repeats` 与 `overview`。
import type { enAbove } from './en-above.js';

export const zhAbove: Record<keyof typeof enAbove, string> = {
  'help.ph.older': '往年台账',
  'help.ph.address': '地址',
  'repeats.summary': '本台账中与往年台账重复出现的问题（换了说法的同一问题），相似度高的在前',
  'repeats.opt.against': '往年的台账：文件、postgres:// 地址，或本数据库的另一个 schema',
  'repeats.opt.json': '只输出 JSON：每一对的本年问题、往年问题、相似度和往年问题各事项的状态',
  'repeats.missingAgainst': '与哪一本往年台账对照？请用 --against 指定',
  'repeats.missingAgainstHint': 'rectify repeats --against 2023.db（文件、postgres:// 地址，或本数据库的某个 schema）',
  'repeats.same': '--against 指的就是本台账',
  'repeats.otherUnit': '往年台账属于另一单位（{older}，本台账为{unit}），仍照常对照',
  'repeats.head': '与{older}重复出现的问题：{total} 个中有 {n} 个',
  'repeats.none': '本台账没有与{older}重复出现的问题（共 {total} 个问题，按语义对照，相似度下限 {min}）。',
  'repeats.then': '上次：',
  'repeats.noItems': '没有整改事项',
  'repeats.itemsEnded': '{list}',
  'repeats.foot': '相似度：词语与相邻字对的余弦（0 至 1），不低于 {min}；每一对都应由人复核。',
  'repeats.opt.reportAgainst': '在报告末尾列出与这本往年台账重复出现的问题（text 与 md 格式）',
  'repeats.reportFormat': '--against 只为 text 和 md 格式的报告添加一节，{format} 格式不支持',
  'repeats.section': '与往年重复出现的问题',
};
