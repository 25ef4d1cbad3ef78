// The files Allure reads next to the results: categories (conformance
// failures apart from known divergences and security findings, environment
// problems, suite defects, scenarios an interrupt cut short and scenarios not
// run here), environment.properties (with
// "Run=interrupted …" for an interrupted run) and, in CI, executor.json.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Allure matches a failed or broken result against these in order; the first match wins. */
export const CATEGORIES = [
  {
    name: 'Known divergences (Gluu 4.2 departs from UMA 2.0 as recorded)',
    // Allure matches the whole message: anchored at the checks' error class. `npm run report`
    // makes these results "skipped" with the known flag (scripts/lib/report/allure-truth.ts).
    messageRegex: '(?s)KnownDivergenceAssertionError: KNOWN DIVERGENCE .*',
    matchedStatuses: ['skipped', 'failed', 'broken'],
  },
  {
    // Recorded security findings (support/known-weaknesses.json): neither a failure nor a pass.
    name: 'Security findings (known weaknesses, recorded)',
    messageRegex: '(?s)KnownWeaknessAssertionError: KNOWN WEAKNESS .*',
    matchedStatuses: ['skipped', 'failed', 'broken'],
  },
  {
    name: 'Stale divergence ledger (a recorded divergence no longer happens)',
    messageRegex: '(?s)ConformanceAssertionError: RECORDED DIVERGENCE NO LONGER HAPPENS.*',
    matchedStatuses: ['failed', 'broken'],
  },
  {
    name: 'Environment problems (unreachable, TLS, misconfigured, set-up refused)',
    traceRegex: '(?s).*(EnvironmentError|SetupError).*',
    matchedStatuses: ['failed', 'broken'],
  },
  {
    name: 'Environment problems (unreachable, TLS, misconfigured, set-up refused)',
    messageRegex: '(?s).*(Preflight|unreachable|refused the connection|TLS certificate).*',
    matchedStatuses: ['broken'],
  },
  {
    name: 'Conformance failures',
    traceRegex: '(?s).*ConformanceAssertionError.*',
    matchedStatuses: ['failed', 'broken'],
  },
  {
    // Before "Suite defects": a scenario an interrupt cut short is neither a finding nor a defect
    // (scripts/lib/interrupted-run.ts gives it status skipped and this message, which no category above matches).
    name: 'Interrupted run',
    messageRegex: '(?s)interrupted: .*',
    matchedStatuses: ['skipped', 'broken', 'failed', 'unknown'],
  },
  {
    name: 'Suite defects (undefined steps, errors in the suite itself)',
    matchedStatuses: ['broken', 'unknown'],
  },
  {
    // Skipped by a Before hook (existing mode, no echo upstream, …): the statement says "not tested" and why.
    name: 'Not run here (skipped for this configuration)',
    matchedStatuses: ['skipped'],
  },
];

export function writeCategories(resultsDir: string): void {
  fs.mkdirSync(resultsDir, { recursive: true });
  fs.writeFileSync(path.join(resultsDir, 'categories.json'), JSON.stringify(CATEGORIES, null, 2));
}

/** Java properties: a key ends at the first unescaped space, "=" or ":", so those are escaped there. */
export function propertyLine(key: string, value: string): string {
  const esc = (s: string) => s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
  return `${esc(key).replace(/([ =:#!])/g, '\\$1')}=${esc(value).replace(/^ /, '\\ ')}`;
}

export function writeEnvironment(resultsDir: string, values: Record<string, string | undefined>): void {
  const lines = Object.entries(values)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => propertyLine(k, v as string));
  fs.writeFileSync(path.join(resultsDir, 'environment.properties'), lines.join('\n') + '\n');
}

/** Adds the run's interruption to environment.properties (the first line a reader of the report sees there). */
export function markEnvironmentInterrupted(resultsDir: string, how: string): void {
  const file = path.join(resultsDir, 'environment.properties');
  const before = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  fs.mkdirSync(resultsDir, { recursive: true });
  fs.writeFileSync(file, `${propertyLine('Run', `interrupted (${how})`)}\n${before}`);
}

/** executor.json for GitHub Actions and GitLab CI, so the report links back to the build. */
export function ciExecutor(env: NodeJS.ProcessEnv = process.env): Record<string, unknown> | undefined {
  if (env.GITHUB_ACTIONS === 'true') {
    const buildUrl = `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`;
    return { name: 'GitHub Actions', type: 'github', url: `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}`, buildOrder: Number(env.GITHUB_RUN_NUMBER), buildName: `${env.GITHUB_WORKFLOW} #${env.GITHUB_RUN_NUMBER}`, buildUrl };
  }
  if (env.GITLAB_CI === 'true') {
    return { name: 'GitLab CI', type: 'gitlab', url: env.CI_PROJECT_URL, buildOrder: Number(env.CI_PIPELINE_IID), buildName: `${env.CI_PROJECT_NAME} pipeline #${env.CI_PIPELINE_IID}`, buildUrl: env.CI_PIPELINE_URL };
  }
  return undefined;
}

export function writeExecutor(resultsDir: string, env: NodeJS.ProcessEnv = process.env): void {
  const executor = ciExecutor(env);
  if (executor) fs.writeFileSync(path.join(resultsDir, 'executor.json'), JSON.stringify(executor, null, 2));
}
