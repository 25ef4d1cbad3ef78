// The Chromium floor (issue 15): what the browser alone costs for each
// browser flow's shape, on trivial pages of a local server, in the same
// bench run. Same launch arguments as the suite's and the bare flows'
// browser, a new context and page per scenario, the same number of
// documents, redirects, form fields and submits as the real flows
// (bare-oidc-flow.ts counted them against the sandbox: opening the settings
// page 3 documents, login + consent 8, Country + City 5), no
// authorization-server work behind them. So "suite step / floor" says how
// far a browser step is from the browser's own cost.
//
// Shapes:
//   claims (1st tutorial): new context + page, the claims URL (302 → Country),
//     Country submit (302 → City), City submit (302 → the claims redirect).
//   oidc (2nd tutorial): new context + page; open: settings (302) → authorize
//     (302) → login page; login: submit → 302 → consent page, Allow → 302 →
//     callback 302 → settings 302 → claims-gathering 302 → Country; claims:
//     Country → 302 → City, City → 302 → claims callback 302 → settings page.
//   Each segment is timed apart (context + page, open, login, answers), to set beside the suite's steps.
//
// Run by the benchmark as a child process: node -r ./scripts/register.js scripts/lib/bench/floor.ts OUT.json [REPS]
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Page } from 'playwright';
import { browserExecutable } from './machine';
import { spread, type Spread } from './stats';
import { runAsChild } from './child-main';

const FORM = (title: string, fields: string[], button: string, action: string) =>
  `<!doctype html><title>${title}</title><link rel="icon" href="data:,"><form id="loginForm" method="post" action="${action}">${fields
    .map((f) => `<input type="text" id="loginForm:${f}" name="${f}">`)
    .join('')}<input type="submit" id="${button}" value="go"></form>`;

/** The trivial site: each path's answer. */
function handler(req: http.IncomingMessage, res: http.ServerResponse): void {
  const path = (req.url ?? '/').split('?')[0];
  const redirect = (to: string) => {
    res.writeHead(302, { Location: to, 'Content-Length': 0 });
    res.end();
  };
  const page = (body: string) => {
    res.writeHead(200, { 'Content-Type': 'text/html', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  };
  const drain = (then: () => void) => {
    req.resume();
    req.on('end', then);
  };
  switch (path) {
    // claims shape
    case '/cg':
      return redirect('/cg/country');
    case '/cg/country':
      return req.method === 'POST' ? drain(() => redirect('/cg/city')) : page(FORM('Country', ['country'], 'loginForm:gather', '/cg/country'));
    case '/cg/city':
      return req.method === 'POST' ? drain(() => redirect('/claims-cb?ticket=t&state=s')) : page(FORM('City', ['city'], 'loginForm:gather', '/cg/city'));
    case '/claims-cb':
      return page('<!doctype html><title>captured</title><link rel="icon" href="data:,"><p>captured</p>');
    // oidc shape
    case '/site/settings/':
      return redirect(req.headers.cookie?.includes('login=1') ? '/as/claims' : '/as/authorize');
    case '/as/authorize':
      return redirect(req.headers.cookie?.includes('as=1') ? '/as/consent' : '/as/login');
    case '/as/login':
      if (req.method === 'POST') return drain(() => (res.setHeader('Set-Cookie', 'as=1; Path=/'), redirect('/as/authorize')));
      return page(FORM('Login', ['username', 'password'], 'loginForm:loginButton', '/as/login'));
    case '/as/consent':
      if (req.method === 'POST') return drain(() => redirect('/site/callback'));
      return page('<!doctype html><title>Consent</title><link rel="icon" href="data:,"><form id="authorizeForm" method="post" action="/as/consent"><input type="submit" id="authorizeForm:allowButton" value="Allow"></form>');
    case '/site/callback':
      res.setHeader('Set-Cookie', 'login=1; Path=/');
      return redirect('/site/settings/');
    case '/as/claims':
      return redirect('/as/country');
    case '/as/country':
      return req.method === 'POST' ? drain(() => redirect('/as/city')) : page(FORM('Country', ['country'], 'loginForm:gather', '/as/country'));
    case '/as/city':
      return req.method === 'POST' ? drain(() => redirect('/site/claims_callback')) : page(FORM('City', ['city'], 'loginForm:gather', '/as/city'));
    case '/site/claims_callback':
      return redirect('/site/settings/page');
    case '/site/settings/page':
      return page('<!doctype html><title>Settings</title><link rel="icon" href="data:,"><h1>Profile settings</h1>');
    default:
      res.writeHead(404, { 'Content-Length': 0 });
      res.end();
  }
}

export interface FloorResult {
  reps: number;
  browserLaunchMs: number;
  /** Per segment, the spread over the repetitions (ms). */
  claims: { context: Spread; answers: Spread; total: Spread };
  oidc: { context: Spread; open: Spread; login: Spread; answers: Spread; total: Spread };
}

async function submit(page: Page, selector: string): Promise<void> {
  await Promise.all([page.waitForEvent('framenavigated', { predicate: (f) => f === page.mainFrame() }), page.locator(selector).click()]);
  await page.waitForLoadState('load');
}

async function fillAndSubmit(page: Page, fields: string[], button: string): Promise<void> {
  for (const f of fields) await page.locator(`[id="loginForm:${f}"]`).fill('x');
  await submit(page, `[id="${button}"]`);
}

export async function measureFloor(reps: number): Promise<FloorResult> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const t = performance.now();
  const browser = await chromium.launch({
    headless: true,
    executablePath: browserExecutable(),
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const browserLaunchMs = Math.round(performance.now() - t);
  const times = { cContext: [] as number[], cAnswers: [] as number[], cTotal: [] as number[], oContext: [] as number[], oOpen: [] as number[], oLogin: [] as number[], oAnswers: [] as number[], oTotal: [] as number[] };
  const lap = () => {
    let last = performance.now();
    return () => {
      const now = performance.now();
      const d = now - last;
      last = now;
      return d;
    };
  };
  try {
    // One warm-up of each shape, not counted: the first page of a browser costs more than the rest.
    for (let i = 0; i <= reps; i++) {
      const counted = i > 0;
      let next = lap();
      const t0 = performance.now();
      let context = await browser.newContext();
      let page = await context.newPage();
      const cContext = next();
      await page.goto(`${base}/cg`, { waitUntil: 'load' });
      await fillAndSubmit(page, ['country'], 'loginForm:gather');
      await fillAndSubmit(page, ['city'], 'loginForm:gather');
      if (!page.url().includes('/claims-cb')) throw new Error(`floor: the claims shape ended at ${page.url()}`);
      const cAnswers = next();
      await context.close();
      if (counted) {
        times.cContext.push(cContext);
        times.cAnswers.push(cAnswers);
        times.cTotal.push(performance.now() - t0);
      }

      next = lap();
      const t1 = performance.now();
      context = await browser.newContext();
      page = await context.newPage();
      const oContext = next();
      await page.goto(`${base}/site/settings/`, { waitUntil: 'load' });
      const oOpen = next();
      await fillAndSubmit(page, ['username', 'password'], 'loginForm:loginButton');
      await submit(page, '[id="authorizeForm:allowButton"]');
      const oLogin = next();
      await fillAndSubmit(page, ['country'], 'loginForm:gather');
      await fillAndSubmit(page, ['city'], 'loginForm:gather');
      if ((await page.locator('h1').textContent()) !== 'Profile settings') throw new Error(`floor: the oidc shape ended at ${page.url()}`);
      const oAnswers = next();
      await context.close();
      if (counted) {
        times.oContext.push(oContext);
        times.oOpen.push(oOpen);
        times.oLogin.push(oLogin);
        times.oAnswers.push(oAnswers);
        times.oTotal.push(performance.now() - t1);
      }
    }
  } finally {
    await browser.close();
    server.close();
  }
  const s = (v: number[]) => spread(v)!;
  return {
    reps,
    browserLaunchMs,
    claims: { context: s(times.cContext), answers: s(times.cAnswers), total: s(times.cTotal) },
    oidc: { context: s(times.oContext), open: s(times.oOpen), login: s(times.oLogin), answers: s(times.oAnswers), total: s(times.oTotal) },
  };
}

if (require.main === module) {
  const reps = Number(process.argv[3] ?? 5);
  runAsChild(() => measureFloor(reps));
}
