/** Exit codes of the CLI, stable so CI pipelines can branch on them. */
export const ExitCode = {
  /** Every monitor met its thresholds, or the command succeeded. */
  Ok: 0,
  /** At least one monitor did not meet its thresholds. */
  ThresholdsNotMet: 1,
  /** Invalid input: a missing or unreadable file, an invalid manifest, a missing secret, a bad flag. */
  InvalidInput: 2,
} as const;

/** An error the user can fix; the CLI prints its message without a stack and exits with InvalidInput. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The program's own fault (a bug), kept apart from 1 so that CI does not read a crash as a failing model. */
export const internalErrorExitCode = 3;
