// How GG's Lua code sees decoded JSON (cjson.safe): null is a truthy
// userdata, indexing a number/boolean/null raises, indexing a string or an
// array by name gives nil, numbers print with "%.14g".

/** A Lua runtime error: Kong answers it with its own 500 (R12). */
export class LuaError extends Error {}

/** Lua truthiness of a decoded JSON value (cjson.null is truthy). */
export function luaTruthy(v: unknown): boolean {
  return v !== undefined && v !== false;
}

/** `t.key` on a decoded JSON value. */
export function luaField(t: unknown, key: string): unknown {
  if (t === undefined) throw new LuaError(`attempt to index a nil value (field '${key}')`);
  if (t === null || typeof t === 'number' || typeof t === 'boolean') throw new LuaError(`attempt to index a ${t === null ? 'userdata' : typeof t} value`);
  if (typeof t === 'string' || Array.isArray(t)) return undefined;
  return (t as Record<string, unknown>)[key];
}

/** Lua tostring() of a number: "%.14g". */
export function luaNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e14) return String(n);
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : n < 0 ? '-inf' : 'nan';
  const exp = Math.floor(Math.log10(Math.abs(n)));
  if (exp < -4 || exp >= 14) {
    const [mant, e] = n.toExponential(13).split('e');
    const m = mant.includes('.') ? mant.replace(/0+$/, '').replace(/\.$/, '') : mant;
    const ev = Number(e);
    return `${m}e${ev < 0 ? '-' : '+'}${String(Math.abs(ev)).padStart(2, '0')}`;
  }
  const fixed = n.toPrecision(14);
  return fixed.includes('.') ? fixed.replace(/0+$/, '').replace(/\.$/, '') : fixed;
}

/** Lua tostring() of a decoded JSON scalar. */
export function luaToString(v: unknown): string {
  if (v === null) return 'userdata: NULL';
  if (typeof v === 'number') return luaNumber(v);
  return String(v);
}

/** ngx.encode_base64(s, true): standard alphabet, no padding. */
export function base64NoPad(s: string | Buffer): string {
  return Buffer.from(s).toString('base64').replace(/=+$/, '');
}
