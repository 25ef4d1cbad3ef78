// Allure labels and links from the scenario's tags: epic = the area, severity
// from @blocker/@critical/…, and one link per requirement id to its UMA 2.0
// section. The feature label and the Examples parameters come from
// allure-cucumberjs; the story is the scenario's name with an outline's
// example values filled in (issue 13: "<case> is denied" told a reader nothing).
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

Before({ name: 'Allure labels' }, async function ({ pickle }) {
  const tags = pickle.tags.map((t) => t.name);
  const epic = EPICS.find(([tag]) => tags.includes(tag))?.[1];
  if (epic) await allure.epic(epic);
  const severity = SEVERITIES.find((s) => tags.includes(`@${s}`));
  if (severity) await allure.severity(severity);
  // Story: the scenario as it ran (Cucumber fills an outline's <placeholders> into the pickle's name).
  await allure.story(pickle.name);
  await allure.owner('uma-claims-conformance');
  for (const tag of tags) {
    const id = tag.slice(1);
    if (isRequirementId(id)) await allure.link(requirementUrl(id), id, 'requirement');
  }
});
