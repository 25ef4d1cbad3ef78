// After the launcher's stop request (support/interrupt-signal.js), a scenario
// that has not started yet is not run: it ends at once as skipped, with the
// "Skipped: interrupted" line that the console shows next to it and the
// launcher looks for when it writes the reports of an interrupted run
// (scripts/lib/interrupted-run.ts). Scenarios already running
// finish on their own, with the browser and Kong still there, and clean up.
import { Before } from '@cucumber/cucumber';
import type { UmaWorld } from './world';

const { interrupted } = require('./interrupt-signal.js') as { interrupted(): boolean };

/** scripts/lib/interrupted-run.ts matches its start, "Skipped: interrupted". */
const NOT_STARTED_NOTE = 'Skipped: interrupted, the run was stopped before this scenario started.';

Before(function (this: UmaWorld) {
  if (!interrupted()) return undefined;
  this.log(NOT_STARTED_NOTE);
  return 'skipped';
});
