// Writes the files generated from the code: the CRD. Run after `npm run build`.
import { writeFileSync } from 'node:fs';
import { crdYaml } from '../dist/api/crd.js';

writeFileSync(new URL('../deploy/crds/llmmonitor.dev_llmmonitors.yaml', import.meta.url), crdYaml());
console.log('wrote deploy/crds/llmmonitor.dev_llmmonitors.yaml');
