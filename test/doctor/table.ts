// Reads the doctor's printed table back, for assertions on one row.
import assert from 'node:assert/strict';

export interface PrintedRow {
  status: string;
  detail: string;
  /** The "what to do" line under the row, if any. */
  fix?: string;
}

export function row(output: string, checkName: string): PrintedRow {
  const lines = output.split('\n');
  const escaped = checkName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const i = lines.findIndex((l) => new RegExp(`^  ${escaped}\\s{2,}\\S+\\s+(OK|WARN|FAIL|SKIP)\\s`).test(l));
  assert.ok(i >= 0, `no row "${checkName}" in:\n${output}`);
  const m = /\s(OK|WARN|FAIL|SKIP)\s+(.*)$/.exec(lines[i])!;
  const next = lines[i + 1] ?? '';
  const fix = /^\s+what to do: (.*)$/.exec(next)?.[1];
  return { status: m[1], detail: m[2], fix };
}

/** The summary line (the last non-empty line). */
export function summary(output: string): string {
  const lines = output.trim().split('\n');
  return lines[lines.length - 1];
}
