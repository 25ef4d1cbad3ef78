// Reading JSON request bodies the way the oxAuth endpoints do: JAX-RS
// @Consumes(application/json) answers 415 to other content types, and
// Jackson binds the body to a POJO, coercing scalars to strings and failing
// on a wrong shape.
import { headerValue, type Request } from '../lib/http';

export function isJsonContentType(req: Request): boolean {
  return (headerValue(req, 'content-type') ?? '').toLowerCase().split(';')[0].trim() === 'application/json';
}

export class BindError extends Error {}

/** Jackson's String binding: scalars become their text, null stays null. */
export function bindString(v: unknown, field: string): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw new BindError(field);
}

export function bindStringList(v: unknown, field: string): string[] | null {
  if (v === undefined || v === null) return null;
  if (!Array.isArray(v)) throw new BindError(field);
  return v.map((x) => bindString(x, field) ?? 'null');
}

/** Jackson's Integer binding: integral numbers and numeric strings. */
export function bindInteger(v: unknown, field: string): number | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) return Number(v.trim());
  throw new BindError(field);
}

export function bindStringMap(v: unknown, field: string): Record<string, string> | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'object' || Array.isArray(v)) throw new BindError(field);
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) out[k] = bindString(x, field) ?? '';
  return out;
}

/** JSON.parse that reports failure as undefined (Jackson's IOException). */
export function parseJsonText(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) };
  } catch {
    return undefined;
  }
}
