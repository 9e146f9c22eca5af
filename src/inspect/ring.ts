/**
 * Bounded history of one metric: `--watch` may run for hours, so each metric keeps its last
 * `capacity` samples and a running peak, never the whole series.
 */
export class RingBuffer {
  private readonly values: (bigint | undefined)[];
  private next = 0;
  private filled = 0;
  private max: bigint | undefined;

  constructor(readonly capacity: number) {
    this.values = new Array<bigint | undefined>(Math.max(1, capacity));
  }

  push(value: bigint): void {
    this.values[this.next] = value;
    this.next = (this.next + 1) % this.values.length;
    if (this.filled < this.values.length) this.filled++;
    if (this.max === undefined || value > this.max) this.max = value;
  }

  /** The largest value ever pushed (also those the ring has dropped). */
  get peak(): bigint | undefined {
    return this.max;
  }

  get latest(): bigint | undefined {
    return this.filled === 0 ? undefined : this.values[(this.next - 1 + this.values.length) % this.values.length];
  }

  get size(): number {
    return this.filled;
  }

  /** The retained samples, oldest first. */
  toArray(): bigint[] {
    const out: bigint[] = [];
    for (let i = 0; i < this.filled; i++) out.push(this.values[(this.next - this.filled + i + this.values.length) % this.values.length]!);
    return out;
  }
}

/** One ring per metric name, created on first use. */
export class MetricSeries {
  private readonly rings = new Map<string, RingBuffer>();
  constructor(private readonly capacity: number) {}

  push(metric: string, value: bigint): void {
    let ring = this.rings.get(metric);
    if (ring === undefined) this.rings.set(metric, (ring = new RingBuffer(this.capacity)));
    ring.push(value);
  }

  peak(metric: string): bigint | undefined {
    return this.rings.get(metric)?.peak;
  }

  latest(metric: string): bigint | undefined {
    return this.rings.get(metric)?.latest;
  }

  samples(metric: string): number {
    return this.rings.get(metric)?.size ?? 0;
  }
}
