// The one place where the suite decides pass or fail. Every check says, in
// plain words first, what the deployment did wrong, then expected versus
// actual, then the HTTP evidence; it carries the UMA 2.0 requirement id when
// one applies, and consults the known-divergences ledger.
import type { Exchange } from '../http';
import { renderExchange } from '../evidence';
import { maskParams, type Secrets } from '../mask';
import type { DivergenceLedger } from '../divergences';
import type { WeaknessLedger } from '../weaknesses';
import { requirementUrl } from '../requirements';

export interface CheckContext {
  secrets: Secrets;
  ledger: DivergenceLedger;
  /** The known-weaknesses ledger, for security probes (`probe`). */
  weaknesses: WeaknessLedger;
  /** Every check that ran, for the report. */
  record(result: CheckRecord): void;
}

export interface CheckRecord {
  requirement?: string;
  aspect: string;
  outcome: 'passed' | 'failed' | 'known divergence' | 'divergence gone' | 'known weakness' | 'weakness not found';
  expected: string;
  actual: string;
}

export interface Check {
  /** UMA 2.0 requirement id (uma2-requirements.md) when one applies. */
  requirement?: string;
  /** What is compared, in a few words; with the requirement id it names the check in the divergence ledger. */
  aspect: string;
  /** What the deployment did wrong, in plain words, said when the check fails. */
  failure: string;
  expected: string;
  actual: string;
  pass: boolean;
  evidence?: Exchange | Exchange[];
}

/**
 * A check failed: the deployment does not do what the tutorial or UMA 2.0
 * requires. ("AssertionError" in the name makes Allure file it as failed,
 * the product's fault, rather than broken.)
 */
export class ConformanceAssertionError extends Error {
  override name = 'ConformanceAssertionError';
  constructor(
    message: string,
    readonly requirement?: string,
  ) {
    super(message);
  }
}

/** The deployment departs from UMA 2.0 exactly as the ledger records; the run may still be green. */
export class KnownDivergenceAssertionError extends Error {
  override name = 'KnownDivergenceAssertionError';
  constructor(
    message: string,
    readonly divergence: string,
  ) {
    super(message);
  }
}

/** The deployment has a security weakness exactly as the weaknesses ledger records: a finding; the run may still be green. */
export class KnownWeaknessAssertionError extends Error {
  override name = 'KnownWeaknessAssertionError';
  constructor(
    message: string,
    readonly weakness: string,
    readonly severity: string,
  ) {
    super(message);
  }
}

export const KNOWN_DIVERGENCE_MARK = 'KNOWN DIVERGENCE';
export const KNOWN_WEAKNESS_MARK = 'KNOWN WEAKNESS';
export const DIVERGENCE_GONE_MARK = 'RECORDED DIVERGENCE NO LONGER HAPPENS';

function evidenceText(evidence: Check['evidence'], secrets: Secrets): string {
  const list = evidence === undefined ? [] : Array.isArray(evidence) ? evidence : [evidence];
  if (!list.length) return '';
  // The last exchange is the one the check is about; earlier ones are context.
  return `\n  evidence (${list.length} HTTP exchange${list.length > 1 ? 's' : ''}, last in full):\n${list
    .slice(0, -1)
    .map((x) => `    ${x.request.method} ${maskParams(x.request.url, secrets)} → ${x.response.status}`)
    .join('\n')}${list.length > 1 ? '\n' : ''}${renderExchange(list[list.length - 1], secrets)
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n')}`;
}

function requirementLine(id: string | undefined): string {
  if (!id) return '';
  // A SEC- id of ours has no specification to link to.
  const url = requirementUrl(id);
  return `\n  requirement: ${id}${url ? `  ${url}` : ''}`;
}

/** Records the failure and throws it: plain words, the requirement, expected vs actual, a ledger note, the evidence. */
function fail(ctx: CheckContext, c: Check, base: Omit<CheckRecord, 'outcome'>, note: string): never {
  ctx.record({ ...base, outcome: 'failed' });
  throw new ConformanceAssertionError(
    `${c.failure}${requirementLine(c.requirement)}\n  expected: ${base.expected}\n  actual:   ${base.actual}${note}${evidenceText(c.evidence, ctx.secrets)}`,
    c.requirement,
  );
}

export function verify(ctx: CheckContext, c: Check): void {
  const secrets = ctx.secrets;
  // Whole or cut short (an excerpt of a body or a page), known secrets and
  // secret-named parameters of a quoted URL are masked in what is shown.
  const expected = maskParams(c.expected, secrets);
  const actual = maskParams(c.actual, secrets);
  const divergence = c.requirement ? ctx.ledger.find(c.requirement, c.aspect) : undefined;
  const base = { requirement: c.requirement, aspect: c.aspect, expected, actual };
  if (c.pass) {
    if (divergence) {
      ctx.record({ ...base, outcome: 'divergence gone' });
      throw new ConformanceAssertionError(
        `${DIVERGENCE_GONE_MARK}: ${divergence.id} (${c.aspect}). The deployment now does what UMA 2.0 requires, so the ledger entry is stale: remove ${divergence.id} from ${ctx.ledger.file}.` +
          `${requirementLine(c.requirement)}\n  recorded: ${divergence.observed.join(' | ')}\n  actual:   ${actual}${evidenceText(c.evidence, secrets)}`,
        c.requirement,
      );
    }
    ctx.record({ ...base, outcome: 'passed' });
    return;
  }
  if (divergence && divergence.observed.includes(c.actual)) {
    ctx.record({ ...base, outcome: 'known divergence' });
    throw new KnownDivergenceAssertionError(
      `${KNOWN_DIVERGENCE_MARK} ${divergence.id}: ${c.failure}` +
        `${requirementLine(c.requirement)}\n  UMA 2.0 expects: ${expected}\n  deployment does: ${actual} (as recorded)\n  why: ${divergence.reason}${evidenceText(c.evidence, secrets)}`,
      divergence.id,
    );
  }
  fail(ctx, c, base, divergence ? `\n  note: ${divergence.id} records "${divergence.observed.join(' | ')}" for this check; the deployment did something else.` : '');
}

/**
 * A security probe (issue 12): `c.pass` says the deployment has the
 * property. Failing with a recorded weakness's observed value is a finding
 * (KnownWeaknessAssertionError); passing is "weakness not found" and passes
 * even when the ledger has an entry (a fixed deployment is not a failure,
 * unlike a vanished divergence); failing otherwise fails the run.
 */
export function probe(ctx: CheckContext, c: Check): void {
  const secrets = ctx.secrets;
  const expected = maskParams(c.expected, secrets);
  const actual = maskParams(c.actual, secrets);
  const weakness = c.requirement ? ctx.weaknesses.find(c.requirement, c.aspect) : undefined;
  const base = { requirement: c.requirement, aspect: c.aspect, expected, actual };
  if (c.pass) {
    ctx.record({ ...base, outcome: weakness ? 'weakness not found' : 'passed' });
    return;
  }
  if (weakness && weakness.observed.includes(c.actual)) {
    ctx.record({ ...base, outcome: 'known weakness' });
    throw new KnownWeaknessAssertionError(
      `${KNOWN_WEAKNESS_MARK} ${weakness.id} (${weakness.severity}): ${c.failure}` +
        `${requirementLine(c.requirement)}\n  a safe deployment: ${expected}\n  this deployment:   ${actual} (as recorded)\n  risk: ${weakness.reason}\n  source: ${weakness.source}${evidenceText(c.evidence, secrets)}`,
      weakness.id,
      weakness.severity,
    );
  }
  fail(ctx, c, base, weakness ? `\n  note: ${weakness.id} records "${weakness.observed.join(' | ')}" for this probe; the deployment did something else.` : '');
}

/** Renders a value for expected/actual lines: strings quoted, absent said so. */
export function show(value: unknown): string {
  if (value === undefined) return '(absent)';
  if (typeof value === 'string') return JSON.stringify(value);
  return JSON.stringify(value);
}
