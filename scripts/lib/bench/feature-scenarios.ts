// The scenarios the feature files define, as Cucumber names them (a Scenario
// Outline's rows with their values filled in), with their tags: what a bare
// flow's scenario list is compared with, so that a renamed scenario is noticed
// (test/bench/bare-flows.test.ts), and which @tutorial scenarios still have
// no bare baseline (scripts/bench.ts). Parsed with Gherkin's own compiler,
// the one Cucumber uses.
import * as fs from 'node:fs';
import * as path from 'node:path';

interface Pickle {
  name: string;
  uri: string;
  tags: Array<{ name: string }>;
}

const { generateMessages } = require('@cucumber/gherkin') as { generateMessages(data: string, uri: string, mediaType: string, options: object): Array<{ pickle?: Pickle }> };
const { IdGenerator } = require('@cucumber/messages') as { IdGenerator: { incrementing(): () => string } };

export interface FeatureScenario {
  name: string;
  /** The feature file, relative to the project root (features/…). */
  feature: string;
  tags: string[];
}

function featureFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? featureFiles(path.join(dir, e.name)) : e.name.endsWith('.feature') ? [path.join(dir, e.name)] : []))
    .sort();
}

/** Every scenario (pickle) of the feature files under `root`/features, in file-name order. */
export function featureScenarios(root: string): FeatureScenario[] {
  return featureFiles(path.join(root, 'features')).flatMap((file) => {
    const uri = path.relative(root, file).split(path.sep).join('/');
    const envelopes = generateMessages(fs.readFileSync(file, 'utf8'), uri, 'text/x.cucumber.gherkin+plain', { includeSource: false, includeGherkinDocument: false, includePickles: true, newId: IdGenerator.incrementing() });
    return envelopes.filter((e) => e.pickle).map((e) => ({ name: e.pickle!.name, feature: uri, tags: e.pickle!.tags.map((t) => t.name) }));
  });
}

/** The @tutorial scenarios without a bare counterpart, counted per feature file. */
export function withoutBaseline(scenarios: FeatureScenario[], baseline: string[]): Array<{ feature: string; count: number }> {
  const known = new Set(baseline);
  const counts = new Map<string, number>();
  for (const s of scenarios) if (s.tags.includes('@tutorial') && !known.has(s.name)) counts.set(s.feature, (counts.get(s.feature) ?? 0) + 1);
  return [...counts].map(([feature, count]) => ({ feature, count }));
}
