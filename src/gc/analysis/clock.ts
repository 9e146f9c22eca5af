import type { GcEvent, LogTime } from '../events.js';
import { round3 } from './distribution.js';

/** One JVM run of the log: from its first event to its last. */
export interface JvmRun {
  /** Where the run's first event is. */
  readonly file: string;
  readonly line: number;
  /** The run's first date stamp, where the log has them. */
  readonly startEpochMs: number | undefined;
  /** From the run's first event to its last, on the log's clock. */
  readonly spanSeconds: number;
  readonly pauses: number;
  readonly pauseMs: number;
  /** Share of the run's span outside stop-the-world pauses; undefined for a run of one instant. */
  readonly throughputPercent: number | undefined;
}

/** Uptime alone: going back by more than this (events are printed slightly out of order) is another run. */
const RESTART_SLACK_SEC = 1;
/** With date stamps too: uptime back by more than rounding … */
const DATED_BACKWARDS_SEC = 0.002;
/** … while the JVM's start (date − uptime) moves forward by more than stamp jitter is another run. */
const DATED_START_JUMP_SEC = 0.05;
/** Runs reported one by one; beyond this they are only counted (and summed). */
const MAX_RUNS_KEPT = 1000;

class Run {
  upMin = Number.NaN;
  upMax = Number.NaN;
  epMin = Number.NaN;
  epMax = Number.NaN;
  firstEpochMs: number | undefined;
  /** Uptime seconds → the log's continuous timeline. */
  offset = 0;
  events = 0;
  pauses = 0;
  pauseMs = 0;

  constructor(
    readonly file: string,
    public line: number,
  ) {}

  span(base: 'uptime' | 'epoch'): number {
    const span = base === 'uptime' ? this.upMax - this.upMin : this.epMax - this.epMin;
    return Number.isNaN(span) ? 0 : span;
  }
}

/**
 * The log's clock and its JVM runs. Times are on one base: uptime seconds where the log has them
 * (they survive clock changes), wall-clock seconds otherwise. A log can hold several JVM runs
 * (a restart appended to the same file, logs of several runs given together): a new run starts
 * where the parser saw the JVM's banner again and the next event's uptime starts over, or where
 * uptime goes back (by more than a second, or by any amount while the date stamps go on). Span and
 * throughput are then per run and summed, and the timeline stays monotonic: each run is placed at
 * its wall-clock distance from the first where dates say it, else right after the run before.
 */
export class LogClock {
  /** The input being read, for the runs' positions. */
  file = '';
  private uptimeEvents = 0;
  private epochEvents = 0;
  private firstEpoch: number | undefined;
  private current = new Run('', 0);
  private started = false;
  private readonly kept: Run[] = [];
  private runCount = 1;
  /** Sums over the runs no longer kept one by one. */
  private droppedSpan = { uptime: 0, epoch: 0 };
  /** A banner after events (its line): the next event says whether a run started there. */
  private pendingStart = false;
  private pendingLine = 0;
  /** date − uptime of the latest event with both, and of the first run's first. */
  private lastImpliedStart = Number.NaN;
  private firstImpliedStart = Number.NaN;

  /**
   * Sees every event, before the aggregators do. `type` and `time` are the event's, read once by
   * the caller: events come in many shapes, and each property read of one costs.
   */
  observe(event: GcEvent, type: GcEvent['type'], time: LogTime): void {
    if (type === 'jvm-start') {
      // The first run starts at its banner, where the log has one.
      if (!this.started) {
        this.started = true;
        this.current = new Run(this.file, event.line);
      } else if (this.current.events > 0 && !this.pendingStart) {
        this.pendingStart = true;
        this.pendingLine = event.line;
      }
      return;
    }
    const up = time.uptimeSec;
    const ep = time.epochMs;
    if (up === undefined && ep === undefined && type !== 'pause' && type !== 'concurrent' && type !== 'bad') return;
    if (!this.started) {
      this.started = true;
      this.current = new Run(this.file, event.line);
    } else if (this.current.events > 0 && this.startsRun(up, ep)) {
      this.newRun(this.pendingStart ? this.pendingLine : event.line, up, ep);
    }
    this.pendingStart = false;
    const run = this.current;
    run.events++;
    if (up !== undefined) {
      this.uptimeEvents++;
      if (!(up >= run.upMin)) run.upMin = up;
      if (!(up <= run.upMax)) run.upMax = up;
    }
    if (ep !== undefined) {
      this.epochEvents++;
      const s = ep / 1000;
      this.firstEpoch ??= ep;
      run.firstEpochMs ??= ep;
      if (!(s >= run.epMin)) run.epMin = s;
      if (!(s <= run.epMax)) run.epMax = s;
      if (up !== undefined) {
        this.lastImpliedStart = s - up;
        if (Number.isNaN(this.firstImpliedStart)) this.firstImpliedStart = this.lastImpliedStart;
      }
    }
  }

  /** A pause of the current run (the pause aggregator, which reads its duration anyway, tells). */
  countPause(durationMs: number): void {
    this.current.pauses++;
    this.current.pauseMs += durationMs;
  }

  private startsRun(up: number | undefined, ep: number | undefined): boolean {
    const max = this.current.upMax;
    if (this.pendingStart) return up === undefined || Number.isNaN(max) ? true : up < max;
    if (up === undefined || Number.isNaN(max)) return false;
    // With dates, the JVM's start (date − uptime) tells a restart from an event printed late.
    if (ep !== undefined && !Number.isNaN(this.lastImpliedStart)) return up < max - DATED_BACKWARDS_SEC && ep / 1000 - up - this.lastImpliedStart > DATED_START_JUMP_SEC;
    return up < max - RESTART_SLACK_SEC;
  }

  private newRun(line: number, up: number | undefined, ep: number | undefined): void {
    const previous = this.current;
    const run = new Run(this.file, line);
    if (up !== undefined) {
      const previousEnd = Number.isNaN(previous.upMax) ? 0 : previous.upMax + previous.offset;
      run.offset = previousEnd - up;
      // Where the dates tell how far apart the runs were, the timeline says it too.
      if (ep !== undefined && !Number.isNaN(this.firstImpliedStart)) run.offset = Math.max(run.offset, ep / 1000 - up - this.firstImpliedStart);
    }
    if (this.kept.length < MAX_RUNS_KEPT) {
      this.kept.push(previous);
    } else {
      this.droppedSpan.uptime += previous.span('uptime');
      this.droppedSpan.epoch += previous.span('epoch');
    }
    this.runCount++;
    this.current = run;
  }

  get base(): 'uptime' | 'epoch' {
    return this.uptimeEvents >= this.epochEvents && this.uptimeEvents > 0 ? 'uptime' : 'epoch';
  }

  /** Seconds of this event on the chosen base, continuing across runs. */
  seconds(time: LogTime): number | undefined {
    return this.base === 'uptime'
      ? time.uptimeSec === undefined ? undefined : time.uptimeSec + this.current.offset
      : time.epochMs === undefined ? undefined : time.epochMs / 1000;
  }

  /** The sum of the runs' spans. */
  spanSeconds(): number {
    const base = this.base;
    let span = this.droppedSpan[base] + this.current.span(base);
    for (const run of this.kept) span += run.span(base);
    return span;
  }

  /** How many JVM runs the log holds. */
  get runs(): number {
    return this.runCount;
  }

  /** The runs, in order (the first 1000 and the last). */
  runList(): JvmRun[] {
    const base = this.base;
    return [...this.kept, this.current].map((run) => {
      const span = run.span(base);
      return {
        file: run.file,
        line: run.line,
        startEpochMs: run.firstEpochMs,
        spanSeconds: round3(span),
        pauses: run.pauses,
        pauseMs: round3(run.pauseMs),
        throughputPercent: span > 0 ? round3(Math.max(0, 100 * (1 - run.pauseMs / 1000 / span))) : undefined,
      };
    });
  }

  firstEpochMs(): number | undefined {
    return this.firstEpoch;
  }
}
