import type { GcEvent } from '../events.js';

/** An independent analysis over the event stream: sees every event once, then reports. */
export interface Aggregator<R> {
  accept(event: GcEvent): void;
  result(): R;
}

/** Seconds on one clock: uptime where the log has it, else wall-clock time. */
export function eventSeconds(time: { uptimeSec?: number; epochMs?: number }, base: 'uptime' | 'epoch'): number | undefined {
  return base === 'uptime' ? time.uptimeSec : time.epochMs === undefined ? undefined : time.epochMs / 1000;
}
