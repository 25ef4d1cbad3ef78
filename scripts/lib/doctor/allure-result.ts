// Records the preflight in the Allure results, so the report of a run the
// doctor stopped says why. The file follows allure-js-commons' own model
// (`TestResult`, `Attachment`), written the way its FileSystemWriter names
// files: `<uuid>-result.json` and `<uuid>-attachment.txt`.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ContentType, LabelName, Severity, Stage, Status, type TestResult } from 'allure-js-commons';
import type { DoctorReport } from './report';
import { renderDoctorTable } from './report-table';

export const PREFLIGHT_NAME = 'Preflight: environment check';
/** Stable across runs, so Allure keeps the preflight's history like a test's. */
const PREFLIGHT_ID = crypto.createHash('md5').update('uma-claims-conformance:preflight').digest('hex');

/** Writes the result and its table attachment into `resultsDir`; returns the result file's path. */
export function writeAllureDoctorResult(resultsDir: string, report: DoctorReport): string {
  fs.mkdirSync(resultsDir, { recursive: true });
  const uuid = crypto.randomUUID();
  const attachmentFile = `${crypto.randomUUID()}-attachment.txt`;
  const table = renderDoctorTable(report);
  fs.writeFileSync(path.join(resultsDir, attachmentFile), table, 'utf8');
  const failed = report.exitCode !== 0;
  const result: TestResult = {
    uuid,
    historyId: PREFLIGHT_ID,
    testCaseId: PREFLIGHT_ID,
    name: PREFLIGHT_NAME,
    fullName: `uma-claims-conformance: ${PREFLIGHT_NAME}`,
    status: failed ? Status.BROKEN : Status.PASSED,
    statusDetails: { message: report.summary },
    stage: Stage.FINISHED,
    description: failed
      ? 'The run stopped before any scenario: the environment or the configuration has a problem (see the attached table). Nothing was tested.'
      : 'The environment answered as the suite needs (see the attached table).',
    steps: [],
    attachments: [{ name: 'Preflight checks', type: ContentType.TEXT, source: attachmentFile }],
    parameters: [],
    labels: [
      { name: LabelName.EPIC, value: 'Environment' },
      { name: LabelName.FEATURE, value: 'Preflight' },
      { name: LabelName.SUITE, value: 'Environment' },
      { name: LabelName.SEVERITY, value: Severity.BLOCKER },
      { name: LabelName.FRAMEWORK, value: 'uma-claims-conformance doctor' },
    ],
    links: [],
    start: report.startedAt,
    stop: report.finishedAt,
  };
  const file = path.join(resultsDir, `${uuid}-result.json`);
  fs.writeFileSync(file, JSON.stringify(result), 'utf8');
  return file;
}
