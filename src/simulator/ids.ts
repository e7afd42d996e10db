import { randomBytes } from 'node:crypto';

// One random part per process and a counter keep ids unique without a random draw per request.
const processPart = randomBytes(6).toString('hex');
let counter = 0;

/** Returns a new unique id such as `chatcmpl-sim3f9a0c1d2e4b000001`. */
export function newId(prefix: string): string {
  counter += 1;
  return `${prefix}sim${processPart}${counter.toString(36).padStart(6, '0')}`;
}
