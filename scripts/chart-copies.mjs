// The Helm chart cannot read files outside its folder, so it keeps copies of
// the CRDs and the Grafana dashboards. This finds copies that differ from
// their source, and chart appVersion drift from package.json.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const chart = 'deploy/helm/llm-monitor';

/** Each source folder, the chart folder that mirrors it, and the file names that count. */
const mirrors = [
  { source: 'deploy/crds', copy: `${chart}/crds`, pattern: /\.ya?ml$/ },
  { source: 'deploy/grafana', copy: `${chart}/dashboards`, pattern: /\.json$/ },
];

function listFiles(folder, pattern) {
  const path = join(root, folder);
  return existsSync(path) ? readdirSync(path).filter((name) => pattern.test(name)).sort() : [];
}

/** Returns one message per problem, each with the command that fixes it; empty when the chart is current. */
export function chartCopyProblems() {
  const problems = [];
  for (const { source, copy, pattern } of mirrors) {
    const sources = listFiles(source, pattern);
    const copies = listFiles(copy, pattern);
    for (const name of sources) {
      const original = readFileSync(join(root, source, name), 'utf8');
      const copied = copies.includes(name) ? readFileSync(join(root, copy, name), 'utf8') : undefined;
      if (copied !== original) problems.push(`${copy}/${name} differs from ${source}/${name}: run \`cp ${source}/${name} ${copy}/\``);
    }
    for (const name of copies.filter((name) => !sources.includes(name))) {
      problems.push(`${copy}/${name} has no source in ${source}/: remove it with \`rm ${copy}/${name}\``);
    }
  }

  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const appVersion = /^appVersion:\s*"?([^"\s]+)"?\s*$/m.exec(readFileSync(join(root, chart, 'Chart.yaml'), 'utf8'))?.[1];
  if (appVersion !== version) problems.push(`${chart}/Chart.yaml appVersion ${appVersion} differs from package.json version ${version}: set both to the same version`);
  return problems;
}
