// The doctor's result: one row per check, and the verdict the launcher acts
// on. Only environment and configuration problems are FAIL; anything that
// might be a conformance question is at most a WARN (the scenarios judge it).
import { problemCount } from '../../../support/config';

export type CheckStatus = 'OK' | 'WARN' | 'FAIL' | 'SKIP';

export type CheckId =
  | 'kong-admin'
  | 'kong-proxy'
  | 'oxd'
  | 'as-discovery'
  | 'claims-scope'
  | 'client-token'
  | 'kong-consumer'
  | 'claims-redirect-uri'
  | 'protected-route'
  | 'echo-upstream'
  | 'oidc-uma-scope'
  | 'oidc-uma-plugins'
  | 'oidc-uma-login';

export interface CheckResult {
  id: CheckId;
  /** What was checked, in the reference's words ("Kong Admin API"). */
  name: string;
  /** The setting a user changes to fix it ("GG_ADMIN_URL"). */
  setting: string;
  status: CheckStatus;
  /** What was seen: versions, URLs, statuses. Secrets already masked. */
  detail: string;
  /** What to do, for WARN and FAIL (and why a check was skipped). */
  fix?: string;
  durationMs: number;
}

export interface DoctorReport {
  checks: CheckResult[];
  /** The per-probe timeout used. */
  timeoutMs: number;
  /** Problems of the configuration itself (loadConfig); no probe ran when set. */
  configProblems?: string[];
  /** 0 nothing failed (warnings allowed), 2 something failed. */
  exitCode: 0 | 2;
  /** One line naming what failed, or saying that all is well. */
  summary: string;
  startedAt: number;
  finishedAt: number;
}

/** The outcome of one probe, before the runner adds identity and timing. */
export interface ProbeOutcome {
  status: CheckStatus;
  detail: string;
  fix?: string;
}

export const ok = (detail: string): ProbeOutcome => ({ status: 'OK', detail });
export const warn = (detail: string, fix: string): ProbeOutcome => ({ status: 'WARN', detail, fix });
export const fail = (detail: string, fix: string): ProbeOutcome => ({ status: 'FAIL', detail, fix });
export const skip = (detail: string): ProbeOutcome => ({ status: 'SKIP', detail });

function nameOf(c: CheckResult): string {
  return `${c.name} (${c.setting})`;
}

/** The one-line verdict: which checks failed, or how many passed. */
export function summaryLine(checks: CheckResult[], configProblems?: string[]): string {
  if (configProblems?.length) {
    return `Preflight FAILED: the configuration has ${problemCount(configProblems.length)} (listed above); nothing was checked.`;
  }
  const failed = checks.filter((c) => c.status === 'FAIL');
  const warned = checks.filter((c) => c.status === 'WARN');
  if (failed.length) {
    const first = failed[0];
    const others = failed.length > 1 ? `; also ${failed.slice(1).map(nameOf).join(', ')}` : '';
    const detail = first.detail.replace(/\.$/, '');
    return `Preflight FAILED: ${first.setting}: ${detail}${others}.`;
  }
  const okCount = checks.filter((c) => c.status === 'OK').length;
  return `Preflight passed: ${okCount} OK${warned.length ? `, ${warned.length} warning${warned.length === 1 ? '' : 's'} (${warned.map((c) => c.name).join(', ')})` : ''}.`;
}
