// Background steps: what the scenario's gateway and client look like. The
// objects are created on first use (support/provisioning.ts).
import { Given, type DataTable } from '@cucumber/cucumber';
import type { UmaWorld } from '../support/world';
import { SECOND_PATTERN, tutorialPlan } from '../support/provisioning';

Given("the tutorial's API protected by Gluu Gateway with the claims-gathering scope", function (this: UmaWorld) {
  this.plan = tutorialPlan('demo');
});

Given("the tutorial's API also protected on a second host with a scope that has no policy", function (this: UmaWorld) {
  this.changePlan((p) => {
    p.noPolicyHost = true;
  });
});

Given('an API protected by Gluu Gateway with the claims-gathering scope, behind an echo upstream', function (this: UmaWorld) {
  this.plan = tutorialPlan('echo');
});

Given('an API protected by Gluu Gateway for GET on these path patterns, behind an echo upstream:', function (this: UmaWorld, table: DataTable) {
  this.plan = { ...tutorialPlan('echo'), patterns: table.hashes().map((r) => r.pattern) };
});

Given('the gateway denies paths outside its scope expression', function (this: UmaWorld) {
  this.changePlan((p) => {
    p.denyByDefault = true;
  });
});

Given('the gateway lets paths outside its scope expression through', function (this: UmaWorld) {
  this.changePlan((p) => {
    p.denyByDefault = false;
  });
});

Given('the API also protects a second path with its own resource', function (this: UmaWorld) {
  this.changePlan((p) => {
    p.patterns.push(SECOND_PATTERN);
  });
});

Given("the requesting party's client registered with its claims redirect URI", async function (this: UmaWorld) {
  await this.rqp();
});
