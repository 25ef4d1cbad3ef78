import assert from 'node:assert/strict';
import { test } from 'node:test';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { CUCUMBER_OPTIONS, cucumberArgProblems, featurePaths, isDryRun } from '../../scripts/lib/cucumber-args';

const ROOT = path.resolve(__dirname, '..', '..');

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

test('the launcher knows exactly the options of the installed Cucumber (its --help)', () => {
  const help = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', '@cucumber', 'cucumber', 'bin', 'cucumber.js'), '--help'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(help.status, 0, help.stderr);
  const listed = help.stdout
    .split('\n')
    .map((l) => /^ {2}((?:-[\w-]+(?:, )?)+)(?: <[^>]+>)? /.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ names: m[1].split(', ').sort(), takesValue: new RegExp(`^ {2}${m[1]} <`).test(m.input) }));
  assert.ok(listed.length > 25, `only ${listed.length} options read from --help`);
  const ours = CUCUMBER_OPTIONS.map((o) => ({ names: [...o.names].sort(), takesValue: o.takesValue }));
  const key = (o: { names: string[] }) => o.names.join(' ');
  assert.deepEqual([...ours].sort((a, b) => key(a).localeCompare(key(b))), [...listed].sort((a, b) => key(a).localeCompare(key(b))));
});

test('unknown options, missing values, profiles, formatters and JSON values are each one plain problem', () => {
  assert.deepEqual(cucumberArgProblems(['-p', 'default', '-t', '@smoke', '-bd', '--exit', '--format', 'progress', '--format', './support/console-formatter.js', '--order', 'random:42', '--world-parameters', '{"a":1}']), []);
  assert.deepEqual(cucumberArgProblems(['--no-such-option', '-x', '--strict=1', '--profile', 'nightly', '--format', 'x:out.txt', '--order', 'reverse', '--format-options', '[1]', '--retry', 'x', '--tags']), [
    '--no-such-option is not a Cucumber option (`npm test -- --help` lists them)',
    '-x is not a Cucumber option (`npm test -- --help` lists them)',
    "--strict=…: Cucumber's --strict takes no value",
    '--tags needs a value (e.g. --tags @smoke)',
    '--retry "x": give a number of retries (e.g. --retry 1)',
    '--order "reverse": give defined, random or random:<seed>',
    '--format-options "[1]": give a JSON object (e.g. --format-options \'{"key":"value"}\')',
    '--profile "nightly": cucumber.js has no such profile (profiles: default)',
    '--format "x:out.txt": not a Cucumber formatter (built in: html, junit, pretty, message, json, progress, progress-bar, rerun, snippets, summary, usage, usage-json; or a formatter file or installed module)',
  ]);
  // Values that look like options are values; after `--` everything is a path; control characters are escaped.
  assert.deepEqual(featurePaths(['-l', 'x', '--plugin', 'y', '-tfoo', '--', 'features/smoke.feature']), ['features/smoke.feature']);
  assert.deepEqual(cucumberArgProblems(['--\u001b[2J']), ['--\\u001b[2J is not a Cucumber option (`npm test -- --help` lists them)']);
});
