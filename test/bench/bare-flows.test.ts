// The bare-flow baselines against the feature files they stand for, and the
// per-scenario pairing of the suite with them: what makes "suite / bare" a
// comparison of the same scenarios, checked without running either.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { SCENARIOS } from '../../scripts/lib/bench/bare-flow';
import { OIDC_SCENARIOS, bypassList } from '../../scripts/lib/bench/bare-oidc-flow';
import { featureScenarios, withoutBaseline, type FeatureScenario } from '../../scripts/lib/bench/feature-scenarios';
import { combinedRatio, pairScenarios } from '../../scripts/lib/bench/pairing';
import { browserStepRatios } from '../../scripts/lib/bench/browser-steps';
import { bypassList as suiteBypassList } from '../../support/clients/website-browser';

const ROOT = path.resolve(__dirname, '..', '..');
const features = featureScenarios(ROOT);

function checkNamesExist(bare: Array<{ name: string; feature: string }>, label: string): void {
  const names = bare.map((b) => b.name);
  assert.equal(new Set(names).size, names.length, `${label}: a scenario name appears twice`);
  for (const b of bare) {
    const found = features.filter((f) => f.name === b.name);
    assert.ok(found.length, `${label}: "${b.name}" is no scenario of the feature files (renamed?)`);
    assert.ok(
      found.some((f) => f.feature === b.feature && f.tags.includes('@tutorial')),
      `${label}: "${b.name}" is in ${found.map((f) => f.feature).join(', ')}, not a @tutorial scenario of ${b.feature}`,
    );
  }
}

test('feature scenarios: Gherkin names an outline row with its values, with the feature tags', () => {
  const row = features.find((f) => f.name === 'A wrong city keeps the settings page closed, refused as forbidden');
  assert.ok(row, 'the claims-denied outline row');
  assert.equal(row.feature, 'features/oidc-uma/claims-denied.feature');
  assert.ok(row.tags.includes('@tutorial') && row.tags.includes('@oidc-uma') && row.tags.includes('@deny'), row.tags.join(' '));
});

test('first bare flow: every scenario name is a @tutorial scenario of its feature file', () => {
  checkNamesExist(SCENARIOS, 'bare-flow.ts');
});

test('first bare flow: does every scenario `@tutorial and not @oidc-uma` selects (the suite run it is compared with)', () => {
  const selected = features.filter((f) => f.tags.includes('@tutorial') && !f.tags.includes('@oidc-uma')).map((f) => f.name);
  assert.deepEqual([...selected].sort(), SCENARIOS.map((s) => s.name).sort());
});

test('second bare flow: every scenario name is a @tutorial scenario of its feature file', () => {
  checkNamesExist(OIDC_SCENARIOS, 'bare-oidc-flow.ts');
});

test('second bare flow: does every @oidc-uma feature file, every scenario of each (the suite run it is compared with), in their order', () => {
  const oidcFiles = [...new Set(features.filter((f) => f.tags.includes('@oidc-uma')).map((f) => f.feature))].sort();
  assert.deepEqual([...new Set(OIDC_SCENARIOS.map((s) => s.feature))], oidcFiles);
  const files = [...new Set(OIDC_SCENARIOS.map((s) => s.feature))];
  assert.deepEqual(files, [...files].sort(), 'the bench passes the files in file-name order, as a full run orders them');
  const inFiles = features.filter((f) => files.includes(f.feature)).map((f) => f.name);
  assert.deepEqual(OIDC_SCENARIOS.map((s) => s.name), inFiles);
  assert.ok(OIDC_SCENARIOS.every((s) => features.find((f) => f.name === s.name)!.tags.includes('@oidc-uma')));
});

test("second bare flow: the browser's proxy bypass list is the suite website browser's", () => {
  const origins = ['http://127.0.0.1:41013', 'https://localhost:33023', 'https://gg.example.com'];
  assert.equal(bypassList(origins), suiteBypassList(origins));
  assert.equal(bypassList(origins), '<-loopback>,127.0.0.1:41013,localhost:33023,gg.example.com:443');
});

test('without baseline: the @tutorial scenarios neither bare flow does, per feature file', () => {
  const fake: FeatureScenario[] = [
    { name: 'a', feature: 'features/x.feature', tags: ['@tutorial'] },
    { name: 'b', feature: 'features/x.feature', tags: ['@tutorial'] },
    { name: 'c', feature: 'features/y.feature', tags: ['@tutorial', '@oidc-uma'] },
    { name: 'd', feature: 'features/z.feature', tags: ['@other'] },
  ];
  assert.deepEqual(withoutBaseline(fake, ['a']), [
    { feature: 'features/x.feature', count: 1 },
    { feature: 'features/y.feature', count: 1 },
  ]);
  // The real files: every @tutorial scenario has a bare counterpart (the update-site step, the
  // second tutorial's callbacks and security probes included).
  assert.deepEqual(withoutBaseline(features, [...SCENARIOS, ...OIDC_SCENARIOS].map((s) => s.name)), []);
});

test('pairing: by name, medians over repetitions, ratio, and the names on one side only', () => {
  const suite = [
    [
      { name: 'one', durationMs: 300 },
      { name: 'two', durationMs: 100 },
      { name: 'extra', durationMs: 50 },
    ],
    [
      { name: 'one', durationMs: 500 },
      { name: 'two', durationMs: 120 },
    ],
    [{ name: 'one', durationMs: 400 }],
  ];
  const bare = [
    [
      { name: 'one', durationMs: 200 },
      { name: 'two', durationMs: 100 },
    ],
    [{ name: 'one', durationMs: 200 }],
  ];
  const p = pairScenarios(suite, bare, ['one', 'two', 'renamed']);
  assert.deepEqual(
    p.pairs.map((x) => [x.name, x.suiteMs?.median, x.bareMs?.median, x.ratio]),
    [
      ['one', 400, 200, 2],
      ['two', 110, 100, 1.1],
      ['renamed', undefined, undefined, undefined],
    ],
  );
  assert.deepEqual(p.suiteOnly, ['extra']);
  assert.deepEqual(p.bareOnly, ['renamed']);
  // No suite run: nothing is "missing" from it.
  assert.deepEqual(pairScenarios([], bare, ['one']).bareOnly, []);
});

test('combined ratio: per repetition the sum over tutorials, then the ratio of medians; incomplete repetitions left out', () => {
  const c = combinedRatio(
    [
      [10, 12, 11],
      [20, 22, 21],
    ],
    [
      [5, 6, 5],
      [15, undefined, 17],
    ],
  );
  assert.deepEqual([c.suiteMs?.median, c.suiteMs?.n, c.bareMs?.median, c.bareMs?.n], [32, 3, 21, 2]);
  assert.equal(c.ratio, 1.52);
  assert.equal(combinedRatio([], []).ratio, undefined);
});

test('browser steps: mean per use over matching step texts, median over runs, against the floor of the shape', () => {
  const floor = (claims: number, ctx: number, open: number, login: number, answers: number) => {
    const sp = (m: number) => ({ n: 1, median: m, min: m, max: m });
    return { reps: 1, browserLaunchMs: 0, claims: { context: sp(0), answers: sp(claims), total: sp(claims) }, oidc: { context: sp(ctx), open: sp(open), login: sp(login), answers: sp(answers), total: sp(ctx + open + login + answers) } };
  };
  const runs = [
    [
      { what: 'the user answers Country "US" and City "NY"', totalMs: 900, count: 1 },
      { what: 'the user answers Country "FR" and City "NY"', totalMs: 1100, count: 1 },
      { what: 'the user answers Country "US" and City "NY" in the browser', totalMs: 2400, count: 4 },
    ],
    [{ what: 'the user answers Country "US" and City "NY"', totalMs: 1200, count: 1 }],
  ];
  const rows = browserStepRatios(runs, [floor(500, 100, 100, 400, 800), floor(700, 100, 100, 400, 1000)]);
  const byLabel = new Map(rows.map((r) => [r.label, r]));
  const t1 = byLabel.get('1st: the user answers Country … and City … in the browser')!;
  assert.deepEqual([t1.count, t1.suiteMs, t1.floorMs, t1.ratio], [4, 600, 600, 1]);
  const t2 = byLabel.get('2nd: the user answers Country … and City …')!;
  // Run 1: (900 + 1100) / 2 = 1000, run 2: 1200 → median 1100; floor median of 800 and 1000 = 900.
  assert.deepEqual([t2.count, t2.suiteMs, t2.floorMs, t2.ratio], [2, 1100, 900, 1.22]);
  const none = byLabel.get('2nd: the user logs in as the test user and allows the consent')!;
  assert.deepEqual([none.count, none.suiteMs, none.ratio], [0, undefined, undefined]);
});
