// The text of a report file: UTF-8 (with or without BOM), UTF-16 with a BOM (Notepad's
// "Unicode"), or GB18030 as Chinese Windows saves it; anything else is not text.

export type Decoded = { ok: true; text: string; encoding: 'utf-8' | 'utf-16' | 'gb18030' } | { ok: false };

function tryDecode(label: string, bytes: Uint8Array): string | null {
  try {
    return new TextDecoder(label, { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/** Text has no NUL and few control characters besides tab, line feed, carriage return and
 *  form feed. */
function looksLikeText(s: string): boolean {
  let bad = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0) return false;
    if ((c < 0x20 && c !== 9 && c !== 10 && c !== 13 && c !== 12) || c === 0xfffd) bad++;
  }
  return bad <= s.length / 200;
}

export function decodeText(bytes: Uint8Array): Decoded {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    const s = tryDecode('utf-16le', bytes.subarray(2));
    return s !== null && looksLikeText(s) ? { ok: true, text: s, encoding: 'utf-16' } : { ok: false };
  }
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    const s = tryDecode('utf-16be', bytes.subarray(2));
    return s !== null && looksLikeText(s) ? { ok: true, text: s, encoding: 'utf-16' } : { ok: false };
  }
  const utf8 = tryDecode('utf-8', bytes);
  if (utf8 !== null) return looksLikeText(utf8) ? { ok: true, text: utf8.replace(/^\ufeff/, ''), encoding: 'utf-8' } : { ok: false };
  // UTF-8 with a few damaged bytes (a file cut short, a bad copy) is still UTF-8: GB18030
  // text hardly ever forms UTF-8 sequences, so most of its bytes would be strays.
  if (utf8Share(bytes) >= 0.95) {
    const text = new TextDecoder('utf-8').decode(bytes).replace(/^\ufeff/, '');
    return looksLikeText(text) ? { ok: true, text, encoding: 'utf-8' } : { ok: false };
  }
  const gb = tryDecode('gb18030', bytes);
  return gb !== null && looksLikeText(gb) ? { ok: true, text: gb, encoding: 'gb18030' } : { ok: false };
}

/** The share of bytes above 0x7f that belong to well-formed UTF-8 sequences. */
function utf8Share(b: Uint8Array): number {
  let high = 0;
  let good = 0;
  for (let i = 0; i < b.length; ) {
    const c = b[i] as number;
    if (c < 0x80) {
      i++;
      continue;
    }
    const n = c >= 0xf0 && c <= 0xf4 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 && c <= 0xdf ? 2 : 0;
    let ok = n > 0 && i + n <= b.length;
    for (let k = 1; ok && k < n; k++) ok = ((b[i + k] as number) & 0xc0) === 0x80;
    if (ok) {
      high += n;
      good += n;
      i += n;
    } else {
      high++;
      i++;
    }
  }
  return high === 0 ? 1 : good / high;
}
