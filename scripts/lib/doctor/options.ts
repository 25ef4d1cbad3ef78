// The doctor's own setting, UMA_DOCTOR_TIMEOUT_MS (support/config.ts holds
// the suite's settings; this one only matters before the scenarios run).
import { DEFAULT_DOCTOR_TIMEOUT_MS } from './run-doctor';

export const DOCTOR_SETTINGS_HELP: Record<string, string> = {
  UMA_DOCTOR_TIMEOUT_MS: `per-probe timeout of the preflight check (default ${DEFAULT_DOCTOR_TIMEOUT_MS})`,
};

/** The per-probe timeout, or the problem with the value given. */
export function doctorTimeoutFromEnv(env: NodeJS.ProcessEnv = process.env): { timeoutMs: number; problem?: string } {
  const raw = env.UMA_DOCTOR_TIMEOUT_MS?.trim();
  if (!raw) return { timeoutMs: DEFAULT_DOCTOR_TIMEOUT_MS };
  const n = Number(raw);
  if (Number.isInteger(n) && n > 0) return { timeoutMs: n };
  return { timeoutMs: DEFAULT_DOCTOR_TIMEOUT_MS, problem: `UMA_DOCTOR_TIMEOUT_MS must be a positive whole number of milliseconds, got "${raw}"` };
}
