// The console tables of `npm run test:self`: one row per fault (caught or
// MISSED, and by which scenarios), the mutation score, and for --repeat the
// scenarios that were not stable.
import type { Catcher, StabilityReport } from './verdict';

export interface FaultRow {
  fault: string;
  component: string;
  caught: boolean;
  caughtBy: Catcher[];
  reason?: string;
  ms: number;
  /** A weakness proven red without its ledger entry, with no fix profile to prove the other side. */
  oneSided?: boolean;
}

export function abbreviate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(1, max - 1)).trimEnd()}…`;
}

/** "3: A, B, C" or "9: A, B, … (+7 more)": the scenarios that caught a fault, names shortened. */
export function catchersCell(caughtBy: Catcher[], names = 2, width = 44): string {
  const shown = caughtBy.slice(0, names).map((c) => abbreviate(c.name, width));
  const more = caughtBy.length - shown.length;
  return `${caughtBy.length}: ${shown.join('; ')}${more > 0 ? `; … (+${more} more)` : ''}`;
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function pad(cells: string[], widths: number[]): string {
  return cells
    .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i])))
    .join('  ')
    .trimEnd();
}

export function renderFaultTable(rows: FaultRow[]): string {
  const head = ['Fault', 'Component', 'Result', 'Time', 'Caught by (scenarios that failed) / why missed'];
  const body = rows.map((r) => [r.fault, r.component, r.caught ? 'caught' : 'MISSED', seconds(r.ms), r.caught ? catchersCell(r.caughtBy) : (r.reason ?? '')]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [pad(head, widths), rule, ...body.map((b) => pad(b, widths))].join('\n');
}

export function scoreLine(rows: FaultRow[]): string {
  const caught = rows.filter((r) => r.caught).length;
  const pct = rows.length ? Math.round((caught / rows.length) * 1000) / 10 : 0;
  return `Mutation score: ${caught}/${rows.length} faults caught (${pct}%)`;
}

export function renderStability(report: StabilityReport, runs: number): string {
  const lines: string[] = [];
  for (const b of report.brokenRuns) lines.push(`Run ${b.run} did not complete normally: ${b.reason}`);
  if (!report.unstable.length) {
    lines.push(`Every scenario had the same passing outcome in all ${runs} runs.`);
    return lines.join('\n');
  }
  lines.push(`${report.unstable.length} scenario${report.unstable.length > 1 ? 's were' : ' was'} not stable over ${runs} runs:`);
  for (const u of report.unstable) {
    const detail = u.runs.map((n) => `run ${n}: ${u.outcomes[n]}`).join(', ');
    lines.push(`  - ${u.name}  (${u.uri})\n      ${detail}\n      ${abbreviate(u.message, 160)}`);
  }
  return lines.join('\n');
}

/** One row per weakness: proven both ways (finding, red without its entry, passed with its fix) or why not. */
export function renderWeaknessTable(rows: FaultRow[]): string {
  const head = ['Weakness', 'Fix profile', 'Result', 'Time', 'Probe scenarios / why not proven'];
  const body = rows.map((r) => [r.fault, r.component, r.oneSided ? 'red without its entry (no fix profile)' : r.caught ? 'proven' : 'NOT PROVEN', seconds(r.ms), r.oneSided ? (r.reason ?? '') : r.caught ? catchersCell(r.caughtBy) : (r.reason ?? '')]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [pad(head, widths), rule, ...body.map((b) => pad(b, widths))].join('\n');
}
