// The text of the console formatter's end-of-run blocks (support/console-formatter.js),
// apart from Cucumber's event plumbing so that unit tests pin it
// (test/support/console-lines.test.ts). Plain JavaScript for the same reason
// as the formatter; the launcher's summary line (scripts/lib/run-summary.ts)
// shares `plural`.
'use strict';

/** "1 scenario", "2 scenarios"; `many` where the plural is not `one` + "s". */
function plural(n, one, many) {
  return `${n} ${n === 1 ? one : many || `${one}s`}`;
}

/** The failure classes of the environment and the set-up (support/errors.ts), at the start of the raw message. */
const ENVIRONMENT = /^(EnvironmentError|SetupError): /;

/**
 * The "Failures" block. A failure the environment caused that several
 * scenarios share word for word (a browser that cannot start fails every
 * browser scenario at its first browser step) is told once, in one line with
 * its count: the scenario lines above already name them with ✘.
 * @param {Array<{title: string, step?: string, message?: string, environment?: boolean}>} failures
 * @returns {string[]} the blocks, each without its leading blank line
 */
function failureBlocks(failures) {
  /** @type {Array<{first: {title: string, step?: string, message?: string}, count: number}>} */
  const groups = [];
  const shared = new Map();
  for (const f of failures) {
    const key = f.environment ? f.message || '' : undefined;
    const group = key !== undefined ? shared.get(key) : undefined;
    if (group) {
      group.count++;
      continue;
    }
    const fresh = { first: f, count: 1 };
    groups.push(fresh);
    if (key !== undefined) shared.set(key, fresh);
  }
  return groups.map((g, i) =>
    g.count > 1
      ? `${i + 1}) ${g.count} scenarios (✘ above), one environment problem: ${g.first.message || ''}`
      : `${i + 1}) ${g.first.title}\n   step: ${g.first.step || '(a hook)'}\n${indent(g.first.message || '', '   ')}`,
  );
}

/**
 * The "Skipped" block: one line per reason with its count, in the order the
 * reasons first came (an existing environment skips dozens of scenarios for
 * one reason; a line each would bury the ones that ran).
 * @param {Array<string | undefined>} reasons one per skipped scenario, as the Before hook logged it
 * @returns {string[]} the lines, the heading first; none when nothing was skipped
 */
function skippedLines(reasons) {
  if (!reasons.length) return [];
  const counts = new Map();
  for (const r of reasons) {
    const reason = r || '(no reason given)';
    counts.set(reason, (counts.get(reason) || 0) + 1);
  }
  const width = String(Math.max(...counts.values())).length;
  return [`Skipped (${reasons.length}):`, ...[...counts].map(([reason, n]) => `  ${String(n).padStart(width)} × ${reason}`)];
}

function indent(text, prefix) {
  return text
    .split('\n')
    .map((l) => prefix + l)
    .join('\n');
}

module.exports = { ENVIRONMENT, failureBlocks, indent, plural, skippedLines };
