// Scenario life cycle: skip what the configuration cannot run, clean up
// everything a scenario created (also when it fails), keep a browser trace of
// failed browser scenarios, and close the worker's browser at the end.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { After, AfterAll, Before, BeforeAll, Status, setDefaultTimeout, setDefinitionFunctionWrapper } from '@cucumber/cucumber';
import { endpointsKnown } from './config';
import { closeSharedBrowser } from './clients/claims-browser';
import { suiteConfig, ledger, type UmaWorld } from './world';
import { maskTrace } from './trace-masking';
import type { WebsiteBrowser } from './clients/website-browser';
import { maskError, Secrets } from './mask';
import { stripAnsiFromError } from './ansi';
import { activeBreaker, armBreaker, BREAKER_FILE, skipReason } from './circuit-breaker';

// A scenario's own work is bounded by the HTTP and browser timeouts; this is
// the outer limit that turns a hang into a failure.
setDefaultTimeout(60_000);

// Every error a step or hook throws is masked before Cucumber sees it: the
// checks mask their own messages, but a set-up error may quote a server's
// answer, and a library error a URL, with a token in it. Playwright's
// colouring of its call logs goes too (support/ansi.ts). Cucumber keeps the
// step's arity itself.
setDefinitionFunctionWrapper(
  (fn: (...args: unknown[]) => unknown) =>
    async function (this: unknown, ...args: unknown[]): Promise<unknown> {
      try {
        return await fn.apply(this, args);
      } catch (err) {
        stripAnsiFromError(err);
        const secrets = (this as { secrets?: unknown } | undefined)?.secrets;
        if (secrets instanceof Secrets) maskError(err, secrets);
        throw err;
      }
    },
);

BeforeAll(function () {
  const config = suiteConfig();
  ledger();
  if (!endpointsKnown(config)) {
    throw new Error(
      'The sandbox endpoints are not known: run the suite with `npm test`, which starts the sandbox, or set UMA_TARGET=external with GG_ADMIN_URL, GG_PROXY_URL, OXD_HOST and CE_URL.',
    );
  }
  // The circuit breaker (support/circuit-breaker.ts); its marker is shared with the other workers of the
  // launcher's run only (UMA_RUN_ID), never with a later run.
  const runId = process.env.UMA_RUN_ID;
  armBreaker({
    runId: runId ?? 'local',
    httpTimeoutMs: config.httpTimeoutMs,
    markerFile: runId ? path.join(process.env.UMA_REPORTS_DIR ?? 'reports', BREAKER_FILE) : undefined,
    targets: [
      { component: 'Kong Admin API', url: config.ggAdminUrl },
      { component: 'Kong proxy', url: config.ggProxyUrl },
      { component: 'oxd', url: config.oxdUrl },
      { component: 'authorization server', url: config.ceUrl },
      ...(config.echoUpstreamUrl ? [{ component: 'echo upstream', url: config.echoUpstreamUrl }] : []),
    ],
  });
});

Before(function (this: UmaWorld, { pickle }) {
  this.scenarioName = pickle.name;
  // The target stopped answering earlier in the run: this scenario would only time out.
  const open = activeBreaker()?.current();
  if (open) {
    this.log(skipReason(open));
    return 'skipped';
  }
  const tags = new Set(pickle.tags.map((t) => t.name));
  if (tags.has('@own-gateway') && this.config.provision === 'existing') {
    this.log('Skipped: this scenario configures its own gateway objects, which UMA_PROVISION=existing does not allow.');
    return 'skipped';
  }
  if (!tags.has('@oidc-uma') && this.config.provision === 'existing' && !this.config.hostWithClaims) {
    this.log("Skipped: the first tutorial's scenarios need its objects (HOST_WITH_CLAIMS, CLIENT_*, CLAIMS_REDIRECT_URL); this existing environment names only the second tutorial's website (OIDC_UMA_URL).");
    return 'skipped';
  }
  if (tags.has('@oidc-uma')) {
    const missing = oidcUmaMissing(this);
    if (missing) {
      this.log(`Skipped: the second tutorial's scenarios need ${missing}.`);
      return 'skipped';
    }
  }
  if (tags.has('@echo-upstream') && !this.config.echoUpstreamUrl) {
    this.log('Skipped: this scenario needs an echo upstream (ECHO_UPSTREAM_URL) to see what reaches the API.');
    return 'skipped';
  }
  return undefined;
});

/** What the configuration lacks for the second tutorial, in words; undefined when nothing. */
function oidcUmaMissing(w: UmaWorld): string | undefined {
  const missing: string[] = [];
  if (!w.config.testUser) missing.push('a test user who can log in at the AS (TEST_USER_NAME, TEST_USER_PASSWORD)');
  if (w.config.provision === 'existing' && !w.config.oidcUmaUrl) missing.push("the tutorial's website as the browser reaches it through Kong (OIDC_UMA_URL)");
  return missing.length ? missing.join(' and ') : undefined;
}

After(async function (this: UmaWorld, { result, pickle }) {
  const failed = result?.status === Status.FAILED;
  try {
    if (this.hasBrowser()) await closeBrowserSession(this, failed ? pickle.id : undefined);
    for (const [i, b] of this.openedWebsiteBrowsers().entries()) await closeBrowserSession(this, failed ? `${pickle.id}-website-${i + 1}` : undefined, b);
    if (this.checkRecords.length) {
      const lines = this.checkRecords.map((r) => `${r.outcome.padEnd(16)} ${r.requirement ? `${r.requirement} ` : ''}${r.aspect}: ${r.actual}`);
      this.attach(lines.join('\n'), { mediaType: 'text/plain', fileName: 'checks.txt' });
    }
  } finally {
    // Whatever happened to the browser, the scenario's Kong objects go.
    const problems = await this.provisioner.cleanUp();
    if (problems.length) this.log(`Clean-up left objects behind (the launcher retries them from the journal):\n${problems.join('\n')}`);
  }
});

/** Closes a browser context of the scenario; for a failed scenario keeps a masked Playwright trace. */
async function closeBrowserSession(w: UmaWorld, failedId: string | undefined, which?: Promise<WebsiteBrowser>): Promise<void> {
  let session;
  try {
    session = await (which ?? w.browser());
  } catch {
    return; // the browser never started: the scenario's own step already failed with why
  }
  if (failedId) {
    // The raw trace holds the AS's session cookies: it is written outside the
    // reports, masked, and removed; only the masked copy reaches reports/.
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'uma-trace-'));
    try {
      const raw = path.join(scratch, 'trace.zip');
      await session.stopTrace(raw);
      if (fs.existsSync(raw)) {
        const masked = maskTrace(fs.readFileSync(raw), w.secrets);
        const dir = path.join(process.env.UMA_REPORTS_DIR ?? 'reports', 'traces');
        fs.mkdirSync(dir, { recursive: true });
        fs.writeFileSync(path.join(dir, `${failedId}.zip`), masked);
        w.attach(masked, { mediaType: 'application/zip', fileName: 'playwright-trace.zip' });
      }
    } catch (err) {
      w.log(`No Playwright trace kept: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  }
  await session.close().catch(() => undefined);
}

AfterAll(async function () {
  await closeSharedBrowser();
});
