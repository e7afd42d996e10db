// Adds up vitest's JSON results and prints the one closing line CI reads:
// "N passed, N failed". Exits non-zero when a test failed, a file is
// missing, or no test ran at all. The failed tests are listed above that line,
// since CI shows only the end of the output.
import { readFileSync } from 'node:fs';

let passed = 0;
let failed = 0;
let skipped = 0;
let total = 0;
let missing = false;
const failures = [];
for (const path of process.argv.slice(2)) {
  try {
    const report = JSON.parse(readFileSync(path, 'utf8'));
    passed += report.numPassedTests;
    failed += report.numFailedTests;
    skipped += report.numPendingTests + report.numTodoTests;
    total += report.numTotalTests;
    for (const file of report.testResults ?? []) {
      for (const test of file.assertionResults ?? []) {
        if (test.status !== 'failed') continue;
        const message = String(test.failureMessages?.[0] ?? '').split('\n').slice(0, 6).join('\n    ');
        failures.push(`FAILED ${file.name} > ${test.fullName}\n    ${message}`);
      }
      if (file.status === 'failed' && (file.assertionResults ?? []).every((test) => test.status !== 'failed')) {
        failures.push(`FAILED ${file.name} (the file did not run)\n    ${String(file.message ?? '').split('\n').slice(0, 6).join('\n    ')}`);
      }
    }
    // A file that failed to load counts no test, so count failed suites too.
    failed += report.numFailedTestSuites > 0 && report.numFailedTests === 0 ? report.numFailedTestSuites : 0;
  } catch (error) {
    console.error(`cannot read test results from ${path}: ${error.message}`);
    missing = true;
  }
}
// CI shows only the end of the output, so the failures are repeated here.
for (const failure of failures) console.log(failure);
console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || total === 0 || missing ? 1 : 0);
