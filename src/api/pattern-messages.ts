/**
 * Sentences that explain the schema's string patterns. The runtime validator
 * reports them, and the CRD states each pattern as a CEL rule with the same
 * message, because the API server's own pattern error prints the raw regular
 * expression.
 */
import { durationPattern, percentPattern } from '../util/duration.js';

export const namePattern = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';
export const urlPattern = '^https?://[^\\s]+$';
export const decimalPattern = '^[0-9]+(\\.[0-9]+)?$';
/** A decimal from 0 to 1 as a string, such as "0.8" or "1". */
export const unitDecimalPattern = '^(0(\\.[0-9]{1,6})?|1(\\.0{1,6})?)$';

export const patternMessages: ReadonlyMap<string, string> = new Map([
  [durationPattern, 'must be a duration such as 30s, 5m or 1h30m (units ms, s, m, h, d, w, y)'],
  [percentPattern, 'must be a percentage between 0% and 100%, such as "95%"'],
  [urlPattern, 'must be an http:// or https:// URL without spaces'],
  [decimalPattern, 'must be an integer or a decimal string such as "0.7"'],
  [unitDecimalPattern, 'must be a decimal string from 0 to 1 with at most 6 decimals, such as "0.8"'],
  [namePattern, 'must be lowercase letters, digits and "-", starting and ending with a letter or digit'],
]);
