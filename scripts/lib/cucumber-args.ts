// The arguments a user passes to Cucumber after `npm test --`, checked before
// the sandbox starts: a bad tag expression, shard or feature path is a
// configuration problem (exit 2, one line each), not a stack trace later.
import * as fs from 'node:fs';
import parseTagExpression from '@cucumber/tag-expressions';

/** Cucumber 12 options that take a value as the next argument (`--opt=value` works too). */
const TAKES_VALUE = new Set([
  '-t', '--tags', '--name', '-p', '--profile', '-f', '--format', '--format-options', '--shard', '--parallel', '--order',
  '--retry', '--retry-tag-filter', '-r', '--require', '--import', '--require-module', '--world-parameters', '-c', '--config',
  '--language', '--i18n-keywords',
]);

/** Each option's values, in order (`--tags a --tags=b` → tags: [a, b]). */
function optionValues(args: string[], names: string[]): string[] {
  const values: string[] = [];
  args.forEach((arg, i) => {
    if (names.includes(arg) && i + 1 < args.length) values.push(args[i + 1]);
    for (const n of names) if (n.startsWith('--') && arg.startsWith(`${n}=`)) values.push(arg.slice(n.length + 1));
  });
  return values;
}

/** Feature files or folders named on the command line (`features/a.feature:12` keeps its line). */
export function featurePaths(args: string[]): string[] {
  const paths: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (TAKES_VALUE.has(arg)) i++;
    else if (!arg.startsWith('-')) paths.push(arg);
  }
  return paths;
}

export function isDryRun(args: string[]): boolean {
  return args.includes('--dry-run') || args.includes('-d');
}

/** Every problem with the arguments, one plain sentence each. */
export function cucumberArgProblems(args: string[]): string[] {
  const problems: string[] = [];
  for (const value of optionValues(args, ['--tags', '-t'])) {
    try {
      parseTagExpression(value);
    } catch (err) {
      problems.push(`--tags "${value}": ${(err as Error).message}`);
    }
  }
  for (const value of optionValues(args, ['--shard'])) {
    const m = /^(\d+)\/(\d+)$/.exec(value);
    if (!m || Number(m[1]) < 1 || Number(m[1]) > Number(m[2])) problems.push(`--shard "${value}": give the shard as i/n, with 1 ≤ i ≤ n (e.g. --shard 1/2)`);
  }
  for (const value of optionValues(args, ['--parallel'])) {
    if (!/^\d+$/.test(value)) problems.push(`--parallel "${value}": give a number of workers (e.g. --parallel 2)`);
  }
  for (const p of featurePaths(args)) {
    const file = p.replace(/(:\d+)+$/, '');
    if (!fs.existsSync(file)) problems.push(`"${p}": no such feature file or folder (give paths like features/tutorial/claims-gathering.feature)`);
  }
  return problems;
}
