// What changed since the previous statement: a requirement newly failed, a
// divergence gone, a finding newly found. The previous statement is the one
// CI restored (UMA_PREVIOUS_STATEMENT, see ci/README.md) or the one this
// reports folder holds from an earlier run; regenerating the report of the
// same run keeps comparing with the run before it (statement.previous.json).
import * as fs from 'node:fs';
import type { Statement, StatementChange } from './statement';

function read(file: string | undefined): Statement | undefined {
  if (!file || !fs.existsSync(file)) return undefined;
  try {
    const s = JSON.parse(fs.readFileSync(file, 'utf8')) as Statement;
    return s.schema === 'uma-claims-conformance/statement@1' && Array.isArray(s.requirements) ? s : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The statement to compare with. `current` is the statement file about to be
 * overwritten, `kept` the copy of the run before it; a given `fromCi` wins.
 */
export function previousStatement(runStartedAt: string | undefined, files: { current: string; kept: string; fromCi?: string }): Statement | undefined {
  const ci = read(files.fromCi);
  if (ci && ci.runStartedAt !== runStartedAt) return ci;
  const current = read(files.current);
  if (current && current.runStartedAt !== runStartedAt) {
    fs.copyFileSync(files.current, files.kept);
    return current;
  }
  // The same run's report again: the run before it, if one was kept.
  const kept = read(files.kept);
  return kept && kept.runStartedAt !== runStartedAt ? kept : undefined;
}

function what(from: string, to: string): string {
  if (to === 'failed') return 'newly failed';
  if (from === 'failed') return to === 'met' ? 'fixed' : `no longer failed (now ${to})`;
  if (from === 'departs as recorded' && to === 'met') return 'divergence gone';
  if (to === 'departs as recorded') return from === 'met' ? 'newly departs (recorded divergence)' : 'departs as recorded';
  if (to === 'not tested') return 'no longer tested';
  if (from === 'not tested') return 'newly tested';
  if (to === 'found, as recorded') return 'finding newly found';
  if (from === 'found, as recorded') return 'finding no longer found';
  return `${from} → ${to}`;
}

export function changesSince(previous: Statement, current: Statement): NonNullable<Statement['changes']> {
  const before = new Map([...previous.requirements, ...(previous.findings ?? [])].map((r) => [r.id, r]));
  const list: StatementChange[] = [];
  for (const row of [...current.requirements, ...current.findings]) {
    const old = before.get(row.id);
    const from = old?.verdict ?? '(no row)';
    const recordsChanged = old && old.verdict === row.verdict && old.records.map((r) => r.id).join() !== row.records.map((r) => r.id).join();
    if (from !== row.verdict) list.push({ id: row.id, from, to: row.verdict, what: old ? what(from, row.verdict) : 'new row' });
    else if (recordsChanged) list.push({ id: row.id, from, to: row.verdict, what: `recorded divergences now ${row.records.map((r) => r.id).join(', ') || 'none'}` });
    before.delete(row.id);
  }
  for (const gone of before.values()) list.push({ id: gone.id, from: gone.verdict, to: '(no row)', what: 'row gone' });
  return { since: previous.runStartedAt ?? previous.generatedAt, list };
}
