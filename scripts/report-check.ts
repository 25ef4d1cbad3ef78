// `npm run report:check`: opens the report `npm run report` generated, and the
// conformance statement, in Chromium, and says what a stakeholder sees there:
// the overview's verdict, the donut's statuses, the categories, the
// statement's verdict; screenshots in reports/report-check/.
//   exit 0  both pages say the same verdict, and a conformant one shows no red
//   exit 1  they disagree (each disagreement said in one line)
//   exit 2  no report yet, or no browser to open it with
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPORTS } from './lib/reports-dir';
import { disagreements, launchReader, overviewVerdict, readOverview, readStatement } from './lib/report/report-reader';

const out = (line: string) => process.stdout.write(`${line}\n`);
/** A path as the user would type it: relative to where they are when inside it, else absolute. */
const rel = (p: string) => {
  const r = path.relative(process.cwd(), p);
  return r && !r.startsWith('..') ? r : p;
};

function fail(message: string): number {
  process.stderr.write(`report:check: ${message}\n`);
  return 2;
}

async function main(): Promise<number> {
  if (process.argv.length > 2) return fail(`takes no arguments (got ${process.argv.slice(2).join(' ')}); UMA_REPORTS_DIR chooses the reports folder`);
  const report = path.join(REPORTS, 'allure-report');
  const statement = path.join(REPORTS, 'conformance-statement.html');
  if (!fs.existsSync(path.join(report, 'index.html')) || !fs.existsSync(statement)) return fail(`no report in ${rel(REPORTS)}: run \`npm test\` and \`npm run report\` first`);
  const shots = path.join(REPORTS, 'report-check');
  fs.mkdirSync(shots, { recursive: true });
  let browser;
  try {
    browser = await launchReader();
  } catch (err) {
    return fail(`could not start the browser (${(err as Error).message.split('\n')[0]}); UMA_BROWSER_PATH names one`);
  }
  try {
    const overview = await readOverview(browser, report, path.join(shots, 'overview.png'));
    const view = await readStatement(browser, statement, path.join(shots, 'statement.png'));
    await view.close();
    out('What the report shows (read in Chromium):');
    out(`  Allure overview: ${overviewVerdict(overview.title)}; donut: ${[...new Set(overview.arcs)].join(', ') || 'empty'}`);
    out(`  Allure categories: ${overview.categories.replace(/^Categories\s*(\d+ items? total\s*)?/, '').replace(/\s*Show all$/, '') || 'none'}`);
    out(`  Conformance statement: ${view.headline}`);
    out(`  Screenshots: ${rel(path.join(shots, 'overview.png'))}, ${rel(path.join(shots, 'statement.png'))}`);
    const problems = disagreements(overview, view.headline);
    for (const p of problems) out(`  DISAGREES: ${p}`);
    return problems.length ? 1 : 0;
  } finally {
    await browser.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`report:check: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}\n`);
    process.exit(2);
  },
);
