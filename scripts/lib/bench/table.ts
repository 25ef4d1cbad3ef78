// Plain-text tables for the console.

export function table(header: string[], rows: Array<Array<string | number | undefined>>): string {
  const cells = [header, ...rows.map((r) => r.map((c) => (c === undefined ? '–' : String(c))))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(cells[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

export function secs(ms: number | undefined): string | undefined {
  return ms === undefined || !Number.isFinite(ms) ? undefined : (ms / 1000).toFixed(2);
}

/** "median (min–max)" in seconds. */
export function spreadS(s: { median: number; min: number; max: number } | undefined): string | undefined {
  if (!s) return undefined;
  return `${secs(s.median)} (${secs(s.min)}–${secs(s.max)})`;
}

/** "median (min–max)" in milliseconds. */
export function spreadMs(s: { median: number; min: number; max: number } | undefined): string | undefined {
  if (!s) return undefined;
  return `${Math.round(s.median)} (${Math.round(s.min)}–${Math.round(s.max)})`;
}

/** "25 known divergences", "1 known weakness", "78 passed": the noun outcomes take a plural. */
export function outcomeCount(outcome: string, n: number): string {
  return `${n} ${n !== 1 && outcome.startsWith('known ') ? `${outcome}${outcome.endsWith('s') ? 'es' : 's'}` : outcome}`;
}
