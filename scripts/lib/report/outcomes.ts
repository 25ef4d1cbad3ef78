// What a scenario's first failure says it is, by the error class at the very
// start of the message (scripts/lib/run-summary.ts says why only there): a
// known divergence (DIV-…), a recorded security finding (SEC-…, issue 12), or
// a failure; and the requirement id the check printed.

export const KNOWN_DIVERGENCE = /^KnownDivergenceAssertionError: KNOWN DIVERGENCE (\S+?):/;
// core.ts probe(): "KNOWN WEAKNESS SEC-GW-01 (high): …", the severity in brackets.
export const KNOWN_WEAKNESS = /^KnownWeaknessAssertionError: KNOWN WEAKNESS (SEC-[A-Za-z0-9-]+)(?: \([a-z]+\))?:/;
/** core.ts `requirementLine`: "\n  requirement: <id>  <url>". */
const REQUIREMENT_LINE = /\n {2}requirement: (\S+)/;

export type Verdictable = 'known divergence' | 'known weakness' | 'failed';

export interface FailureMeaning {
  kind: Verdictable;
  /** DIV-… or SEC-… */
  recordId?: string;
  requirement?: string;
}

export function meaningOf(message: string): FailureMeaning {
  const requirement = REQUIREMENT_LINE.exec(message)?.[1];
  const div = KNOWN_DIVERGENCE.exec(message);
  if (div) return { kind: 'known divergence', recordId: div[1], requirement };
  const weak = KNOWN_WEAKNESS.exec(message);
  if (weak) return { kind: 'known weakness', recordId: weak[1], requirement };
  return { kind: 'failed', requirement };
}

/** The message's first line without the error class: what a reader sees first. */
export function firstLine(message: string): string {
  return (message.split('\n')[0] ?? '').replace(/^[A-Za-z]*Error: /, '').trim();
}
