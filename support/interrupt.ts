// After the launcher's stop request (support/interrupt-signal.js), a scenario
// that has not started yet is not run: it ends at once as skipped, with the
// "Interrupted:" line the launcher looks for when it writes the reports of an
// interrupted run (scripts/lib/interrupted-run.ts). Scenarios already running
// finish on their own, with the browser and Kong still there, and clean up.
import { Before } from '@cucumber/cucumber';
import type { UmaWorld } from './world';

const { interrupted } = require('./interrupt-signal.js') as { interrupted(): boolean };

/** Starts with "Interrupted: ", which scripts/lib/interrupted-run.ts matches. */
const NOT_STARTED_NOTE = 'Interrupted: not started, the run was interrupted before this scenario.';

Before(function (this: UmaWorld) {
  if (!interrupted()) return undefined;
  this.log(NOT_STARTED_NOTE);
  return 'skipped';
});
