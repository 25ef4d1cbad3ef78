// `npm run doctor`: checks the configuration and that every endpoint of the
// environment answers as the suite needs, before any scenario runs. For the
// sandbox target it starts the sandbox, checks it and stops it. Exits
//   0  nothing failed (warnings allowed)
//   2  a configuration or environment problem (the table says what to do)
import { ConfigError, loadConfig, SETTINGS_HELP, type SuiteConfig } from '../support/config';
import { printable } from '../support/mask';
import { configProblemReport, doctorTimeoutFromEnv, DOCTOR_SETTINGS_HELP, renderDoctorTable, runDoctor, targetLine, type DoctorReport } from './lib/doctor';
import { sandboxEnv, startSandbox, type RunningSandbox } from './lib/sandbox-launcher';

const USAGE = `Usage: npm run doctor [-- --help]

Checks the settings and the environment they describe (Kong Admin API and
proxy, oxd-server, the Gluu Server and the tutorial's prerequisites) and
prints what to fix. Without UMA_TARGET=external it checks the embedded sandbox.

Settings (environment variables, or lines of the file named by UMA_ENV_FILE):
${Object.entries({ ...SETTINGS_HELP, ...DOCTOR_SETTINGS_HELP })
  .map(([k, v]) => `  ${k.padEnd(24)} ${v}`)
  .join('\n')}
`;

function loadOrProblems(env: NodeJS.ProcessEnv): { config?: SuiteConfig; problems: string[] } {
  try {
    return { config: loadConfig(env), problems: [] };
  } catch (err) {
    if (err instanceof ConfigError) return { problems: err.problems };
    throw err;
  }
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (args.length) {
    process.stderr.write(`doctor: unknown argument ${printable(args[0])}\n\n${USAGE}`);
    return 2;
  }
  const timeout = doctorTimeoutFromEnv(process.env);
  const loaded = loadOrProblems(process.env);
  const problems = [...loaded.problems, ...(timeout.problem ? [timeout.problem] : [])];
  if (problems.length || !loaded.config) {
    process.stderr.write(`${renderDoctorTable(configProblemReport(problems, timeout.timeoutMs))}\n`);
    return 2;
  }

  let config = loaded.config;
  let sandbox: RunningSandbox | undefined;
  if (config.target === 'sandbox') {
    try {
      // The same extra sandbox options `npm test` honours (scripts/run.ts), e.g. "--fault policy-disabled".
      sandbox = await startSandbox(['--admin', 'tutorial', ...(process.env.UMA_SANDBOX_ARGS ?? '').split(/\s+/).filter(Boolean)]);
    } catch (err) {
      process.stderr.write(`Preflight FAILED: the embedded sandbox could not start: ${(err as Error).message}\n`);
      return 2;
    }
    // The same settings `npm test` gives the scenarios (scripts/run.ts).
    config = loadConfig({ ...process.env, ...sandboxEnv(sandbox.urls, sandbox.testUser) });
  }
  let report: DoctorReport;
  try {
    report = await runDoctor(config, { timeoutMs: timeout.timeoutMs });
  } finally {
    await sandbox?.stop();
  }
  process.stdout.write(`${targetLine(config, sandbox !== undefined)}\n${renderDoctorTable(report)}\n`);
  return report.exitCode;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`doctor: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  },
);
