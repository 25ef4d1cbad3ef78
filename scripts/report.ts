// `npm run report`         HTML report in reports/allure-report, with the trend
//                          of the previous report (its history is carried over),
//                          and the conformance statement reports/conformance-statement.{html,json,md}
// `npm run report:single`  one self-contained HTML file for mail or chat
// `npm run report:open`    serves reports/allure-report in a browser
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPORTS, ROOT } from './lib/reports-dir';
import { writeCategories } from './lib/allure-files';
import { rewriteResults } from './lib/report/allure-truth';
import { writeVerdictLine } from './lib/report/environment-verdict';
import { ledgers, linkScenarios, makeStatement, writeStatement } from './lib/report/write-statement';

const RESULTS = path.join(REPORTS, 'allure-results');
const REPORT = path.join(REPORTS, 'allure-report');
const SINGLE = path.join(REPORTS, 'allure-report-single');
const ALLURE = path.join(ROOT, 'node_modules', 'allure-commandline', 'dist', 'bin', 'allure');

function fail(message: string): never {
  process.stderr.write(`report: ${message}\n`);
  process.exit(2);
}

function allure(args: string[]): number {
  const r = spawnSync(ALLURE, args, { stdio: 'inherit', cwd: ROOT });
  if (r.error) fail(`could not run Allure (${r.error.message})`);
  return r.status ?? 1;
}

function hasJava(): boolean {
  return spawnSync('java', ['-version'], { stdio: 'ignore' }).status === 0;
}

/** Allure's trend charts read the previous report's history from the results folder. */
function carryHistory(): void {
  const previous = path.join(REPORT, 'history');
  if (!fs.existsSync(previous)) return;
  fs.cpSync(previous, path.join(RESULTS, 'history'), { recursive: true });
}

/** A path as the user would type it: relative to where they are when inside it, else absolute. */
function shown(p: string): string {
  const rel = path.relative(process.cwd(), p);
  return rel && !rel.startsWith('..') ? rel : p;
}

function main(): void {
  const mode = process.argv[2] ?? 'generate';
  if (!['generate', 'single', 'open'].includes(mode)) fail(`unknown mode "${mode}" (generate, single or open)`);
  const extra = process.argv.slice(3);
  if (extra.length) fail(`takes no arguments (got ${extra.join(' ')}); UMA_REPORTS_DIR chooses the reports folder`);
  if (!hasJava()) fail('Allure needs Java; install it (Debian: apt-get install -y default-jre-headless) and run again');
  if (mode === 'open') {
    if (!fs.existsSync(path.join(REPORT, 'index.html'))) fail('no report yet: run `npm test` and `npm run report` first');
    process.exit(allure(['open', REPORT]));
  }
  const results = fs.existsSync(RESULTS) ? fs.readdirSync(RESULTS).filter((f) => f.endsWith('-result.json')) : [];
  if (!results.length) fail(`no test results in ${shown(RESULTS)}: run \`npm test\` first (with the same UMA_REPORTS_DIR)`);
  // Known divergences and findings are not failures (scripts/lib/report/allure-truth.ts); the verdict heads the overview.
  const { divergences, weaknesses } = ledgers(ROOT);
  rewriteResults(RESULTS, divergences, weaknesses);
  writeCategories(RESULTS);
  const statement = makeStatement({ root: ROOT, reports: REPORTS, results: RESULTS });
  writeVerdictLine(RESULTS, statement.verdict.headline);
  const name = ['--report-name', `UMA conformance: ${statement.verdict.headline}`];
  if (mode === 'single') {
    const code = allure(['generate', RESULTS, '--clean', '--single-file', ...name, '-o', SINGLE]);
    if (code === 0) process.stdout.write(`Single-file report: ${shown(path.join(SINGLE, 'index.html'))}\n`);
    process.exit(code);
  }
  carryHistory();
  const code = allure(['generate', RESULTS, '--clean', ...name, '-o', REPORT]);
  if (code === 0) linkScenarios(statement, REPORTS, REPORT);
  const files = writeStatement(statement, REPORTS);
  if (code === 0) process.stdout.write(`Report: ${shown(path.join(REPORT, 'index.html'))} (npm run report:open serves it)\n`);
  process.stdout.write(`Conformance statement (${statement.verdict.headline}): ${shown(files.html)} (also .json, .md)\n`);
  process.exit(code);
}

main();
