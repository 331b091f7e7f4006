// `rectify draft`'s core: a report's text or a 台账's cells in, a seed with its guesses out.
export { draftFromBlocks, type Block } from './blocks.js';
export { cellOf } from './cells.js';
export { decodeText } from './decode.js';
export { htmlBlocks } from './html.js';
export { draftFromMarkdownOrText, markdownBlocks } from './markdown.js';
export { draftFromText } from './document.js';
export { draftFromSheets, draftFromTable } from './table.js';
export { draftToYaml } from './yaml.js';
export { checkZip, DOCX_LIMITS, ZIP_LIMITS, type ZipCheck, type ZipLimits } from './zip.js';
export { bigrams, similarity, suggestLinks, wordsOf, LINK_RULE } from './link.js';
export { draftCounts } from './types.js';
export type { Cell, Draft, DraftContext, DraftCounts, DraftFailure, DraftResult, Guess } from './types.js';
