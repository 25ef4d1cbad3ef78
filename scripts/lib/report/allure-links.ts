// The generated Allure report's page of each scenario: Allure gives every test
// case its own uid in data/test-cases/<uid>.json, and its single-page app opens
// one at index.html#testresult/<uid>. Matched to the results by full name and
// start time (the test case keeps no history id or result uuid).
import * as fs from 'node:fs';
import * as path from 'node:path';

export function caseKey(fullName: string | undefined, start: number | undefined): string {
  return `${fullName ?? ''}|${start ?? ''}`;
}

export function testCaseUids(reportDir: string): Map<string, string> {
  const dir = path.join(reportDir, 'data', 'test-cases');
  const map = new Map<string, string>();
  if (!fs.existsSync(dir)) return map;
  for (const f of fs.readdirSync(dir)) {
    if (!f.endsWith('.json')) continue;
    try {
      const tc = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as { uid?: string; fullName?: string; time?: { start?: number } };
      if (tc.uid) map.set(caseKey(tc.fullName, tc.time?.start), tc.uid);
    } catch {
      // a file Allure did not finish: no link for it
    }
  }
  return map;
}

/** The link from a file in `fromDir` to the test case's page. */
export function testCaseLink(fromDir: string, reportDir: string, uid: string): string {
  const rel = path.relative(fromDir, path.join(reportDir, 'index.html')).split(path.sep).join('/');
  return `${rel}#testresult/${uid}`;
}
