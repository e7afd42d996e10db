/**
 * Reasons for ending a watch and starting another. Each value is the
 * `reason` label of the restart counter and the `reason` field of the log
 * line, so it stays CamelCase and stable.
 */
export const WatchRestartReason = {
  /**
   * The request or the stream failed: connection refused or reset, an HTTP
   * error status other than 410, an ERROR event other than 410, or a line
   * that is not a JSON watch event.
   */
  Error: 'Error',
  /** The server ended the stream normally, for example after `timeoutSeconds`. */
  Closed: 'Closed',
  /** HTTP 410 Gone or an ERROR event with code 410: the resourceVersion is too old, so the informer lists again. */
  Gone: 'Gone',
  /** Neither an event nor a bookmark arrived within the silence timeout. */
  Silent: 'Silent',
} as const;
export type WatchRestartReason = (typeof WatchRestartReason)[keyof typeof WatchRestartReason];

export const watchRestartReasons: readonly WatchRestartReason[] = Object.values(WatchRestartReason);

/** Outcome of one complete list (all pages), and the `result` label of the list counter. */
export const ListResult = {
  Success: 'Success',
  Error: 'Error',
} as const;
export type ListResult = (typeof ListResult)[keyof typeof ListResult];

export const listResults: readonly ListResult[] = Object.values(ListResult);
