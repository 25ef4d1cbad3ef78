// The per-scenario comparison of the suite with a bare flow: by scenario
// name, the median of each side's durations over the repetitions and their
// ratio, and the names found on one side only (a renamed scenario in a
// feature file, or a bare flow that drifted from it, would otherwise drop out
// of the comparison without a word).
import { ratio, spread, type Spread } from './stats';

export interface TimedScenario {
  name: string;
  durationMs: number;
}

export interface ScenarioPair {
  name: string;
  suiteMs?: Spread;
  bareMs?: Spread;
  /** Median suite / median bare; undefined when a side has no time. */
  ratio?: number;
}

export interface Pairing {
  /** One row per baseline scenario, in the baseline's order. */
  pairs: ScenarioPair[];
  /** Scenarios the suite ran that the baseline does not do: they make the wall-time ratio unfair. */
  suiteOnly: string[];
  /** Baseline scenarios the suite did not run (under that name). */
  bareOnly: string[];
}

/**
 * `suiteRuns`, `bareRuns`: each repetition's scenarios; `baseline`: the bare
 * flow's scenario names (its list, so that a bare run that failed half-way
 * still gives every row).
 */
export function pairScenarios(suiteRuns: TimedScenario[][], bareRuns: TimedScenario[][], baseline: string[]): Pairing {
  const durations = (runs: TimedScenario[][], name: string) => runs.flatMap((r) => r.filter((x) => x.name === name).map((x) => x.durationMs));
  const pairs = baseline.map((name) => {
    const suiteMs = spread(durations(suiteRuns, name));
    const bareMs = spread(durations(bareRuns, name));
    return { name, suiteMs, bareMs, ratio: ratio(suiteMs, bareMs) };
  });
  const known = new Set(baseline);
  const ranInSuite = new Set(suiteRuns.flat().map((x) => x.name));
  return {
    pairs,
    suiteOnly: [...ranInSuite].filter((n) => !known.has(n)),
    bareOnly: suiteRuns.length ? baseline.filter((n) => !ranInSuite.has(n)) : [],
  };
}

/**
 * Suite / bare over several tutorials at once: per repetition the sum of
 * each side's wall times, then the ratio of the medians. Repetitions where a
 * side lacks a tutorial's time are left out.
 */
export function combinedRatio(suite: Array<Array<number | undefined>>, bare: Array<Array<number | undefined>>): { suiteMs?: Spread; bareMs?: Spread; ratio?: number } {
  const sums = (per: Array<Array<number | undefined>>) => {
    if (!per.length) return [];
    const n = Math.min(...per.map((p) => p.length));
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      const vals = per.map((p) => p[i]);
      if (vals.every((v): v is number => v !== undefined)) out.push(vals.reduce((a, v) => a + v, 0));
    }
    return out;
  };
  const suiteMs = spread(sums(suite));
  const bareMs = spread(sums(bare));
  return { suiteMs, bareMs, ratio: ratio(suiteMs, bareMs) };
}
