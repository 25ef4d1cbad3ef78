// The verdict as the first line of the Allure overview's Environment widget
// (environment.properties), next to the report's name; replaced, not added,
// when the report is generated again.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { propertyLine } from '../allure-files';

export function writeVerdictLine(resultsDir: string, headline: string): void {
  const file = path.join(resultsDir, 'environment.properties');
  const before = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const rest = before.split('\n').filter((l) => l && !l.startsWith('Verdict='));
  fs.writeFileSync(file, [propertyLine('Verdict', headline), ...rest].join('\n') + '\n');
}
