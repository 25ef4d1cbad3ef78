// The doctor's public face, for the launcher (scripts/run.ts) and the CLI.
export { runDoctor, configProblemReport, DEFAULT_DOCTOR_TIMEOUT_MS, type DoctorOptions } from './run-doctor';
export { renderDoctorTable } from './report-table';
export { writeAllureDoctorResult, PREFLIGHT_NAME } from './allure-result';
export { doctorTimeoutFromEnv, DOCTOR_SETTINGS_HELP } from './options';
export type { CheckId, CheckResult, CheckStatus, DoctorReport } from './report';
export { targetLine } from './target-line';
