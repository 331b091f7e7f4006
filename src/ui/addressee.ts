// The 主送机关 of `report --to`, apart from the Word renderer so that checking it loads no docx.
import { cleanInline } from './text.js';

/** The addressee as given, on one line, without the colon the document adds ('' when nothing is left). */
export function addressee(to: string): string {
  return cleanInline(to).replace(/\s+/g, ' ').trim().replace(/[:：]+$/, '').trim();
}
