// Penlight's `pretty.write`, which Kong uses to put keys and nested field
// errors into its DB error messages (kong/db/errors.lua @ 2.2.1). Compact
// form (indent "") as in `'{id="…"}'`; indented form for nested errors.
// Keys are sorted as Penlight sorts them; Lua's ngx.null prints as
// "userdata: NULL" (Kong rewrites it to null in unique-violation messages).

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

function quote(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

function scalar(v: unknown): string {
  if (v === null) return quote('userdata: NULL');
  if (typeof v === 'string') return quote(v);
  return String(v);
}

export function prettyWrite(value: unknown, indent = '  ', level = ''): string {
  if (typeof value !== 'object' || value === null) return scalar(value);
  const compact = indent === '';
  const items: string[] = [];
  if (Array.isArray(value)) {
    const holes = value.some((v) => v === undefined || v === null);
    value.forEach((v, i) => {
      if (v === undefined) return;
      const rendered = prettyWrite(v, indent, level + indent);
      items.push(holes ? `[${i + 1}]${compact ? '=' : ' = '}${rendered}` : rendered);
    });
  } else {
    const keys = Object.keys(value).sort();
    for (const k of keys) {
      const v = (value as Record<string, unknown>)[k];
      if (v === undefined) continue;
      const key = IDENTIFIER.test(k) ? k : `[${quote(k)}]`;
      items.push(`${key}${compact ? '=' : ' = '}${prettyWrite(v, indent, level + indent)}`);
    }
  }
  if (items.length === 0) return '{}';
  if (compact) return `{${items.join(',')}}`;
  const inner = level + indent;
  return `{\n${items.map((i) => inner + i).join(',\n')}\n${level}}`;
}
