// The statement as a self-contained, printable HTML page (no script, no
// external resource), as markdown for a CI job summary, and as JSON.
import { plural } from '../run-summary';
import type { Statement, StatementRow } from './statement';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const VERDICT_CLASS: Record<string, string> = {
  met: 'met',
  'departs as recorded': 'departs',
  failed: 'failed',
  'not tested': 'untested',
  'found, as recorded': 'finding',
  'not found': 'met',
};

function tally(rows: StatementRow[]): string {
  const n = new Map<string, number>();
  for (const r of rows) n.set(r.verdict, (n.get(r.verdict) ?? 0) + 1);
  return [...n.entries()].map(([v, c]) => `${c} ${v}`).join(', ');
}

function scenarioLinks(row: StatementRow): string {
  if (!row.scenarios.length) return '';
  return `<ul class="scenarios">${row.scenarios
    .map((s) => {
      const name = esc(`${s.name}`);
      const label = `<span class="outcome ${VERDICT_CLASS[s.outcome === 'passed' ? 'met' : s.outcome === 'known divergence' ? 'departs as recorded' : s.outcome === 'known weakness' ? 'found, as recorded' : s.outcome === 'failed' ? 'failed' : 'not tested']}">${esc(s.outcome)}</span>`;
      return `<li>${label} ${s.link ? `<a href="${esc(s.link)}">${name}</a>` : name}</li>`;
    })
    .join('')}</ul>`;
}

function rowHtml(row: StatementRow): string {
  const records = row.records.length
    ? `<div class="records">${row.records.map((r) => `<div><b>${esc(r.id)}</b>: ${esc(r.reason)}${r.source ? ` <span class="source">Source: ${esc(r.source)}</span>` : ''}</div>`).join('')}</div>`
    : '';
  const detail = row.verdict === 'departs as recorded' ? '' : row.detail ? `<div class="detail">${esc(row.detail)}</div>` : '';
  const id = row.url ? `<a href="${esc(row.url)}">${esc(row.id)}</a>` : esc(row.id);
  return `<tr id="${esc(row.id)}" class="${VERDICT_CLASS[row.verdict] ?? ''}"><td class="id">${id}<div class="level">${esc(row.level)}</div></td><td>${esc(row.text)}</td><td class="verdict"><span class="badge ${VERDICT_CLASS[row.verdict] ?? ''}">${esc(row.verdict)}</span></td><td>${detail}${records}${scenarioLinks(row)}</td></tr>`;
}

function table(rows: StatementRow[]): string {
  return `<table><thead><tr><th>Requirement</th><th>What it asks</th><th>Verdict</th><th>Why, and the scenarios</th></tr></thead><tbody>${rows.map(rowHtml).join('')}</tbody></table>`;
}

const CSS = `body{font:14px/1.45 system-ui,sans-serif;margin:2em;color:#222}h1{font-size:1.6em;margin:0 0 .2em}
.headline{font-size:1.3em;font-weight:600;padding:.5em .8em;border-radius:6px;display:inline-block}
.headline.ok{background:#e3f4e1;color:#1d5e1a}.headline.bad{background:#fbe3e1;color:#8a1c12}
dl{display:grid;grid-template-columns:max-content auto;gap:.2em 1em}dt{font-weight:600}dd{margin:0}
table{border-collapse:collapse;width:100%;margin:1em 0}th,td{border:1px solid #ccc;padding:.35em .5em;vertical-align:top;text-align:left}
th{background:#f3f3f3}td.id{white-space:nowrap;font-family:monospace}.level{color:#666;font-family:system-ui}
.badge{padding:.1em .45em;border-radius:4px;white-space:nowrap}.badge.met{background:#e3f4e1}.badge.departs{background:#fff1c9}
.badge.failed{background:#d93025;color:#fff}.badge.untested{background:#eee;color:#555}.badge.finding{background:#e8e0f7}
.outcome{font-size:.85em;color:#555}.outcome.failed{color:#d93025;font-weight:600}
.records div{margin:.2em 0}.source{color:#666;font-size:.9em}ul.scenarios{margin:.3em 0;padding-left:1.2em}.detail{margin-bottom:.2em}
.changes li{margin:.1em 0}@media print{body{margin:0}a{color:inherit;text-decoration:none}tr{break-inside:avoid}}`;

export function renderHtml(s: Statement): string {
  const t = s.target;
  const changes = s.changes
    ? `<h2>Changes since the run of ${esc(s.changes.since)}</h2>${s.changes.list.length ? `<ul class="changes">${s.changes.list.map((c) => `<li><b>${esc(c.id)}</b>: ${esc(c.what)} (${esc(c.from)} → ${esc(c.to)})</li>`).join('')}</ul>` : '<p>No verdict changed.</p>'}`
    : '';
  const findings = s.findings.length ? `<h2>Security findings (${esc(tally(s.findings))})</h2><p>Recorded weaknesses of the deployment: neither a conformance failure nor a pass.</p>${table(s.findings)}` : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Conformance statement: ${esc(s.verdict.headline)}</title><style>${CSS}</style></head><body>
<h1>UMA 2.0 claims gathering: conformance statement</h1>
<p class="headline ${s.verdict.conformant ? 'ok' : 'bad'}" id="verdict">${esc(s.verdict.headline)}</p>
<dl>
<dt>Target</dt><dd>${esc(t.kind)}</dd>
${t.origins.map((o) => `<dt>${esc(o.name)}</dt><dd>${esc(o.origin)}</dd>`).join('\n')}
<dt>Versions found</dt><dd>${esc(t.versions.join(', ') || 'none reported')}</dd>
<dt>Provisioning mode</dt><dd>${esc(t.mode)}</dd>
<dt>Run</dt><dd>${esc(s.runStartedAt ?? 'unknown')}${t.interrupted ? ` (${esc(t.interrupted)})` : ''}</dd>
<dt>Generated</dt><dd>${esc(s.generatedAt)}</dd>
<dt>Suite</dt><dd>${esc(s.suiteVersion)}</dd>
<dt>Scenarios</dt><dd>${s.counts.scenarios}: ${s.counts.passed} passed, ${s.counts.failed} failed, ${plural(s.counts['known divergence'], 'known divergence')}, ${plural(s.counts['known weakness'], 'security finding')}, ${s.counts.skipped} skipped${s.counts.interrupted ? `, ${s.counts.interrupted} interrupted` : ''}</dd>
</dl>
${changes}
<h2>Requirements (${esc(tally(s.requirements))})</h2>
<p>One row per requirement id of the suite's list. <i>met</i>: every scenario that checks it passed; <i>departs as recorded</i>: the deployment departs as the known-divergences ledger records (reason and source given), which does not make the run fail; <i>failed</i>: a check failed; <i>not tested</i>: no scenario checked it in this run, and why. Scenario links open the Allure report (reports/allure-report).</p>
${table(s.requirements)}
${findings}
</body></html>
`;
}

const md = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function renderMarkdown(s: Statement): string {
  const t = s.target;
  const lines = [
    `## UMA conformance: ${s.verdict.headline}`,
    '',
    `Target: ${t.kind}${t.origins.length ? ` (${t.origins.map((o) => `${o.name} ${o.origin}`).join(', ')})` : ''}; versions found: ${t.versions.join(', ') || 'none reported'}; provisioning: ${t.mode}; run ${s.runStartedAt ?? 'unknown'}; ${s.suiteVersion}.`,
    '',
    `Scenarios: ${s.counts.scenarios}: ${s.counts.passed} passed, ${s.counts.failed} failed, ${plural(s.counts['known divergence'], 'known divergence')}, ${plural(s.counts['known weakness'], 'security finding')}, ${s.counts.skipped} skipped.`,
    `Requirements: ${tally(s.requirements)}.`,
    '',
  ];
  if (s.changes) {
    lines.push(`### Changes since ${s.changes.since}`, '');
    lines.push(...(s.changes.list.length ? s.changes.list.map((c) => `- **${c.id}**: ${c.what} (${c.from} → ${c.to})`) : ['No verdict changed.']), '');
  }
  const section = (title: string, rows: StatementRow[]) => {
    lines.push(`### ${title}`, '', '| Id | Verdict | Why |', '|---|---|---|');
    for (const r of rows) lines.push(`| ${r.id} | ${r.verdict} | ${md(r.verdict === 'departs as recorded' ? r.records.map((x) => `${x.id}: ${x.reason}`).join(' ') : r.detail)} |`);
    lines.push('');
  };
  // Failures first: a job summary is read from the top.
  const order = ['failed', 'departs as recorded', 'found, as recorded', 'met', 'not found', 'not tested'];
  section('Requirements', [...s.requirements].sort((a, b) => order.indexOf(a.verdict) - order.indexOf(b.verdict)));
  if (s.findings.length) section('Security findings', s.findings);
  return lines.join('\n');
}

export function renderJson(s: Statement): string {
  return `${JSON.stringify(s, null, 2)}\n`;
}
