import { Command, InvalidArgumentError, Option } from 'commander';
import { buildPrometheusRule, type PrometheusRule } from '../alerts/prometheus-rule.js';
import { renderPrometheusRules, renderRuleFile } from '../alerts/render.js';
import { isKubernetesLabelKey, isKubernetesLabelValue } from '../alerts/validation.js';
import { loadManifests } from '../api/load.js';
import { createContext, logLevels } from './context.js';
import { UsageError } from './exit-codes.js';

interface RulesOptions {
  filename: string[];
  ruleLabel: Record<string, string>;
  output: 'prometheusrule' | 'rule-file';
  logLevel: string;
}

export function registerRulesCommand(program: Command): void {
  program
    .command('rules')
    .description(
      'Print the Prometheus alerting rules generated from the thresholds of the given monitors, as the operator applies them: ' +
        'PrometheusRule objects (one YAML document per monitor), or a Prometheus rule file for promtool and a plain Prometheus.',
    )
    .requiredOption('-f, --filename <path...>', 'manifest files or folders (YAML or JSON, searched recursively)')
    .addOption(ruleLabelOption('label on every PrometheusRule, for a Prometheus ruleSelector such as release=kube-prometheus-stack (repeatable)'))
    .addOption(new Option('-o, --output <format>', 'output format').choices(['prometheusrule', 'rule-file']).default('prometheusrule'))
    .addOption(new Option('--log-level <level>', 'log level of the JSON log on standard error').choices(logLevels).default('warn'))
    .action(async (options: RulesOptions) => {
      await printRules(options);
    });
}

async function printRules(options: RulesOptions): Promise<void> {
  const context = createContext({ logLevel: options.logLevel });
  const result = await loadManifests(options.filename);
  if (result.errors.length > 0) throw new UsageError(result.errors.map((e) => e.message).join('\n'));
  if (result.monitors.length === 0) {
    throw new UsageError(`no LLMMonitor found in ${options.filename.join(', ')}: the files hold no document with kind: LLMMonitor`);
  }

  const rules: PrometheusRule[] = [];
  for (const { monitor, source } of result.monitors) {
    const rule = buildPrometheusRule(monitor, options.ruleLabel);
    if (rule === undefined) context.logger.info({ source, monitor: monitor.metadata.name }, 'skipped a monitor whose spec.alerting.enabled is false');
    else rules.push(rule);
  }

  if (options.output === 'rule-file') context.print(renderRuleFile(rules.flatMap((rule) => rule.spec.groups)));
  else context.print(renderPrometheusRules(rules));
}

/** Builds the repeatable --rule-label KEY=VALUE flag, shared with the operator command. */
export function ruleLabelOption(description: string): Option {
  return new Option('--rule-label <key=value>', description).argParser(collectRuleLabel).default({}, 'none');
}

/** Parses one KEY=VALUE flag into the labels collected so far; commander calls it once per flag. */
export function collectRuleLabel(flag: string, previous: Record<string, string>): Record<string, string> {
  const separator = flag.indexOf('=');
  const key = separator === -1 ? flag : flag.slice(0, separator);
  const value = separator === -1 ? undefined : flag.slice(separator + 1);
  if (value === undefined) throw new InvalidArgumentError(`"${flag}" is not KEY=VALUE, for example release=kube-prometheus-stack.`);
  if (!isKubernetesLabelKey(key)) throw new InvalidArgumentError(`"${key}" is not a Kubernetes label key such as release or example.com/team.`);
  if (!isKubernetesLabelValue(value)) {
    throw new InvalidArgumentError(`"${value}" is not a Kubernetes label value: at most 63 letters, digits, "-", "_" and ".", starting and ending with a letter or digit.`);
  }
  return { ...previous, [key]: value };
}
