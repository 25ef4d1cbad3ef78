import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cucumberArgProblems, featurePaths, isDryRun } from '../../scripts/lib/cucumber-args';

test('feature paths are the arguments that are neither options nor option values', () => {
  assert.deepEqual(featurePaths(['--tags', '@smoke', 'features/smoke.feature:8', '--parallel', '2', '--name=x', 'features/tutorial']), ['features/smoke.feature:8', 'features/tutorial']);
  assert.deepEqual(featurePaths(['--shard', '1/2', '--order', 'random', '--dry-run']), []);
  assert.ok(isDryRun(['--dry-run']) && isDryRun(['-d']) && !isDryRun(['--tags', '@smoke']));
});

test('each bad argument is one plain problem; good ones none', () => {
  assert.deepEqual(cucumberArgProblems(['--tags', '@smoke or @tutorial', '--shard=2/2', '--parallel', '2', 'features/smoke.feature:8']), []);
  const problems = cucumberArgProblems(['--shard', '0/2', '--shard=3/2', '--shard', 'abc', '--parallel', 'two', 'features/none.feature', '--tags=@a and']);
  assert.match(problems[0], /^--tags "@a and": \S/);
  assert.deepEqual(problems.slice(1), [
    '--shard "0/2": give the shard as i/n, with 1 ≤ i ≤ n (e.g. --shard 1/2)',
    '--shard "3/2": give the shard as i/n, with 1 ≤ i ≤ n (e.g. --shard 1/2)',
    '--shard "abc": give the shard as i/n, with 1 ≤ i ≤ n (e.g. --shard 1/2)',
    '--parallel "two": give a number of workers (e.g. --parallel 2)',
    '"features/none.feature": no such feature file or folder (give paths like features/tutorial/claims-gathering.feature)',
  ]);
});
