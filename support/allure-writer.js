// Allure's results writer, without its fsync per file. allure-js-commons'
// FileSystemWriter syncs every result and attachment to disk on Cucumber's
// main thread: about 2,000 calls and 2.3 s per full run on the 2-core machine
// (npm run bench). Results are still published whole (temp file + rename);
// only durability against a power cut is given up, which test results of a
// run that is re-run anyway do not need. Plain JavaScript: cucumber.js loads it.
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { stringifyEnvInfo } = require('allure-js-commons/sdk/reporter');

class ResultsWriter {
  constructor(resultsDir) {
    this.resultsDir = resultsDir;
  }

  target(name) {
    fs.mkdirSync(this.resultsDir, { recursive: true });
    return path.join(this.resultsDir, name);
  }

  publish(name, data) {
    const file = this.target(name);
    const tmp = path.join(path.dirname(file), `.allure-write-${crypto.randomUUID()}.tmp`);
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, file);
  }

  writeAttachment(name, content) {
    this.publish(name, content);
  }

  writeAttachmentFromPath(name, from) {
    this.publish(name, fs.readFileSync(from));
  }

  writeEnvironmentInfo(info) {
    this.publish('environment.properties', stringifyEnvInfo(info));
  }

  writeCategoriesDefinitions(categories) {
    this.publish('categories.json', JSON.stringify(categories));
  }

  writeGroup(result) {
    this.publish(`${result.uuid}-container.json`, JSON.stringify(result));
  }

  writeResult(result) {
    this.publish(`${result.uuid}-result.json`, JSON.stringify(result));
  }

  writeGlobals(name, info) {
    this.publish(name, JSON.stringify(info));
  }
}

module.exports = { ResultsWriter };
