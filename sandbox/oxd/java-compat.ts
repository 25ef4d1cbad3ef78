// Small reproductions of JDK behaviour that leaks onto oxd's wire format:
// java.util.HashMap/HashSet iteration order, URLEncoder, BigInteger state
// strings and List.toString.
import * as crypto from 'node:crypto';

/** String.hashCode() over UTF-16 code units, 32-bit overflow. */
export function javaStringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

/** List.hashCode() of a list of strings. */
export function javaListHash(items: string[]): number {
  let h = 1;
  for (const s of items) h = (Math.imul(31, h) + javaStringHash(s)) | 0;
  return h;
}

/**
 * Iteration order of a default-sized java.util.HashMap/HashSet after inserting
 * `items` in order: ascending bucket index of the final table (capacity 16,
 * doubled whenever size exceeds 0.75 × capacity), insertion order within a
 * bucket (resize splits keep it). Duplicate keys keep their first position.
 */
export function javaHashOrder<T>(items: T[], hash: (item: T) => number, key: (item: T) => string = (i) => String(i)): T[] {
  const unique: T[] = [];
  const seen = new Set<string>();
  for (const item of items) {
    const k = key(item);
    if (seen.has(k)) continue;
    seen.add(k);
    unique.push(item);
  }
  let capacity = 16;
  while (unique.length > capacity * 0.75) capacity *= 2;
  const bucket = (item: T): number => {
    const h = hash(item);
    return (h ^ (h >>> 16)) & (capacity - 1);
  };
  return unique
    .map((item, index) => ({ item, index, b: bucket(item) }))
    .sort((a, b) => a.b - b.b || a.index - b.index)
    .map((e) => e.item);
}

/** Order of a HashSet<String> (or HashMap<String,…> keys) filled in this order. */
export function javaStringSetOrder(items: string[]): string[] {
  return javaHashOrder(items, javaStringHash);
}

/** java.net.URLEncoder.encode(s, "UTF-8"): keeps A-Za-z0-9 . - * _, space → "+". */
export function javaUrlEncode(s: string): string {
  return encodeURIComponent(s)
    .replace(/[!'()~]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase())
    .replace(/%20/g, '+');
}

/** `new BigInteger(130, new SecureRandom()).toString(32)`: StateService.generateSecureString (oxd.md §6). */
export function javaRandomState(): string {
  const bytes = crypto.randomBytes(17); // 136 bits, the top 6 dropped
  bytes[0] &= 0x03;
  return BigInt('0x' + bytes.toString('hex')).toString(32);
}

/** AbstractCollection.toString(): "[GET, POST]". */
export function javaListToString(items: string[]): string {
  return `[${items.join(', ')}]`;
}

/** org.json JSONObject.quote: `"` `\` and control characters escaped, `/` only after `<`, U+0080–U+009F and U+2000–U+20FF as \uXXXX. */
export function orgJsonQuote(s: string): string {
  let out = '"';
  let prev = '';
  for (const c of s) {
    const code = c.charCodeAt(0);
    if (c === '"' || c === '\\') out += '\\' + c;
    else if (c === '/') out += prev === '<' ? '\\/' : '/';
    else if (c === '\b') out += '\\b';
    else if (c === '\t') out += '\\t';
    else if (c === '\n') out += '\\n';
    else if (c === '\f') out += '\\f';
    else if (c === '\r') out += '\\r';
    else if (code < 0x20 || (code >= 0x80 && code < 0xa0) || (code >= 0x2000 && code < 0x2100)) out += '\\u' + code.toString(16).padStart(4, '0');
    else out += c;
    prev = c;
  }
  return out + '"';
}
