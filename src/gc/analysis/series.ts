/**
 * A time series that stays under a fixed number of points however long the log: when full,
 * neighbouring points are merged pairwise, keeping the larger value (peaks stay visible).
 */
export class BoundedSeries {
  private t: number[] = [];
  private v: number[] = [];
  private tag: string[] = [];
  private stride = 1;
  private pending = 0;

  constructor(private readonly limit = 2000) {}

  add(time: number, value: number, tag = ''): void {
    if (this.pending > 0 && this.t.length > 0) {
      const i = this.t.length - 1;
      if (value > this.v[i]!) {
        this.t[i] = time;
        this.v[i] = value;
        this.tag[i] = tag;
      }
      this.pending--;
      return;
    }
    this.t.push(time);
    this.v.push(value);
    this.tag.push(tag);
    this.pending = this.stride - 1;
    if (this.t.length >= this.limit) this.halve();
  }

  /** Times to the millisecond and values to 4 decimals (a pause's 0.1 µs): no binary noise in reports. */
  points(): Array<[number, number, string]> {
    return this.t.map((t, i) => {
      const v = this.v[i]!;
      return [Math.round(t * 1000) / 1000, Number.isInteger(v) ? v : Math.round(v * 10_000) / 10_000, this.tag[i]!];
    });
  }

  private halve(): void {
    const t: number[] = [];
    const v: number[] = [];
    const tag: string[] = [];
    for (let i = 0; i < this.t.length; i += 2) {
      const j = i + 1 < this.t.length && this.v[i + 1]! > this.v[i]! ? i + 1 : i;
      t.push(this.t[j]!);
      v.push(this.v[j]!);
      tag.push(this.tag[j]!);
    }
    this.t = t;
    this.v = v;
    this.tag = tag;
    this.stride *= 2;
    this.pending = 0;
  }
}
