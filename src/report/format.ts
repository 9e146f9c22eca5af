/** Number formatting for people (the exact bytes are always printed next to it). */

const UNITS: ReadonlyArray<readonly [string, bigint]> = [
  ['TiB', 1024n ** 4n],
  ['GiB', 1024n ** 3n],
  ['MiB', 1024n ** 2n],
  ['KiB', 1024n],
];

/** "128 MiB", "1.69 GiB", "0 B", "8 EiB"-scale values stay in TiB ("8388608 TiB"). */
export function formatSize(bytes: bigint): string {
  for (const [name, size] of UNITS) {
    if (bytes >= size) {
      const value = Number(bytes) / Number(size);
      const text = value >= 100 ? value.toFixed(value % 1 === 0 ? 0 : 1) : value.toFixed(2);
      // Trailing zeros go only after a decimal point: "1.50" -> "1.5", but "410" stays "410".
      return `${text.includes('.') ? text.replace(/\.?0+$/, '') : text} ${name}`;
    }
  }
  return `${bytes} B`;
}

/**
 * A fraction as the user typed it: Flink holds fractions as 32-bit floats, so print the shortest
 * decimal that is the same float (0.1, not 0.10000000149011612).
 */
export function formatFraction(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const asFloat = Math.fround(value);
  for (let digits = 1; digits <= 9; digits++) {
    const candidate = Number(asFloat.toPrecision(digits));
    if (Math.fround(candidate) === asFloat) return String(candidate);
  }
  return String(value);
}
