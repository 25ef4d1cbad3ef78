// Cucumber profile. Only the console formatter writes to stdout; every other
// formatter has a file target (a formatter without one silently replaces the
// console output). `npm test` (scripts/run.ts) cleans the reports folder
// before a run; UMA_REPORTS_DIR moves it (default reports/), so that two runs
// from one checkout do not overwrite each other.
const { ResultsWriter } = require('./support/allure-writer.js');

const reports = process.env.UMA_REPORTS_DIR || 'reports';

module.exports = {
  default: {
    requireModule: [require.resolve('./scripts/register.js')],
    require: ['support/**/*.ts', 'steps/**/*.ts'],
    // Paths given on the command line replace these (scripts/run.ts sets UMA_FEATURE_PATHS_GIVEN);
    // Cucumber would otherwise run both.
    paths: process.env.UMA_FEATURE_PATHS_GIVEN ? [] : ['features/**/*.feature'],
    format: [
      './support/console-formatter.js',
      `message:${reports}/cucumber-messages.ndjson`,
      `junit:${reports}/junit.xml`,
      `html:${reports}/cucumber-report.html`,
      `allure-cucumberjs/reporter:${reports}/allure-results/.formatter-output`,
    ],
    formatOptions: {
      resultsDir: `${reports}/allure-results`,
      writer: new ResultsWriter(`${reports}/allure-results`),
    },
  },
};
