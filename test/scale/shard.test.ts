// Sharding: `npm test -- --shard 1/2` and `--shard 2/2` (two CI machines)
// together run every scenario of the suite exactly once, both passing.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { dryRun, removeDir, reportsDir, runLauncher, SCALE_ENABLED, SKIP_REASON, tail } from './run-launcher';

const duplicates = (keys: string[]) => keys.filter((k, i) => keys.indexOf(k) !== i);

test('shards 1/2 and 2/2 together run every scenario exactly once', { skip: SCALE_ENABLED ? false : SKIP_REASON, timeout: 300_000 }, async () => {
  const dirs = [reportsDir('dry'), reportsDir('shard1'), reportsDir('shard2')];
  const [dry, one, two] = [await dryRun(dirs[0]), await runLauncher(['--shard', '1/2'], dirs[1]), await runLauncher(['--shard', '2/2'], dirs[2])];

  assert.equal(dry.code, 0, `the dry run failed:\n${tail(dry.output)}`);
  assert.ok(dry.scenarios.length > 2, `the dry run listed ${dry.scenarios.length} scenarios`);
  assert.equal(one.code, 0, `shard 1/2 did not pass:\n${tail(one.output)}`);
  assert.equal(two.code, 0, `shard 2/2 did not pass:\n${tail(two.output)}`);

  // Scenario keys (feature file, scenario line, example row line) survive runs; pickle ids do not.
  const all = dry.scenarios.map((s) => s.key);
  const first = one.scenarios.map((s) => s.key);
  const second = two.scenarios.map((s) => s.key);
  assert.deepEqual(duplicates(all), [], 'the dry run lists a scenario twice');
  assert.deepEqual(duplicates(first), [], 'shard 1/2 ran a scenario twice');
  assert.deepEqual(duplicates(second), [], 'shard 2/2 ran a scenario twice');
  assert.ok(first.length > 0 && second.length > 0, `a shard ran nothing (${first.length} + ${second.length})`);
  assert.deepEqual(
    first.filter((k) => second.includes(k)),
    [],
    'a scenario ran in both shards',
  );
  assert.deepEqual([...first, ...second].sort(), [...all].sort(), 'the shards together do not run exactly the scenarios of the suite');
  // The names as well: the same scenarios, not just the same lines.
  const names = (r: typeof dry) => r.scenarios.map((s) => `${s.uri} › ${s.name}`);
  assert.deepEqual([...names(one), ...names(two)].sort(), names(dry).sort());
  const bad = [...one.scenarios, ...two.scenarios].filter((s) => !['passed', 'known divergence', 'known weakness', 'skipped'].includes(s.status));
  assert.deepEqual(
    bad.map((s) => `${s.uri} › ${s.name}: ${s.status}`),
    [],
    'a scenario failed or ended undefined, ambiguous or pending',
  );
  dirs.forEach(removeDir);
});
