// Fails when a generated file in the repository differs from what the code
// produces now, and says how to regenerate it. Run after `npm run build`.
import { readFileSync } from 'node:fs';
import { crdYaml } from '../dist/api/crd.js';
import { chartCopyProblems } from './chart-copies.mjs';

const file = 'deploy/crds/llmmonitor.dev_llmmonitors.yaml';
const committed = readFileSync(new URL(`../${file}`, import.meta.url), 'utf8');
if (committed !== crdYaml()) {
  console.error(`${file} is out of date with src/api/schema.ts: run \`npm run generate\` and commit the result`);
  process.exit(1);
}
console.log(`${file} is current`);

const chartProblems = chartCopyProblems();
for (const problem of chartProblems) console.error(problem);
if (chartProblems.length > 0) process.exit(1);
console.log('the Helm chart\'s copies of the CRDs and dashboards are current');

