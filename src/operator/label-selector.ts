/**
 * Checks the syntax of a Kubernetes label selector as kube-apiserver parses
 * it, so that `operator --label-selector` rejects a typo at start-up instead
 * of once the API server responds. test/e2e/label-selector.test.ts checks
 * the cases of test/fixtures/label-selectors.ts against a real one.
 * Requirements are separated by commas: `key`, `!key`, `key=value`,
 * `key==value`, `key!=value`, `key in (a,b)`, `key notin (a,b)`, `key>1`
 * and `key<1`.
 */

/** A label name, and a label value when not empty: at most 63 characters, alphanumeric at both ends. */
const namePattern = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
/** The optional prefix of a key: a DNS subdomain of at most 253 characters. */
const prefixPattern = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

const setPattern = /^(\S+)\s+(in|notin)\s*\((.*)\)$/;
const comparisonPattern = /^([^=!<>\s]+)\s*(==|!=|=|<|>)\s*(.*)$/;
const existencePattern = /^(!?)\s*([^=!<>\s(),]+)$/;

/** Returns what is wrong with the selector, or undefined when the API server would accept its syntax. */
export function labelSelectorProblem(selector: string): string | undefined {
  if (selector.trim() === '') return undefined;
  for (const requirement of splitRequirements(selector)) {
    const problem = requirementProblem(requirement.trim());
    if (problem !== undefined) return problem;
  }
  return undefined;
}

function requirementProblem(requirement: string): string | undefined {
  if (requirement === '') return 'a requirement is empty: remove the extra comma';
  const set = setPattern.exec(requirement);
  if (set !== null) {
    const values = (set[3] as string).split(',').map((value) => value.trim());
    return keyProblem(set[1] as string) ?? values.map(valueProblem).find((problem) => problem !== undefined);
  }
  const comparison = comparisonPattern.exec(requirement);
  if (comparison !== null) {
    const [, key, operator, value] = comparison as unknown as [string, string, string, string];
    const problem = keyProblem(key);
    if (problem !== undefined) return problem;
    if ((operator === '<' || operator === '>') && !/^\d+$/.test(value.trim())) return `"${requirement}": ${operator} needs a whole number of 0 or more`;
    return valueProblem(value.trim());
  }
  const existence = existencePattern.exec(requirement);
  if (existence !== null) return keyProblem(existence[2] as string);
  return `"${requirement}" is not a requirement: use key, !key, key=value, key!=value, key in (a,b) or key notin (a,b)`;
}

function keyProblem(key: string): string | undefined {
  const slash = key.indexOf('/');
  const prefix = slash < 0 ? undefined : key.slice(0, slash);
  const name = slash < 0 ? key : key.slice(slash + 1);
  if (prefix !== undefined && (prefix.length > 253 || !prefixPattern.test(prefix))) {
    return `label key "${key}": the prefix before / must be a DNS subdomain such as example.com`;
  }
  if (!namePattern.test(name)) {
    return `label key "${key}": the name must be at most 63 characters of letters, digits, -, _ and ., starting and ending with a letter or digit`;
  }
  return undefined;
}

function valueProblem(value: string): string | undefined {
  if (value === '' || namePattern.test(value)) return undefined;
  return `label value "${value}": must be at most 63 characters of letters, digits, -, _ and ., starting and ending with a letter or digit`;
}

/** Splits at the commas outside parentheses, since the values of in and notin are separated by commas too. */
function splitRequirements(selector: string): string[] {
  const requirements: string[] = [];
  let depth = 0;
  let start = 0;
  for (let index = 0; index < selector.length; index += 1) {
    const character = selector[index];
    if (character === '(') depth += 1;
    else if (character === ')') depth -= 1;
    else if (character === ',' && depth === 0) {
      requirements.push(selector.slice(start, index));
      start = index + 1;
    }
  }
  requirements.push(selector.slice(start));
  return requirements;
}
