// Cucumber's JUnit file counts a known divergence as a failure, so a CI test
// report would show red for a conformant run (exit 0). Each known divergence
// becomes a <skipped> with its message instead (JUnit has no "as recorded"
// status); real failures stay failures. The Allure report and the console
// keep them apart on their own.
import * as fs from 'node:fs';

const KNOWN_FAILURE = /<failure type="KnownDivergenceAssertionError" message="([^"]*)">(?:<!\[CDATA\[[\s\S]*?\]\]>)*<\/failure>/g;

export function markKnownDivergences(xml: string): { xml: string; marked: number } {
  let marked = 0;
  const body = xml.replace(KNOWN_FAILURE, (_all, message: string) => {
    marked++;
    return `<skipped message="${message}"/>`;
  });
  if (!marked) return { xml, marked };
  const suite = body.replace(/<testsuite\b[^>]*>/, (tag) =>
    tag
      .replace(/\bfailures="(\d+)"/, (_m, n: string) => `failures="${Number(n) - marked}"`)
      .replace(/\bskipped="(\d+)"/, (_m, n: string) => `skipped="${Number(n) + marked}"`),
  );
  return { xml: suite, marked };
}

/** Rewrites the run's junit.xml in place; a missing file is left alone. */
export function markKnownDivergencesInFile(file: string): number {
  if (!fs.existsSync(file)) return 0;
  const { xml, marked } = markKnownDivergences(fs.readFileSync(file, 'utf8'));
  if (marked) fs.writeFileSync(file, xml);
  return marked;
}
