// Each browser step of the suite set beside the Chromium floor of the same
// shape (floor.ts, issue 15): the step's mean time per use, from the suite
// runs' step totals, over the floor's median for that segment.
import { median } from './stats';
import type { StepTiming } from './messages';
import type { FloorResult } from './floor';

export interface BrowserStepShape {
  /** How the row is named. */
  label: string;
  /** The step texts it covers (values filled in, as Cucumber reports them). */
  pattern: RegExp;
  /** The floor segments of the same shape, summed. */
  floor: (f: FloorResult) => number;
  /** What the step does besides the browser, when it does. */
  note?: string;
}

export const BROWSER_STEPS: BrowserStepShape[] = [
  {
    label: '1st: the user answers Country … and City … in the browser',
    pattern: /^the user answers Country "[^"]*" and City "[^"]*" in the browser$/,
    floor: (f) => f.claims.total.median,
  },
  {
    label: '2nd: the user opens the settings/home page in the browser',
    pattern: /^the user opens the (settings|home) page in the browser$/,
    floor: (f) => f.oidc.context.median + f.oidc.open.median,
    note: "includes provisioning the scenario's gateway objects (on first use)",
  },
  {
    label: '2nd: the user logs in as the test user and allows the consent',
    pattern: /^the user logs in as the test user and allows the consent$/,
    floor: (f) => f.oidc.login.median,
  },
  {
    label: '2nd: the user answers Country … and City …',
    pattern: /^the user answers Country "[^"]*" and City "[^"]*"$/,
    floor: (f) => f.oidc.answers.median,
  },
  {
    label: '2nd: … logged in … and is on the claims-gathering pages',
    pattern: /^the user has logged in on the way to the settings page and is on the claims-gathering pages$/,
    floor: (f) => f.oidc.context.median + f.oidc.open.median + f.oidc.login.median,
    note: 'includes provisioning',
  },
  {
    label: '2nd: … logged in and answered Country "US" and City "NY" …',
    pattern: /^the user has logged in and answered Country "US" and City "NY" for the settings page$/,
    floor: (f) => f.oidc.total.median,
    note: 'includes provisioning',
  },
];

export interface BrowserStepRatio {
  label: string;
  /** Uses of the step per run (from the first run that had any). */
  count: number;
  /** Median over the runs of the step's mean time per use. */
  suiteMs?: number;
  floorMs?: number;
  ratio?: number;
  note?: string;
}

/** `runs`: each suite run's step totals; `floors`: the floor measured in the same bench run. */
export function browserStepRatios(runs: StepTiming[][], floors: FloorResult[], shapes: BrowserStepShape[] = BROWSER_STEPS): BrowserStepRatio[] {
  return shapes.map((shape) => {
    const means: number[] = [];
    let count = 0;
    for (const steps of runs) {
      const hit = steps.filter((s) => shape.pattern.test(s.what));
      const n = hit.reduce((a, s) => a + s.count, 0);
      if (!n) continue;
      count ||= n;
      means.push(hit.reduce((a, s) => a + s.totalMs, 0) / n);
    }
    const suiteMs = means.length ? Math.round(median(means)) : undefined;
    const floorMs = floors.length ? Math.round(median(floors.map(shape.floor))) : undefined;
    const ratio = suiteMs !== undefined && floorMs ? Math.round((suiteMs / floorMs) * 100) / 100 : undefined;
    return { label: shape.label, count, suiteMs, floorMs, ratio, note: shape.note };
  });
}
