// A JSON reader that fails the way oxd's Jackson 2.10 ObjectMapper does, so
// the 400 plain-text answer carries a Jackson-style parser message (oxd.md
// §1). It keeps token positions so that type errors can name a location too.
// Like `ObjectMapper.readValue(String, …)` with default features it reads
// the first value and ignores whatever follows it.

export type JNode =
  | { kind: 'object'; pos: number; entries: Map<string, JNode> }
  | { kind: 'array'; pos: number; items: JNode[] }
  | { kind: 'string'; pos: number; value: string }
  | { kind: 'number'; pos: number; text: string; integral: boolean }
  | { kind: 'boolean'; pos: number; value: boolean }
  | { kind: 'null'; pos: number };

export class JsonSyntaxError extends Error {}

/** Jackson's token names, used in "out of X token" messages. */
export function tokenName(node: JNode): string {
  switch (node.kind) {
    case 'object':
      return 'START_OBJECT';
    case 'array':
      return 'START_ARRAY';
    case 'string':
      return 'VALUE_STRING';
    case 'number':
      return node.integral ? 'VALUE_NUMBER_INT' : 'VALUE_NUMBER_FLOAT';
    case 'boolean':
      return node.value ? 'VALUE_TRUE' : 'VALUE_FALSE';
    case 'null':
      return 'VALUE_NULL';
  }
}

const MAX_SOURCE_CHARS = 500;

/** ` at [Source: (String)"…"; line: L, column: C]` for a 0-based offset (Jackson columns are 1-based). */
export function location(text: string, offset: number): string {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  const shown = text.length > MAX_SOURCE_CHARS ? `${text.slice(0, MAX_SOURCE_CHARS)}"[truncated ${text.length - MAX_SOURCE_CHARS} chars]` : `${text}"`;
  return ` at [Source: (String)"${shown}; line: ${line}, column: ${offset - lineStart + 1}]`;
}

function charDesc(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  if (code < 32 || (code >= 127 && code < 160)) return `(CTRL-CHAR, code ${code})`;
  if (code > 255) return `'${ch}' (code ${code} / 0x${code.toString(16)})`;
  return `'${ch}' (code ${code})`;
}

class Reader {
  private i = 0;
  constructor(private readonly text: string) {}

  fail(message: string, offset: number): never {
    throw new JsonSyntaxError(message + '\n' + location(this.text, offset));
  }

  private skipWs(): void {
    while (this.i < this.text.length) {
      const c = this.text[this.i];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') this.i++;
      else break;
    }
  }

  private atEnd(): boolean {
    return this.i >= this.text.length;
  }

  readRoot(): JNode {
    this.skipWs();
    if (this.atEnd()) this.fail('No content to map due to end-of-input', this.i);
    return this.readValue();
  }

  private unexpected(what: string): never {
    // Jackson reports the position after the offending character.
    this.fail(`Unexpected character (${charDesc(this.text[this.i])}): ${what}`, this.i + 1);
  }

  private readValue(): JNode {
    this.skipWs();
    if (this.atEnd()) this.fail('Unexpected end-of-input: expected a value', this.i);
    const c = this.text[this.i];
    const pos = this.i;
    if (c === '{') return this.readObject();
    if (c === '[') return this.readArray();
    if (c === '"') return { kind: 'string', pos, value: this.readString() };
    if (c === '-' || (c >= '0' && c <= '9')) return this.readNumber();
    if (c === ']' || c === '}' || c === ',' || c === ':' || c === "'") this.unexpected('expected a value');
    return this.readKeyword();
  }

  private readKeyword(): JNode {
    const pos = this.i;
    let end = this.i;
    while (end < this.text.length && /[A-Za-z0-9_$]/.test(this.text[end])) end++;
    if (end === pos) this.unexpected('expected a value');
    const word = this.text.slice(pos, end);
    this.i = end;
    if (word === 'true') return { kind: 'boolean', pos, value: true };
    if (word === 'false') return { kind: 'boolean', pos, value: false };
    if (word === 'null') return { kind: 'null', pos };
    this.fail(`Unrecognized token '${word}': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')`, end);
  }

  private readNumber(): JNode {
    const pos = this.i;
    const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(this.text.slice(pos));
    if (!m) {
      const next = this.text[pos + 1];
      this.fail(`Invalid numeric value: Missing integer part (next char ${next === undefined ? 'EOF' : charDesc(next)})`, pos + 1);
    }
    const after = this.text[pos + m[0].length];
    if (m[1] === '0' && after !== undefined && after >= '0' && after <= '9') this.fail('Invalid numeric value: Leading zeroes not allowed', pos + 1);
    this.i = pos + m[0].length;
    return { kind: 'number', pos, text: m[0], integral: m[2] === undefined && m[3] === undefined };
  }

  private readString(): string {
    this.i++; // opening quote
    let out = '';
    for (;;) {
      if (this.atEnd()) this.fail('Unexpected end-of-input: was expecting closing quote for a string value', this.i);
      const c = this.text[this.i];
      if (c === '"') {
        this.i++;
        return out;
      }
      if (c === '\\') {
        const e = this.text[this.i + 1];
        if (e === undefined) this.fail('Unexpected end-of-input in character escape sequence', this.i + 1);
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (e in simple) {
          out += simple[e];
          this.i += 2;
          continue;
        }
        if (e === 'u') {
          const hex = this.text.slice(this.i + 2, this.i + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('Unexpected character in Unicode escape: expected a hex-digit for character escape sequence', this.i + 3);
          out += String.fromCharCode(parseInt(hex, 16));
          this.i += 6;
          continue;
        }
        this.fail(`Unrecognized character escape ${charDesc(e)}`, this.i + 2);
      }
      if (c < ' ') this.fail(`Illegal unquoted character (${charDesc(c)}): has to be escaped using backslash to be included in string value`, this.i + 1);
      // Copy the run of plain characters in one slice.
      let end = this.i + 1;
      while (end < this.text.length) {
        const d = this.text.charCodeAt(end);
        if (d === 0x22 || d === 0x5c || d < 0x20) break;
        end++;
      }
      out += this.text.slice(this.i, end);
      this.i = end;
    }
  }

  private readObject(): JNode {
    const pos = this.i;
    this.i++;
    const entries = new Map<string, JNode>();
    this.skipWs();
    if (this.text[this.i] === '}') {
      this.i++;
      return { kind: 'object', pos, entries };
    }
    for (;;) {
      this.skipWs();
      if (this.atEnd()) this.endOfInput('Object', pos);
      if (this.text[this.i] !== '"') this.unexpected('was expecting double-quote to start field name');
      const key = this.readString();
      this.skipWs();
      if (this.atEnd()) this.endOfInput('Object', pos);
      if (this.text[this.i] !== ':') this.unexpected('was expecting a colon to separate field name and value');
      this.i++;
      entries.set(key, this.readValue()); // duplicate keys: the last one wins, as in Jackson
      this.skipWs();
      if (this.atEnd()) this.endOfInput('Object', pos);
      const c = this.text[this.i];
      if (c === ',') {
        this.i++;
        continue;
      }
      if (c === '}') {
        this.i++;
        return { kind: 'object', pos, entries };
      }
      this.unexpected('was expecting comma to separate Object entries');
    }
  }

  private readArray(): JNode {
    const pos = this.i;
    this.i++;
    const items: JNode[] = [];
    this.skipWs();
    if (this.text[this.i] === ']') {
      this.i++;
      return { kind: 'array', pos, items };
    }
    for (;;) {
      this.skipWs();
      if (this.atEnd()) this.endOfInput('Array', pos);
      items.push(this.readValue());
      this.skipWs();
      if (this.atEnd()) this.endOfInput('Array', pos);
      const c = this.text[this.i];
      if (c === ',') {
        this.i++;
        continue;
      }
      if (c === ']') {
        this.i++;
        return { kind: 'array', pos, items };
      }
      this.unexpected('was expecting comma to separate Array entries');
    }
  }

  private endOfInput(container: 'Object' | 'Array', startPos: number): never {
    const marker = location(this.text, startPos).replace(/^ at /, '');
    this.fail(`Unexpected end-of-input: expected close marker for ${container} (start marker at ${marker})`, this.i);
  }
}

/** Parses the first JSON value of `text`; throws JsonSyntaxError with a Jackson-like message. */
export function readJackson(text: string): JNode {
  return new Reader(text).readRoot();
}
