// Adds up vitest's JSON results and prints the one closing line CI reads:
// "N passed, N failed". Exits non-zero when a test failed, a file is
// missing, or no test ran at all.
import { readFileSync } from 'node:fs';

let passed = 0;
let failed = 0;
let skipped = 0;
let total = 0;
let missing = false;
for (const path of process.argv.slice(2)) {
  try {
    const report = JSON.parse(readFileSync(path, 'utf8'));
    passed += report.numPassedTests;
    failed += report.numFailedTests;
    skipped += report.numPendingTests + report.numTodoTests;
    total += report.numTotalTests;
    // A file that failed to load counts no test, so count failed suites too.
    failed += report.numFailedTestSuites > 0 && report.numFailedTests === 0 ? report.numFailedTestSuites : 0;
  } catch (error) {
    console.error(`cannot read test results from ${path}: ${error.message}`);
    missing = true;
  }
}
console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || total === 0 || missing ? 1 : 0);
