// The console formatter: one line per scenario as it finishes (so a long
// nightly run shows progress), known divergences told apart from failures,
// and at the end each failure's message once: plain words, expected vs
// actual, evidence (support/console-lines.js words the end-of-run blocks).
// Skipped scenarios get no line of their own: one line per reason, with its
// count, at the end. The summary line is the launcher's (scripts/run.ts),
// printed once, after the clean-up. Security findings (a recorded weakness a probe found)
// get their own section: neither a pass nor a failure, they never make the
// run red. Attachments stay in the reports; they never flood the
// console. Plain JavaScript: Cucumber loads formatters with import(), which
// the ts-node require hook does not reach.
const { Formatter, Status } = require('@cucumber/cucumber');
const { ENVIRONMENT, failureBlocks, indent, skippedLines } = require('./console-lines.js');

// The checks' error class at the start of the message (scripts/lib/run-summary.ts says why).
const KNOWN = /^KnownDivergenceAssertionError: KNOWN DIVERGENCE /;
const WEAKNESS = /^KnownWeaknessAssertionError: KNOWN WEAKNESS /;
const COLOURS = { green: 32, red: 31, yellow: 33, magenta: 35, grey: 90 };
const MARKS = { passed: ['green', '✔'], failed: ['red', '✘'], 'known divergence': ['yellow', '≈'], 'known weakness': ['magenta', '⚠'], skipped: ['grey', '↷'] };

/** @param {Array<[string, {status: string, message?: string}]>} results */
function outcomeOf(results) {
  const bad = results.filter(([, r]) => r.status !== Status.PASSED && r.status !== Status.SKIPPED);
  // As scripts/lib/run-summary.ts `knownOutcome`: all recorded weaknesses → a finding; recorded divergences or weaknesses → a divergence.
  if (bad.length) {
    if (!bad.every(([, r]) => r.status === Status.FAILED)) return 'failed';
    if (bad.every(([, r]) => WEAKNESS.test(r.message || ''))) return 'known weakness';
    return bad.every(([, r]) => KNOWN.test(r.message || '') || WEAKNESS.test(r.message || '')) ? 'known divergence' : 'failed';
  }
  // Nothing failed but a step was skipped: a Before hook skipped the scenario.
  return results.some(([, r]) => r.status === Status.SKIPPED) ? 'skipped' : 'passed';
}

/** The failure in plain words: without the error class prefix and the stack trace. */
function plainMessage(text) {
  return text
    .replace(/^(ConformanceAssertionError|KnownDivergenceAssertionError|KnownWeaknessAssertionError|SetupError|EnvironmentError|Error): /, '')
    .split('\n')
    .filter((l) => !/^\s+at \S/.test(l))
    .join('\n')
    .trimEnd();
}

/** The reason a Before hook logged when it skipped the scenario ("Skipped: …"), for the Skipped block. */
function skipReason(attempt) {
  for (const list of Object.values(attempt.stepAttachments || {})) {
    for (const a of list) {
      if (a.mediaType === 'text/x.cucumber.log+plain' && /^Skipped: /.test(a.body)) return a.body.replace(/^Skipped: /, '');
    }
  }
  return undefined;
}

class ConsoleFormatter extends Formatter {
  constructor(options) {
    super(options);
    /** @type {Array<{title: string, outcome: string, message?: string, step?: string, environment?: boolean, skipReason?: string}>} */
    this.results = [];
    this.total = 0;
    this.colour = Boolean(options.stream.isTTY) && !process.env.NO_COLOR;
    options.eventBroadcaster.on('envelope', (e) => {
      if (e.testCase) this.total++;
      if (e.testCaseFinished && !e.testCaseFinished.willBeRetried) this.onFinished(e.testCaseFinished.testCaseStartedId);
      if (e.testRunFinished) this.onRunFinished();
    });
  }

  paint(colour, text) {
    return this.colour ? `\u001b[${COLOURS[colour]}m${text}\u001b[0m` : text;
  }

  onFinished(testCaseStartedId) {
    const attempt = this.eventDataCollector.getTestCaseAttempt(testCaseStartedId);
    const feature = (attempt.gherkinDocument.feature && attempt.gherkinDocument.feature.name) || attempt.pickle.uri;
    const title = `${feature} › ${attempt.pickle.name}`;
    const results = Object.entries(attempt.stepResults);
    const outcome = outcomeOf(results);
    const firstBad = results.find(([, r]) => r.status !== Status.PASSED && r.status !== Status.SKIPPED);
    let step;
    let message;
    let environment = false;
    if (firstBad) {
      const [stepId, result] = firstBad;
      const testStep = attempt.testCase.testSteps.find((t) => t.id === stepId);
      const pickleStep = testStep && attempt.pickle.steps.find((s) => s.id === testStep.pickleStepId);
      step = pickleStep ? pickleStep.text : undefined;
      message = plainMessage(result.message || `step ${String(result.status).toLowerCase()}`);
      environment = ENVIRONMENT.test(result.message || '');
    }
    if (outcome === 'skipped') {
      // No line of its own: the Skipped block at the end counts it under its reason.
      this.results.push({ title, outcome, skipReason: skipReason(attempt) });
      return;
    }
    this.results.push({ title, outcome, message, step, environment });
    const [colour, mark] = MARKS[outcome];
    const divergence = outcome === 'known divergence' ? (/KNOWN DIVERGENCE (\S+?):/.exec(message || '') || [])[1] : undefined;
    const weakness = outcome === 'known weakness' ? (/KNOWN WEAKNESS (\S+ \(\w+\)):/.exec(message || '') || [])[1] : undefined;
    const note = divergence
      ? this.paint('yellow', `  known divergence ${divergence}`)
      : weakness
        ? this.paint('magenta', `  known weakness ${weakness}`)
        : '';
    this.log(`${`${this.results.length}/${this.total}`.padStart(7)} ${this.paint(colour, mark)} ${title}${note}\n`);
  }

  onRunFinished() {
    const failures = this.results.filter((f) => f.outcome === 'failed');
    if (failures.length) {
      this.log(`\n${this.paint('red', `Failures (${failures.length}):`)}\n`);
      for (const block of failureBlocks(failures)) this.log(`\n${block}\n`);
    }
    // Findings apart from failures: what the deployment lets an attacker do, as recorded; the run stays green.
    const findings = this.results.filter((f) => f.outcome === 'known weakness');
    if (findings.length) {
      this.log(`\n${this.paint('magenta', `Security findings: known weaknesses present (${findings.length}), recorded in the known-weaknesses ledger; not failures:`)}\n`);
      // The finding without its HTTP evidence (the reports keep that): a summary an operator reads.
      findings.forEach((f, i) => this.log(`\n${i + 1}) ${f.title}\n${indent((f.message || '').split(/\n {2}evidence \(/)[0], '   ')}\n`));
    }
    const skipped = skippedLines(this.results.filter((f) => f.outcome === 'skipped').map((f) => f.skipReason));
    if (skipped.length) this.log(`\n${this.paint('grey', skipped[0])}\n${skipped.slice(1).join('\n')}\n`);
  }
}

module.exports = ConsoleFormatter;
