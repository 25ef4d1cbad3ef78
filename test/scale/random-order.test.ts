// Scenarios do not depend on each other: the whole suite passes in a
// random order. The seed is in the failure message, to replay the order
// with `npm test -- --order random:<seed>`.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { dryRun, removeDir, reportsDir, runLauncher, SCALE_ENABLED, SKIP_REASON, tail } from './run-launcher';

test('the whole suite passes in a random order', { skip: SCALE_ENABLED ? false : SKIP_REASON, timeout: 300_000 }, async () => {
  const seed = String(Math.floor(Math.random() * 1_000_000));
  const dirs = [reportsDir('dry'), reportsDir('random')];
  const dry = await dryRun(dirs[0]);
  const run = await runLauncher(['--order', `random:${seed}`], dirs[1]);

  assert.equal(dry.code, 0, `the dry run failed:\n${tail(dry.output)}`);
  assert.equal(run.code, 0, `the suite did not pass in the order of seed ${seed} (npm test -- --order random:${seed}):\n${tail(run.output)}`);
  const defined = dry.scenarios.map((s) => s.key);
  const ran = run.scenarios.map((s) => s.key);
  assert.deepEqual([...ran].sort(), [...defined].sort(), `seed ${seed}: the random run did not run every scenario once`);
  assert.notDeepEqual(ran, defined, `seed ${seed}: the scenarios ran in their defined order, so the order was not random`);
  dirs.forEach(removeDir);
});
