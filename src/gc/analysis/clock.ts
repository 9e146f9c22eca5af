import type { LogTime } from '../events.js';

/**
 * The log's clock, on one base: uptime seconds where the log has them (they survive
 * clock changes), wall-clock seconds otherwise. Uptime going backwards means another JVM
 * run (inputs from several runs): the span is then the sum of each run's span.
 */
export class LogClock {
  private uptimeEvents = 0;
  private epochEvents = 0;
  private readonly uptime = new SpanTracker();
  private readonly epoch = new SpanTracker();

  observe(time: LogTime): void {
    if (time.uptimeSec !== undefined) {
      this.uptimeEvents++;
      this.uptime.observe(time.uptimeSec);
    }
    if (time.epochMs !== undefined) {
      this.epochEvents++;
      this.epoch.observe(time.epochMs / 1000);
    }
  }

  get base(): 'uptime' | 'epoch' {
    return this.uptimeEvents >= this.epochEvents && this.uptimeEvents > 0 ? 'uptime' : 'epoch';
  }

  /** Seconds of this event on the chosen base, continuing across runs. */
  seconds(time: LogTime): number | undefined {
    return this.base === 'uptime'
      ? time.uptimeSec === undefined ? undefined : this.uptime.continuous(time.uptimeSec)
      : time.epochMs === undefined ? undefined : this.epoch.continuous(time.epochMs / 1000);
  }

  spanSeconds(): number {
    return this.base === 'uptime' ? this.uptime.span() : this.epoch.span();
  }

  firstEpochMs(): number | undefined {
    return this.epochEvents > 0 ? this.epoch.first * 1000 : undefined;
  }
}

const RESTART_SLACK_SEC = 1;

class SpanTracker {
  first = Number.NaN;
  private segmentStart = Number.NaN;
  private last = Number.NaN;
  private closedSpans = 0;
  /** Offset that makes a later run's times continue after the earlier ones. */
  private offset = 0;

  observe(t: number): void {
    if (Number.isNaN(this.first)) {
      this.first = this.segmentStart = this.last = t;
      return;
    }
    if (t < this.last - RESTART_SLACK_SEC) {
      this.closedSpans += this.last - this.segmentStart;
      this.offset += this.last - t;
      this.segmentStart = t;
    }
    if (t > this.last || t < this.last - RESTART_SLACK_SEC) this.last = t;
  }

  continuous(t: number): number {
    return t + this.offset;
  }

  span(): number {
    return Number.isNaN(this.first) ? 0 : this.closedSpans + (this.last - this.segmentStart);
  }
}
