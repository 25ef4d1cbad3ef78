// One suite run against a sandbox that records every secret it hands out,
// with a fault so that passing, failing (browser, with a trace) and known
// divergence scenarios all appear. Then: the Allure results carry steps, HTTP
// evidence and screenshots; the generated report opens in Chromium and shows
// them; and no secret appears in any file under the reports folder (zip
// contents included) or in the console output.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AddressInfo } from 'node:net';
import { startSandbox, type RunningSandbox } from '../../scripts/lib/sandbox-launcher';
import { _forTests } from '../../support/trace-masking';
import { chooseExecutable } from '../../support/clients/claims-browser';
import { NODE_TS_ARGS } from '../../scripts/lib/node-ts';

const ROOT = path.resolve(__dirname, '..', '..');
const TAGS = '@smoke or @claims-gathering or @pushed-claims or @UMA-GRANT-3.3.6-INVALID-GRANT';

let sandbox: RunningSandbox;
let reports: string;
let secretsFile: string;
let consoleOutput = '';
let exitCode: number | null = null;

interface AllureAttachment {
  name: string;
  source: string;
  type: string;
}
interface AllureStep {
  name: string;
  steps: AllureStep[];
  attachments: AllureAttachment[];
}
interface AllureResult extends AllureStep {
  uuid: string;
  status: string;
  labels: Array<{ name: string; value: string }>;
  links: Array<{ url: string; name?: string }>;
}

function results(): AllureResult[] {
  const dir = path.join(reports, 'allure-results');
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('-result.json'))
    .map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as AllureResult)
    .filter((r) => !r.labels.some((l) => l.name === 'epic' && l.value === 'Environment'));
}

function allAttachments(s: AllureStep): AllureAttachment[] {
  return [...(s.attachments ?? []), ...(s.steps ?? []).flatMap(allAttachments)];
}

/** What the After hooks attached: allure-cucumberjs files it under the result's tear-down (its container). */
function tearDownAttachments(r: AllureResult): AllureAttachment[] {
  const dir = path.join(reports, 'allure-results');
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('-container.json'))
    .map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as { children: string[]; afters?: AllureStep[] })
    .filter((c) => c.children.includes(r.uuid))
    .flatMap((c) => (c.afters ?? []).flatMap(allAttachments));
}

function runLauncher(args: string[], env: NodeJS.ProcessEnv): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...NODE_TS_ARGS, path.join(ROOT, 'scripts', 'run.ts'), ...args], { cwd: ROOT, env });
    child.stdout.on('data', (d: Buffer) => (consoleOutput += d.toString()));
    child.stderr.on('data', (d: Buffer) => (consoleOutput += d.toString()));
    child.on('exit', (code) => resolve(code));
  });
}

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

before(async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'uma-report-'));
  reports = path.join(tmp, 'reports');
  secretsFile = path.join(tmp, 'secrets.txt');
  // state-altered makes the browser scenarios fail after the claims pages: a trace is kept.
  sandbox = await startSandbox(['--record-secrets', secretsFile, '--fault', 'state-altered']);
  const u = sandbox.urls;
  exitCode = await runLauncher(['--tags', TAGS], {
    ...process.env,
    UMA_TARGET: 'external',
    UMA_PROVISION: 'auto',
    GG_ADMIN_URL: u.kongAdmin,
    GG_PROXY_URL: u.kongProxy,
    OXD_HOST: u.oxd,
    CE_URL: u.oxauth,
    UPSTREAM_URL: u.upstream,
    ECHO_UPSTREAM_URL: u.echo,
    UMA_TLS_INSECURE: 'true',
    UMA_REPORTS_DIR: reports,
  });
});

after(async () => {
  await sandbox?.stop();
});

test('the run went as designed: failures (the fault), passes and known divergences', () => {
  assert.equal(exitCode, 1, consoleOutput.slice(-2000));
  assert.match(consoleOutput, /\d+ passed, [1-9]\d* failed \(\d+ known divergences?[^)]*\)/);
});

test('every scenario is an Allure result with its steps, labels and HTTP evidence', () => {
  const rs = results();
  // The total of the console's progress lines ("  3/18 ✔ …"): the summary line counts by outcome only.
  const scenarios = (/^\s*\d+\/(\d+) [✔✘≈⚠] /m.exec(consoleOutput) ?? [])[1];
  assert.equal(rs.length, Number(scenarios));
  for (const r of rs) {
    assert.ok(r.steps.length >= 3, `${r.name}: ${r.steps.length} steps`);
    const labels = Object.fromEntries(r.labels.map((l) => [l.name, l.value]));
    assert.ok(labels.epic && labels.feature && labels.severity && labels.story, `${r.name}: labels ${JSON.stringify(labels)}`);
    const evidence = allAttachments(r).filter((a) => a.type === 'text/plain' && /→ \d{3}\.txt$/.test(a.name));
    assert.ok(evidence.length > 0, `${r.name}: no HTTP evidence`);
    const text = fs.readFileSync(path.join(reports, 'allure-results', evidence[0].source), 'utf8');
    assert.match(text, /^(GET|POST|DELETE|PUT|PATCH) https?:\/\/\S+ {3}\[[^\]]+\]$/m, 'an exchange names method, URL and component');
    assert.match(text, /^── \d{3} in [\d.]+ ms$/m, 'an exchange shows the answer');
  }
});

test('browser scenarios carry a screenshot of each claims page; failed ones a Playwright trace', () => {
  const browser = results().filter((r) => r.labels.some((l) => l.name === 'tag' && l.value === '@claims-gathering'));
  assert.ok(browser.length >= 5);
  for (const r of browser) {
    const shots = allAttachments(r).filter((a) => a.type === 'image/png').map((a) => a.name);
    assert.deepEqual(shots.slice(0, 2), ['claims page country.png', 'claims page city.png'], r.name);
    if (r.status === 'failed') assert.ok(tearDownAttachments(r).some((a) => a.name === 'playwright-trace.zip'), `${r.name}: no trace`);
  }
  assert.ok(browser.some((r) => r.status === 'failed'), 'the fault should make a browser scenario fail');
});

test('requirement tags become links to the UMA 2.0 sections; known divergences are categorised apart', () => {
  const withReq = results().filter((r) => r.labels.some((l) => l.name === 'tag' && l.value.startsWith('@UMA-GRANT-')));
  assert.ok(withReq.length > 0);
  for (const r of withReq) assert.ok(r.links.some((l) => l.url.startsWith('https://docs.kantarainitiative.org/uma/wg/rec-oauth-uma-grant-2.0.html#rfc.section.')), r.name);
  const categories = JSON.parse(fs.readFileSync(path.join(reports, 'allure-results', 'categories.json'), 'utf8')) as Array<{ name: string }>;
  assert.ok(categories[0].name.startsWith('Known divergences'));
  assert.match(fs.readFileSync(path.join(reports, 'allure-results', 'environment.properties'), 'utf8'), /^Kong\\ Admin\\ API=Kong 2\.2\.1 at /m);
});

const hasJava = spawnSync('java', ['-version'], { stdio: 'ignore' }).status === 0;

test('npm run report builds a report that opens in Chromium and shows the steps and attachments', { skip: (!hasJava && 'no Java for Allure') || (!chooseExecutable() && 'no Chromium') }, async () => {
  const gen = spawnSync(process.execPath, [...NODE_TS_ARGS, path.join(ROOT, 'scripts', 'report.ts'), 'generate'], { cwd: ROOT, env: { ...process.env, UMA_REPORTS_DIR: reports }, encoding: 'utf8' });
  assert.equal(gen.status, 0, gen.stderr);
  const site = path.join(reports, 'allure-report');
  const server = http.createServer((req, res) => {
    const file = path.join(site, decodeURIComponent((req.url ?? '/').split('?')[0]).replace(/^\/$/, '/index.html'));
    if (!file.startsWith(site) || !fs.existsSync(file)) return res.writeHead(404).end();
    res.writeHead(200).end(fs.readFileSync(file));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/index.html`;
  const { chromium } = await import('playwright');
  const browser = await chromium.launch({ executablePath: chooseExecutable(), args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage();
    await page.goto(`${base}#behaviors`);
    await page.getByText('Tutorial flows').first().waitFor();
    const uid = fs
      .readdirSync(path.join(site, 'data', 'test-cases'))
      .find((f) => fs.readFileSync(path.join(site, 'data', 'test-cases', f), 'utf8').includes('"name":"A claim token with country US and city NY gets an RPT at once"'));
    assert.ok(uid, 'the scenario is in the report');
    await page.goto(`${base}#testresult/${uid!.replace('.json', '')}`);
    await page.getByText('When the client asks oxd for an RPT pushing a claim token with country "US" and city "NY"').waitFor();
    await page.getByText('Then the protected resource answers with the tutorial API\'s data').waitFor();
    await page.getByText(/uma-rp-get-rpt → 200\.txt/).first().waitFor({ state: 'attached' });
  } finally {
    await browser.close();
    server.close();
  }
});

/** Not even part of a secret: its first 12 characters, as sent and URL-encoded, are enough to find a cut-off one. */
const LEAK_PREFIX_CHARS = 12;

test('no secret the sandbox handed out, nor its first 12 characters, appears in any report file (zips opened) or in the console output', () => {
  const secrets = [...new Set(fs.readFileSync(secretsFile, 'utf8').split('\n').filter((s) => s.length >= 8))];
  assert.ok(secrets.length > 20, `only ${secrets.length} secrets recorded`);
  const forms = [...new Set(secrets.flatMap((s) => [s, encodeURIComponent(s)].map((f) => f.slice(0, LEAK_PREFIX_CHARS))))];
  const leaks: string[] = [];
  const scan = (where: string, content: Buffer) => {
    for (const f of forms) if (content.includes(f)) leaks.push(`${where}: ${f.slice(0, 4)}…`);
  };
  scan('console output', Buffer.from(consoleOutput));
  let zips = 0;
  for (const file of filesUnder(reports)) {
    const content = fs.readFileSync(file);
    if (content.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) {
      zips++;
      for (const e of _forTests.readZip(content)) scan(`${file} → ${e.name}`, e.data);
    } else scan(file, content);
  }
  assert.ok(zips > 0, 'a failed browser scenario should have left a trace to scan');
  assert.deepEqual(leaks, []);
});
