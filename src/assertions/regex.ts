import { setFlagsFromString } from 'node:v8';

import type { ExpectSpec } from '../api/types.js';
import type { Assertion } from './assertion.js';
import { expectValue } from './expect-value.js';
import { quoteExcerpt } from './message-format.js';

type CompiledRegExp = { ok: true; regExp: RegExp } | { ok: false; message: string };

/** Compiled patterns by expect item, because the same item runs on every sample of every run. */
const compiledRegExps = new WeakMap<ExpectSpec, CompiledRegExp>();

/**
 * Passes when the pattern matches somewhere in the answer. The pattern uses
 * JavaScript RegExp syntax without flags: `^` and `$` anchor the whole
 * answer, `.` does not match a line break, and `(?i)` is not supported
 * (use `[Pp]aris`, or contains with ignoreCase).
 *
 * NOTE: the RegExp engine backtracks without a time limit, so a pattern with
 * nested quantifiers such as `(a+)+$` can block the process for seconds or
 * more on an unlucky answer. Call limitRegExpBacktracking at startup to
 * bound that for patterns without backreferences or lookarounds.
 */
export const regex: Assertion = (spec, answer) => {
  const compiled = compileOnce(spec);
  if (!compiled.ok) return { kind: 'regex', passed: false, message: compiled.message };

  // No g or y flag, so test() keeps no lastIndex state between answers.
  const matched = compiled.regExp.test(answer.text);

  const quotedPattern = quoteExcerpt(compiled.regExp.source);
  return matched
    ? { kind: 'regex', passed: true, message: `answer matches the regex ${quotedPattern}` }
    : {
        kind: 'regex',
        passed: false,
        message: `answer does not match the regex ${quotedPattern}: ${quoteExcerpt(answer.text)}`,
      };
};

function compileOnce(spec: ExpectSpec): CompiledRegExp {
  const cached = compiledRegExps.get(spec);
  if (cached !== undefined) return cached;

  const compiled = compilePattern(expectValue(spec, 'regex'));
  compiledRegExps.set(spec, compiled);
  return compiled;
}

function compilePattern(pattern: string): CompiledRegExp {
  try {
    return { ok: true, regExp: new RegExp(pattern) };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, message: `invalid regex ${quoteExcerpt(pattern)}: ${reason}` };
  }
}

/**
 * Makes V8 switch a regular expression to its linear-time engine after
 * 50,000 backtracks (V8's default for --regexp-backtracks-before-fallback),
 * so a pattern such as `(a+)+$` cannot hang the process. The flag is
 * process-wide and applies to expressions without backreferences or
 * lookarounds, which the linear engine does not support. Call it once at
 * startup, before any pattern runs.
 *
 * NOTE: Node.js documents that changing V8 flags after startup may behave
 * unpredictably. Passing --enable-experimental-regexp-engine-on-excessive-backtracks
 * on the node command line has the same effect without that caveat.
 */
export function limitRegExpBacktracking(): void {
  setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');
}
