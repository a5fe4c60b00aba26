// A Jest reporter that appends this run's totals to $POSLINK_TEST_COUNTS (one JSON line per Jest
// invocation). Nx runs one Jest per project; .ci/run sums the lines into one closing
// "N passed, N failed" line so the whole suite reads as one result.
const { appendFileSync } = require('node:fs');

class CountReporter {
  onRunComplete(_contexts, results) {
    const file = process.env.POSLINK_TEST_COUNTS;
    if (!file) return;
    appendFileSync(
      file,
      JSON.stringify({
        passed: results.numPassedTests,
        failed: results.numFailedTests + results.numRuntimeErrorTestSuites,
        skipped: results.numPendingTests + results.numTodoTests,
      }) + '\n',
    );
  }
}

module.exports = CountReporter;
