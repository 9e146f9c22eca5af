/**
 * How a derived value was reached. Every component of a spec carries one, so that `explain`,
 * the web app and `doctor` can say where a number comes from in Flink's own terms.
 */
export type Provenance =
  /** Set in the configuration under `key` (which may be a deprecated fallback of `option`). */
  | { readonly kind: 'explicit'; readonly option: string; readonly key: string }
  /** Not set: Flink's default for `option`. */
  | { readonly kind: 'default'; readonly option: string }
  /** A legacy key (e.g. taskmanager.heap.size) that Flink maps onto `option`. */
  | { readonly kind: 'legacy'; readonly option: string; readonly key: string }
  /** fraction × base (or base × f/(1-f) when `inverse`), then capped into [min, max]. */
  | {
      readonly kind: 'fraction';
      readonly fractionOption: string;
      readonly fractionExplicit: boolean;
      readonly fraction: number;
      readonly inverse: boolean;
      readonly base: string;
      readonly baseBytes: bigint;
      readonly uncapped: bigint;
      readonly min: bigint;
      readonly max: bigint;
      readonly capped: 'min' | 'max' | undefined;
    }
  /** What is left of `total` after subtracting the named parts. */
  | { readonly kind: 'remainder'; readonly total: string; readonly totalBytes: bigint; readonly minus: readonly string[] }
  /** The sum of the named parts. */
  | { readonly kind: 'sum'; readonly parts: readonly string[] }
  /** Legacy number of network buffers × segment size. */
  | { readonly kind: 'buffers'; readonly buffersKey: string; readonly buffers: bigint; readonly segmentSize: bigint };
