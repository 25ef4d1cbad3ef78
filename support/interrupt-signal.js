// Loaded with `node --require` into the Cucumber process and, through its
// execArgv, into every parallel worker, before anything else (scripts/run.ts).
//
// The launcher runs Cucumber in a process group of its own, so a Ctrl-C in
// the terminal or a CI runner's signal reaches the launcher only. Were it to
// reach Cucumber, Playwright's own handlers would act first: on SIGINT it
// closes every browser and exits 130 (no JUnit, no Allure results), on
// SIGTERM it closes the browsers under the scenarios still running
// (playwright-core processLauncher: sigintHandler, sigtermHandler). The
// launcher tells the run to stop with SIGUSR2 instead, which Playwright does
// not handle: scenarios not yet started are then skipped as interrupted
// (support/interrupt.ts), the ones in flight finish, the browser closes last.
//
// A Cucumber process whose parent is gone (the launcher killed outright)
// exits at once: its Kong objects are in the journal, which the next run
// sweeps. Plain JavaScript: it runs before the TypeScript loader.
'use strict';
const { setInterval } = require('node:timers');

const state = { interrupted: false };

process.on('SIGUSR2', () => {
  state.interrupted = true;
});

if (process.env.UMA_LAUNCHER_PID) {
  const parent = process.ppid;
  // process.ppid is read anew each time: it changes when the parent dies (the orphan is re-parented).
  setInterval(() => {
    if (process.ppid !== parent) process.exit(130);
  }, 250).unref();
}

/** True once the launcher has asked the run to stop. */
function interrupted() {
  return state.interrupted;
}

module.exports = { interrupted };
