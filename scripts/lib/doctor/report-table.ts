// The doctor's report as the short plain-text table people read in a
// terminal, a CI log and the Allure attachment. Ends with the summary line.
import { problemCount } from '../../../support/config';
import type { DoctorReport } from './report';

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - text.length));
}

export function renderDoctorTable(report: DoctorReport): string {
  const configOnly = Boolean(report.configProblems?.length);
  const lines: string[] = [configOnly ? 'Preflight: configuration check (no endpoint was probed)' : `Preflight: environment check (each probe limited to ${report.timeoutMs} ms)`];
  if (configOnly) {
    // scripts/lib/self-verify/suite-run.ts `problemOf` reads this heading.
    lines.push('', `The configuration has ${problemCount(report.configProblems!.length)}:`);
    for (const p of report.configProblems!) lines.push(`  - ${p}`);
    lines.push(
      '',
      'Settings go in the environment or in the file named by UMA_ENV_FILE (`npm run doctor -- --help` lists every setting); arguments after `npm test --` are Cucumber\'s (tags, shard, feature paths).',
    );
  } else {
    const checkWidth = Math.max(5, ...report.checks.map((c) => c.name.length));
    const settingWidth = Math.max(7, ...report.checks.map((c) => c.setting.length));
    const indent = ' '.repeat(2 + checkWidth + 2 + settingWidth + 2 + 6 + 2);
    lines.push('', `  ${pad('CHECK', checkWidth)}  ${pad('SETTING', settingWidth)}  ${pad('STATUS', 6)}  DETAIL`);
    for (const c of report.checks) {
      lines.push(`  ${pad(c.name, checkWidth)}  ${pad(c.setting, settingWidth)}  ${pad(c.status, 6)}  ${c.detail}`);
      if (c.fix && (c.status === 'FAIL' || c.status === 'WARN')) lines.push(`${indent}what to do: ${c.fix}`);
    }
  }
  lines.push('', report.summary);
  return lines.join('\n');
}
