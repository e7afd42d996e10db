/**
 * Cross-field rules that a JSON schema cannot state. Each rule is written
 * twice, once in CEL for the API server (x-kubernetes-validations in the CRD)
 * and once in TypeScript for the standalone runner, with one message, so a
 * manifest is rejected the same way by `kubectl apply` and by `llm-monitor check`.
 * A test runs every rule's fixtures through both.
 */
import { assertionKinds, type ExpectSpec, type Message, type ScheduleSpec } from './types.js';

export interface CrossFieldRule<T> {
  /** Where the rule sits in the schema: the node that CEL's `self` refers to. */
  at: 'schedule' | 'expect' | 'messages';
  cel: string;
  message: string;
  holds(value: T): boolean;
}

const kindList = assertionKinds.join(', ');

export const scheduleRules: CrossFieldRule<ScheduleSpec>[] = [
  {
    at: 'schedule',
    cel: 'has(self.interval) != has(self.cron)',
    message: 'set exactly one of interval or cron',
    holds: (s) => (s.interval !== undefined) !== (s.cron !== undefined),
  },
  {
    // A zero interval would run the monitor in a tight loop. The range check (at least 1s) needs a duration
    // parser that CEL lacks for units such as 1d, so only zero is refused here, by kubectl apply as well.
    at: 'schedule',
    cel: "!has(self.interval) || self.interval.matches('[1-9]')",
    message: 'interval must be greater than 0: use at least 1s',
    holds: (s) => s.interval === undefined || /[1-9]/.test(s.interval),
  },
  {
    at: 'schedule',
    cel: '!has(self.timeZone) || has(self.cron)',
    message: 'timeZone applies only to cron schedules',
    holds: (s) => s.timeZone === undefined || s.cron !== undefined,
  },
];

export const expectRules: CrossFieldRule<ExpectSpec>[] = [
  {
    at: 'expect',
    cel: `[${assertionKinds.map((k) => `has(self.${k})`).join(', ')}].filter(x, x).size() == 1`,
    message: `set exactly one assertion kind: ${kindList}`,
    holds: (e) => assertionKinds.filter((k) => e[k] !== undefined).length === 1,
  },
  {
    at: 'expect',
    cel: '!has(self.ignoreCase) || has(self.contains) || has(self.notContains) || has(self.equals)',
    message: 'ignoreCase applies only to contains, notContains and equals',
    holds: (e) => e.ignoreCase === undefined || e.contains !== undefined || e.notContains !== undefined || e.equals !== undefined,
  },
];

export const messagesRules: CrossFieldRule<Message[]>[] = [
  {
    at: 'messages',
    cel: "self.exists(m, m.role == 'user')",
    message: 'must contain at least one message with role user',
    holds: (messages) => messages.some((m) => m.role === 'user'),
  },
];

/** The CEL form of rules, as the CRD lists them. */
export function celValidations(rules: readonly CrossFieldRule<never>[]): { rule: string; message: string }[] {
  return rules.map((r) => ({ rule: r.cel, message: r.message }));
}
