import assert from 'node:assert/strict';
import { test } from 'node:test';
import { markKnownDivergences } from '../../scripts/lib/junit-divergences';

const XML = `<?xml version="1.0"?>
<testsuite name="Cucumber" time="1.5" tests="3" skipped="0" failures="2" errors="0" timestamp="2026-11-28T07:41:42.399Z">
  <testcase classname="F" name="known" time="0.2">
    <failure type="KnownDivergenceAssertionError" message="KNOWN DIVERGENCE DIV-AS-01: refused with invalid_ticket&#xA;  why: Gluu"><![CDATA[KnownDivergenceAssertionError: KNOWN DIVERGENCE DIV-AS-01: body says ]]]]><![CDATA[></failure> here
    at verify]]></failure>
    <system-out><![CDATA[log]]></system-out>
  </testcase>
  <testcase classname="F" name="real" time="0.1">
    <failure type="ConformanceAssertionError" message="The gateway let it through. KNOWN DIVERGENCE quoted"><![CDATA[ConformanceAssertionError: The gateway let it through.]]></failure>
  </testcase>
  <testcase classname="F" name="ok" time="0.1"/>
</testsuite>`;

test('a known divergence becomes a skipped test with its message; real failures stay, and the counts follow', () => {
  const { xml, marked } = markKnownDivergences(XML);
  assert.equal(marked, 1);
  assert.match(xml, /<testsuite name="Cucumber" time="1\.5" tests="3" skipped="1" failures="1" errors="0" /);
  assert.match(xml, /<testcase classname="F" name="known" time="0\.2">\n {4}<skipped message="KNOWN DIVERGENCE DIV-AS-01: refused with invalid_ticket&#xA; {2}why: Gluu"\/>\n {4}<system-out>/);
  assert.match(xml, /<failure type="ConformanceAssertionError" message="The gateway let it through\. KNOWN DIVERGENCE quoted">/);
  assert.doesNotMatch(xml, /KnownDivergenceAssertionError/);
});

test('a file without known divergences is left as it is', () => {
  const plain = XML.replace(/<testcase classname="F" name="known"[\s\S]*?<\/testcase>\n/, '');
  assert.deepEqual(markKnownDivergences(plain), { xml: plain, marked: 0, weaknesses: 0 });
});

test('a security finding (a recorded weakness) becomes a skipped test naming the weakness; the counts follow', () => {
  const withFinding = XML.replace(
    '<testcase classname="F" name="ok" time="0.1"/>',
    '<testcase classname="F" name="finding" time="0.1">\n    <failure type="KnownWeaknessAssertionError" message="KNOWN WEAKNESS SEC-GW-01 (high): an RPT opened another route"><![CDATA[KnownWeaknessAssertionError: KNOWN WEAKNESS SEC-GW-01 (high): …]]></failure>\n  </testcase>',
  ).replace('failures="2"', 'failures="3"');
  const { xml, marked, weaknesses } = markKnownDivergences(withFinding);
  assert.equal(marked, 2);
  assert.equal(weaknesses, 1);
  assert.match(xml, /skipped="2" failures="1"/);
  assert.match(xml, /<testcase classname="F" name="finding" time="0\.1">\n {4}<skipped message="KNOWN WEAKNESS SEC-GW-01 \(high\): an RPT opened another route"\/>/);
  assert.doesNotMatch(xml, /KnownWeaknessAssertionError/);
});
