// The console formatter's end-of-run blocks (support/console-lines.js): a
// failure the environment caused in many scenarios told once, skipped
// scenarios one line per reason with its count, plurals in plain English.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

interface Failure {
  title: string;
  step?: string;
  message?: string;
  environment?: boolean;
}
const { failureBlocks, plural, skippedLines } = require('../../support/console-lines.js') as {
  failureBlocks(failures: Failure[]): string[];
  plural(n: number, one: string, many?: string): string;
  skippedLines(reasons: Array<string | undefined>): string[];
};

const BROWSER = 'the browser /bin/false could not be started or reached: browserType.launch: Target page, context or browser has been closed. Set UMA_BROWSER_PATH to a Chromium, or UMA_BROWSER_WS to a Playwright browser server.';

test('plural: 1 scenario, 2 scenarios, 1 known weakness present, 2 known weaknesses present', () => {
  assert.equal(plural(1, 'scenario'), '1 scenario');
  assert.equal(plural(0, 'scenario'), '0 scenarios');
  assert.equal(plural(2, 'known divergence'), '2 known divergences');
  assert.equal(plural(1, 'known weakness present', 'known weaknesses present'), '1 known weakness present');
  assert.equal(plural(2, 'known weakness present', 'known weaknesses present'), '2 known weaknesses present');
});

test('a browser that cannot start: one line for every browser scenario it failed, not one block each (README)', () => {
  const failures = [1, 2, 3, 4, 5, 6, 7].map((i) => ({ title: `Claims gathering › scenario ${i}`, step: `the user answers ${i}`, message: BROWSER, environment: true }));
  assert.deepEqual(failureBlocks(failures), [`1) 7 scenarios (✘ above), one environment problem: ${BROWSER}`]);
});

test('conformance failures keep a block each, also with the same words; a lone environment failure keeps its block', () => {
  const same = 'The gateway let it through.\n  expected: 401\n  actual:   200';
  const blocks = failureBlocks([
    { title: 'F › a', step: 'a request', message: same },
    { title: 'F › b', step: 'a request', message: same },
    { title: 'F › c', message: BROWSER, environment: true },
  ]);
  assert.deepEqual(blocks, [
    '1) F › a\n   step: a request\n   The gateway let it through.\n     expected: 401\n     actual:   200',
    '2) F › b\n   step: a request\n   The gateway let it through.\n     expected: 401\n     actual:   200',
    `3) F › c\n   step: (a hook)\n   ${BROWSER}`,
  ]);
});

test('environment failures with other words stay apart, in the order they came', () => {
  const blocks = failureBlocks([
    { title: 'F › a', step: 's', message: 'oxd refused', environment: true },
    { title: 'F › b', step: 's', message: BROWSER, environment: true },
    { title: 'F › c', step: 's', message: 'oxd refused', environment: true },
  ]);
  assert.deepEqual(blocks, ['1) 2 scenarios (✘ above), one environment problem: oxd refused', `2) F › b\n   step: s\n   ${BROWSER}`]);
});

test('skipped scenarios: one line per reason with its count, not one line per scenario (issue 14 item 16)', () => {
  const website = "the second tutorial's scenarios need the tutorial's website as the browser reaches it through Kong (OIDC_UMA_URL).";
  const own = 'this scenario configures its own gateway objects, which UMA_PROVISION=existing does not allow.';
  const reasons = [...Array(11).fill(website), own, own, ...Array(9).fill(website), own];
  assert.deepEqual(skippedLines(reasons), ['Skipped (23):', `  20 × ${website}`, `   3 × ${own}`]);
  assert.deepEqual(skippedLines([undefined]), ['Skipped (1):', '  1 × (no reason given)']);
  assert.deepEqual(skippedLines([]), []);
});

test("the README's console examples are what the console prints", () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
  const failures = [1, 2, 3, 4, 5, 6, 7].map((i) => ({ title: `t${i}`, message: BROWSER, environment: true }));
  assert.ok(readme.includes(`Failures (7):\n\n${failureBlocks(failures)[0]}\n`), 'the browser example under "A browser that cannot start"');
  const website = "the second tutorial's scenarios need the tutorial's website as the browser reaches it through Kong (OIDC_UMA_URL).";
  const own = 'this scenario configures its own gateway objects, which UMA_PROVISION=existing does not allow.';
  assert.ok(readme.includes(`\n${skippedLines([...Array(20).fill(website), own, own, own]).join('\n')}\n`), 'the Skipped block of the existing-environment example');
});
