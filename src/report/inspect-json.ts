/** `inspect --format json`: the contract of src/inspect/result.ts, one object. */
import type { InspectJson } from '../inspect/result.js';

export function renderInspectJson(result: InspectJson): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}
