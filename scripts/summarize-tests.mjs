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
    // A file that failed to load counts no test, so count failed suites too.
    failed += report.numFailedTestSuites > 0 && report.numFailedTests === 0 ? report.numFailedTestSuites : 0;
    failures.push(...failedTests(report));
  } catch (error) {
    console.error(`cannot read test results from ${path}: ${error.message}`);
    missing = true;
  }
}

/** Returns a line, with the start of its error, for each failed test and each file that did not run. */
function failedTests(report) {
  const lines = [];
  const excerpt = (text) => String(text ?? '').split('\n').slice(0, 6).join('\n    ');
  for (const file of report.testResults ?? []) {
    const tests = file.assertionResults ?? [];
    for (const test of tests.filter((t) => t.status === 'failed')) lines.push(`FAILED ${file.name} > ${test.fullName}\n    ${excerpt(test.failureMessages?.[0])}`);
    if (file.status === 'failed' && tests.every((test) => test.status !== 'failed')) lines.push(`FAILED ${file.name} (the file did not run)\n    ${excerpt(file.message)}`);
  }
  return lines;
}

// CI shows only the end of the output, so the failures are repeated here.
for (const failure of failures) console.log(failure);
console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || total === 0 || missing ? 1 : 0);
