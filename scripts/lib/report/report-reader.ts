// Reads a generated report the way a stakeholder does, in a real Chromium:
// the Allure overview (its name, which is the run's verdict, the donut's
// statuses and the categories) and the conformance statement (its verdict
// and a requirement's row). Used by `npm run report:check` and by
// test/report/report-in-browser.test.ts. Screenshots go where asked.
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { chromium, type Browser } from 'playwright';
import { browserExecutable } from '../bench/machine';

export interface Overview {
  /** The summary widget's title: "UMA conformance: <verdict> <date>". */
  title: string;
  /** The donut's arcs by status: passed, failed, broken, skipped, unknown. */
  arcs: string[];
  /** The categories widget's text, whitespace collapsed. */
  categories: string;
}

export interface StatementView {
  headline: string;
  row(id: string): Promise<{ text: string; links: string[] }>;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'application/javascript', '.json': 'application/json', '.css': 'text/css', '.svg': 'image/svg+xml', '.ico': 'image/x-icon' };

export function launchReader(): Promise<Browser> {
  return chromium.launch({ headless: true, executablePath: browserExecutable(), args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'] });
}

/** Allure's report loads its data with fetch: it is served on loopback, not opened as a file. */
function serve(dir: string): Promise<http.Server> {
  const root = path.resolve(dir);
  const server = http.createServer((req, res) => {
    const rel = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = path.join(root, rel.endsWith('/') ? `${rel}index.html` : rel);
    if (!file.startsWith(root)) return void res.writeHead(403).end();
    fs.readFile(file, (err, data) => {
      if (err) return void res.writeHead(404).end();
      res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream' }).end(data);
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

export async function readOverview(browser: Browser, reportDir: string, screenshot?: string): Promise<Overview> {
  const server = await serve(reportDir);
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  try {
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/index.html`);
    const summary = page.locator('[data-id="summary"]');
    await summary.locator('.chart__arc').first().waitFor();
    await page.locator('[data-id="categories"]').getByText(/items? total|There is nothing to show/).first().waitFor();
    const overview: Overview = {
      title: squash(await summary.locator('.widget__title').innerText()),
      arcs: (await summary.locator('.chart__arc').evaluateAll((els) => els.map((e) => e.getAttribute('class') ?? ''))).map((c) => /chart__arc_status_(\w+)/.exec(c)?.[1] ?? c),
      categories: squash(await page.locator('[data-id="categories"]').innerText()),
    };
    if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });
    return overview;
  } finally {
    await page.close();
    server.close();
  }
}

export async function readStatement(browser: Browser, file: string, screenshot?: string): Promise<StatementView> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`file://${path.resolve(file)}`);
  const headline = squash(await page.locator('#verdict').innerText());
  if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });
  return {
    headline,
    row: async (id) => {
      const tr = page.locator(`tr[id="${id}"]`);
      return { text: squash(await tr.innerText()), links: await tr.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? '')) };
    },
    close: () => page.close(),
  };
}

/** The verdict inside the overview's title ("UMA conformance: <verdict> <date>"). */
export function overviewVerdict(title: string): string {
  return title.replace(/^UMA conformance: /, '').replace(/\s+\d{1,2}\/\d{1,2}\/\d{4}.*$/, '').trim();
}

/**
 * What is wrong with what the two pages show, in plain words (empty: they
 * agree and a conformant verdict shows no red).
 */
export function disagreements(overview: Overview, statementHeadline: string): string[] {
  const problems: string[] = [];
  const verdict = overviewVerdict(overview.title);
  if (verdict !== statementHeadline) problems.push(`the Allure overview says "${verdict}" but the statement says "${statementHeadline}"`);
  const red = overview.arcs.filter((a) => a === 'failed' || a === 'broken');
  const conformant = /^conformant\b/.test(statementHeadline);
  if (conformant && red.length) problems.push(`the statement says conformant but the Allure donut shows ${red.join(' and ')}`);
  if (conformant && /Conformance failures/.test(overview.categories)) problems.push('the statement says conformant but Allure lists conformance failures');
  if (/^not conformant/.test(statementHeadline) && !red.length) problems.push('the statement says not conformant but the Allure donut shows no failed test');
  return problems;
}
