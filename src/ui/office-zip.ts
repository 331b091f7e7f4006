// Office files are zip archives, and the libraries that write them stamp every entry with
// the clock. For the same ledger on the same day a report must be the same bytes (golden
// tests, and a secretary who regenerates it sees no change), so the stamps are set to one
// fixed moment afterwards: patched in place, no recompression, no library.

/** The zip's entries all dated `day` (YYYY-MM-DD) at midnight. Returns the same bytes
 *  patched; anything that is not a plain zip is returned untouched. */
export function fixZipTimes(zip: Uint8Array, day: string): Uint8Array {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const dosDate = ((Math.max(1980, y) - 1980) << 9) | (m << 5) | d;
  const dosTime = 0;
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  // The end of central directory record: the last 22 bytes, unless a comment follows it.
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return zip;
  const count = view.getUint16(eocd + 10, true);
  let p = view.getUint32(eocd + 16, true);
  for (let n = 0; n < count; n++) {
    if (p + 46 > zip.length || view.getUint32(p, true) !== 0x02014b50) return zip;
    view.setUint16(p + 12, dosTime, true);
    view.setUint16(p + 14, dosDate, true);
    const local = view.getUint32(p + 42, true);
    if (local + 30 <= zip.length && view.getUint32(local, true) === 0x04034b50) {
      view.setUint16(local + 10, dosTime, true);
      view.setUint16(local + 12, dosDate, true);
    }
    p += 46 + view.getUint16(p + 28, true) + view.getUint16(p + 30, true) + view.getUint16(p + 32, true);
  }
  return zip;
}

/** A moment for documents' own properties (created, modified): the day at noon UTC,
 *  which is that day in every time zone from UTC-11 to UTC+11. */
export function documentTime(day: string): Date {
  return new Date(`${day}T12:00:00Z`);
}
