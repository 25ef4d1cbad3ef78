// The doctor's own setting, UMA_DOCTOR_TIMEOUT_MS (support/config.ts holds
// the suite's settings; this one only matters before the scenarios run).
import { timeoutProblem } from '../../../support/config';
import { printable } from '../../../support/mask';
import { DEFAULT_DOCTOR_TIMEOUT_MS } from './run-doctor';

export const DOCTOR_SETTINGS_HELP: Record<string, string> = {
  UMA_DOCTOR_TIMEOUT_MS: `per-probe timeout of the preflight check (default ${DEFAULT_DOCTOR_TIMEOUT_MS})`,
};

/** The per-probe timeout, or the problem with the value given. */
export function doctorTimeoutFromEnv(env: NodeJS.ProcessEnv = process.env): { timeoutMs: number; problem?: string } {
  const raw = env.UMA_DOCTOR_TIMEOUT_MS?.trim();
  if (!raw) return { timeoutMs: DEFAULT_DOCTOR_TIMEOUT_MS };
  const problem = timeoutProblem('UMA_DOCTOR_TIMEOUT_MS', raw);
  if (!problem) return { timeoutMs: Number(raw) };
  return { timeoutMs: DEFAULT_DOCTOR_TIMEOUT_MS, problem: printable(problem) };
}
