// The paragraphs of a Word document, one a line, through mammoth. Reached only through
// `await import()`, so that mammoth is loaded by the one command that reads Word.
import mammoth from 'mammoth';

export async function docxText(bytes: Uint8Array): Promise<string> {
  const { value } = await mammoth.extractRawText({ buffer: Buffer.from(bytes) });
  return value;
}
