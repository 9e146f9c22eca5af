/** Memory sizes written the way a user types them into a Flink configuration. */

const UNITS: ReadonlyArray<readonly [string, bigint]> = [
  ['t', 1024n ** 4n],
  ['g', 1024n ** 3n],
  ['m', 1024n ** 2n],
  ['k', 1024n],
];

/** The largest unit that holds the size exactly ("1728m", "4g"), else plain bytes ("1000b"). */
export function configSize(bytes: bigint): string {
  if (bytes === 0n) return '0';
  for (const [unit, size] of UNITS) if (bytes % size === 0n) return `${bytes / size}${unit}`;
  return `${bytes}b`;
}

const MiB = 1024n * 1024n;

/** Rounded up to whole MiB, so a planned value is one a person would write. */
export function roundUpToMiB(bytes: bigint): bigint {
  return ((bytes + MiB - 1n) / MiB) * MiB;
}
