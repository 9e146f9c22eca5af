/**
 * Durations with exact count, total and max, and percentiles that are exact while the sample
 * fits a bounded buffer and from a fine log-scale histogram (<= 1% relative error) beyond it,
 * so memory stays bounded for logs of any size.
 */
const EXACT_LIMIT = 1 << 18;
const BUCKETS_PER_DOUBLING = 70; // 2^(1/70) ≈ 1.0099: under 1% relative error
const MIN_MS = 1e-6;

export interface DistributionSummary {
  readonly count: number;
  readonly totalMs: number;
  readonly meanMs: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** Whether the percentiles are exact (true) or histogram estimates. */
  readonly exactPercentiles: boolean;
}

export class Distribution {
  private count = 0;
  private total = 0;
  private max = 0;
  private exact: Float64Array | undefined = new Float64Array(256);
  private readonly histogram = new Map<number, number>();

  add(ms: number): void {
    this.count++;
    this.total += ms;
    if (ms > this.max) this.max = ms;
    const bucket = Math.floor(Math.log2(Math.max(ms, MIN_MS) / MIN_MS) * BUCKETS_PER_DOUBLING);
    this.histogram.set(bucket, (this.histogram.get(bucket) ?? 0) + 1);
    if (this.exact !== undefined) {
      if (this.count > this.exact.length) {
        if (this.exact.length >= EXACT_LIMIT) {
          this.exact = undefined;
          return;
        }
        const grown = new Float64Array(this.exact.length * 2);
        grown.set(this.exact);
        this.exact = grown;
      }
      this.exact[this.count - 1] = ms;
    }
  }

  summary(): DistributionSummary {
    const sorted = this.exact?.slice(0, this.count).sort();
    const pick = (q: number): number => {
      if (this.count === 0) return 0;
      if (sorted !== undefined) return sorted[Math.min(this.count - 1, Math.ceil(q * this.count) - 1)]!;
      return this.fromHistogram(q);
    };
    return {
      count: this.count,
      totalMs: round3(this.total),
      meanMs: this.count === 0 ? 0 : round3(this.total / this.count),
      p50Ms: round3(pick(0.5)),
      p95Ms: round3(pick(0.95)),
      p99Ms: round3(pick(0.99)),
      maxMs: round3(this.max),
      exactPercentiles: sorted !== undefined,
    };
  }

  private fromHistogram(q: number): number {
    const target = Math.ceil(q * this.count);
    let seen = 0;
    for (const bucket of [...this.histogram.keys()].sort((a, b) => a - b)) {
      seen += this.histogram.get(bucket)!;
      if (seen >= target) return Math.min(this.max, MIN_MS * 2 ** ((bucket + 1) / BUCKETS_PER_DOUBLING));
    }
    return this.max;
  }
}

/** Sums of log figures with 3 decimals stay free of binary noise (0.1 + 0.2). */
export const round3 = (x: number): number => Math.round(x * 1000) / 1000;
