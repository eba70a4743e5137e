/**
 * Repairs mojibake: UTF-8 text that was once decoded as Windows-1252 (or its Turkish sibling
 * Windows-1254) and saved again, so "🚀" reads "ðŸš€" (or "ğŸš€") and a no-break space "Â ".
 * The handbook pages Bosun imports carry both kinds.
 *
 * The policy, applied the same way to every character of a page: a run of characters is
 * replaced only when re-encoding it in one of those code pages yields a complete, valid UTF-8
 * sequence of a character outside ASCII. Everything else is preserved as written, including
 * legitimate accented text ("é" alone is not a valid UTF-8 sequence, so it stays). One lossy
 * case is restored: the variation selector U+FE0F (bytes EF B8 8F) after an emoji loses its last
 * byte, which neither code page can represent, so "ï¸" right after a repaired emoji becomes U+FE0F.
 */

// Bytes 0x80-0x9F of Windows-1252; undefined bytes are left out (they read as C1 controls).
const CP1252_HIGH: Record<number, number> = {
  128: 0x20ac,
  130: 0x201a,
  131: 0x0192,
  132: 0x201e,
  133: 0x2026,
  134: 0x2020,
  135: 0x2021,
  136: 0x02c6,
  137: 0x2030,
  138: 0x0160,
  139: 0x2039,
  140: 0x0152,
  142: 0x017d,
  145: 0x2018,
  146: 0x2019,
  147: 0x201c,
  148: 0x201d,
  149: 0x2022,
  150: 0x2013,
  151: 0x2014,
  152: 0x02dc,
  153: 0x2122,
  154: 0x0161,
  155: 0x203a,
  156: 0x0153,
  158: 0x017e,
  159: 0x0178,
};
// Windows-1254 differs from 1252 in six letters of 0xA0-0xFF and leaves 0x8E and 0x9E undefined.
const CP1254_CHANGES: Record<number, number | undefined> = {
  142: undefined,
  158: undefined,
  208: 0x011e,
  221: 0x0130,
  222: 0x015e,
  240: 0x011f,
  253: 0x0131,
  254: 0x015f,
};

/** Character -> byte, for the bytes 0x80-0xFF of a code page. */
function reverseTable(changes: Record<number, number | undefined> = {}): Map<number, number> {
  const table = new Map<number, number>();
  for (let byte = 0x80; byte <= 0xff; byte++) {
    const mapped = byte in changes ? changes[byte] : byte < 0xa0 ? CP1252_HIGH[byte] : byte;
    // An undefined byte survives a lenient decoder as the C1 control of the same number.
    table.set(mapped ?? byte, byte);
  }
  return table;
}

const CODE_PAGES = [reverseTable(), reverseTable(CP1254_CHANGES)];
const utf8 = new TextDecoder("utf-8", { fatal: true });

export interface RepairResult {
  text: string;
  /** Sequences replaced by the character they meant. */
  repaired: number;
}

export function repairMojibake(text: string): RepairResult {
  const chars = Array.from(text);
  const out: string[] = [];
  let repaired = 0;
  let lastWasEmoji = false;
  for (let i = 0; i < chars.length; ) {
    const match = decodeAt(chars, i);
    if (match) {
      out.push(match.char);
      repaired += 1;
      i += match.length;
      lastWasEmoji = (match.char.codePointAt(0) ?? 0) >= 0x1f000;
      continue;
    }
    if (lastWasEmoji && chars[i] === "ï" && chars[i + 1] === "¸") {
      out.push("\uFE0F");
      repaired += 1;
      i += 2;
      lastWasEmoji = false;
      continue;
    }
    out.push(chars[i]!);
    lastWasEmoji = false;
    i += 1;
  }
  return { text: out.join(""), repaired };
}

/** The character a mojibake sequence starting at `i` stands for, in the first code page that fits. */
function decodeAt(chars: string[], i: number): { char: string; length: number } | undefined {
  for (const table of CODE_PAGES) {
    const lead = table.get(chars[i]!.codePointAt(0)!);
    if (lead === undefined) continue;
    const length = lead >= 0xf0 && lead <= 0xf4 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc2 ? 2 : 0;
    if (length === 0 || lead > 0xf4) continue;
    const bytes = [lead];
    for (let k = 1; k < length; k++) {
      const c = chars[i + k];
      const b = c === undefined ? undefined : table.get(c.codePointAt(0)!);
      if (b === undefined || b < 0x80 || b > 0xbf) break;
      bytes.push(b);
    }
    if (bytes.length !== length) continue;
    try {
      return { char: utf8.decode(new Uint8Array(bytes)), length };
    } catch {}
  }
  return undefined;
}
