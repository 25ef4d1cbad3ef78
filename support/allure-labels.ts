// Allure labels and links from the scenario's tags: epic = the area, severity
// from @blocker/@critical/…, and one link per requirement id to its UMA 2.0
// section. The feature label and the Examples parameters come from
// allure-cucumberjs; the story is the scenario (outline) as written.
import 'allure-cucumberjs';
import * as allure from 'allure-js-commons';
import { Before } from '@cucumber/cucumber';
import { isRequirementId, requirementUrl } from './requirements';

const EPICS: Array<[string, string]> = [
  ['@tutorial', 'Tutorial flows'],
  ['@resource-server', 'Resource server (Gluu Gateway)'],
  ['@authorization-server', 'Authorization server (Gluu Server)'],
  ['@smoke', 'Smoke'],
];

const SEVERITIES = ['blocker', 'critical', 'normal', 'minor', 'trivial'] as const;

Before({ name: 'Allure labels' }, async function ({ pickle, gherkinDocument }) {
  const tags = pickle.tags.map((t) => t.name);
  const epic = EPICS.find(([tag]) => tags.includes(tag))?.[1];
  if (epic) await allure.epic(epic);
  const severity = SEVERITIES.find((s) => tags.includes(`@${s}`));
  if (severity) await allure.severity(severity);
  // Story: the scenario as written, so all rows of a Scenario Outline group together.
  const scenario = gherkinDocument.feature?.children.find((c) => c.scenario?.id === pickle.astNodeIds[0])?.scenario;
  if (scenario?.name) await allure.story(scenario.name);
  await allure.owner('uma-claims-conformance');
  for (const tag of tags) {
    const id = tag.slice(1);
    if (isRequirementId(id)) await allure.link(requirementUrl(id), id, 'requirement');
  }
});
