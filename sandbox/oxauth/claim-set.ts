// The claims of a PCT or a claim token, with the Java semantics oxAuth
// applies to them (Model/…/jwt/JwtClaimSet.java): setClaimObject with
// overrideValue=false turns an existing string into a two-element list
// (oxauth.md §6, "pushing the same key again"), and toMap renders every value
// as a list of strings (RPT introspection `pct_claims`, oxauth.md §8).
import { orgJson, type JsonObject, type JsonValue } from './java-json';

export type ClaimValue = JsonValue;

/** Thrown where JwtClaimSet.setClaimObject throws UnsupportedOperationException. */
export class UnsupportedClaimError extends Error {}

/** Object#toString of the Java value oxAuth holds for a JSON claim value. */
export function javaToString(v: ClaimValue): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return '[' + v.map(javaToString).join(', ') + ']';
  return orgJson(v);
}

export class ClaimSet {
  private readonly claims = new Map<string, ClaimValue>();

  static from(object: JsonObject): ClaimSet {
    const set = new ClaimSet();
    for (const [k, v] of Object.entries(object)) set.claims.set(k, v);
    return set;
  }

  copy(): ClaimSet {
    const c = new ClaimSet();
    for (const [k, v] of this.claims) c.claims.set(k, v);
    return c;
  }

  keys(): string[] {
    return [...this.claims.keys()];
  }

  get(key: string): ClaimValue | undefined {
    return this.claims.get(key);
  }

  /** JwtClaimSet.hasClaim: present and not Java null. */
  has(key: string): boolean {
    const v = this.claims.get(key);
    return v !== undefined && v !== null;
  }

  /** JwtClaimSet.setClaimObject(key, value, overrideValue). */
  setClaimObject(key: string, value: ClaimValue, overrideValue: boolean): void {
    if (typeof value === 'string') {
      const current = this.claims.get(key);
      if (!overrideValue && current !== undefined && current !== null) {
        this.claims.set(key, [javaToString(current), value]);
      } else {
        this.claims.set(key, value);
      }
      return;
    }
    // JSON null arrives as JSONObject.NULL and a fraction as Double: neither is supported.
    if (value === null || (typeof value === 'number' && !Number.isInteger(value))) {
      throw new UnsupportedClaimError(`Claim value is not supported, key: ${key}`);
    }
    this.claims.set(key, value);
  }

  /** JwtClaimSet.toMap: each value as a list of strings. */
  toStringLists(): JsonObject {
    const out: JsonObject = {};
    for (const [k, v] of this.claims) {
      if (Array.isArray(v)) out[k] = v.map(javaToString);
      else out[k] = v === null ? [] : [javaToString(v)];
    }
    return out;
  }
}
