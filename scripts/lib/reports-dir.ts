// Where the scripts write: the reports folder (UMA_REPORTS_DIR, default
// reports/ in the project), read the way cucumber.js reads it, so that an
// empty value means the default there and here alike.
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');

export const REPORTS = path.resolve(ROOT, process.env.UMA_REPORTS_DIR || 'reports');
