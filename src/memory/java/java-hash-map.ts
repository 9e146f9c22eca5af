import { javaStringHashCode } from './java-numbers.js';

/**
 * The iteration order of a java.util.HashMap<String, V> filled with `keys` in this order.
 *
 * Flink assembles the launcher's `-D` list by iterating a HashMap, so the order users see is
 * decided by String.hashCode and the table size: buckets in index order, and within one bucket
 * insertion order (resizes split buckets without reordering). Valid while no bucket holds 8 or
 * more keys (Java would then turn it into a tree), which far exceeds what Flink puts there.
 */
export function javaHashMapOrder(keys: readonly string[]): readonly string[] {
  return javaHashMapPermutation(keys).map((i) => keys[i]!);
}

const PERMUTATIONS = new WeakMap<readonly string[], readonly number[]>();

/**
 * The same order as positions into `keys` (first occurrence of each key). Cached per array, so
 * a caller that reuses one key array pays for the hashing once.
 */
export function javaHashMapPermutation(keys: readonly string[]): readonly number[] {
  let permutation = PERMUTATIONS.get(keys);
  if (permutation === undefined) {
    permutation = computePermutation(keys);
    PERMUTATIONS.set(keys, permutation);
  }
  return permutation;
}

function computePermutation(keys: readonly string[]): readonly number[] {
  const firstIndex = new Map<string, number>();
  keys.forEach((key, i) => {
    if (!firstIndex.has(key)) firstIndex.set(key, i);
  });
  const size = firstIndex.size;
  let capacity = 16;
  // HashMap doubles once size exceeds 3/4 of the capacity.
  while (size > capacity * 0.75) capacity *= 2;
  const bucketOf = (key: string): number => {
    const h = javaStringHashCode(key);
    return (h ^ (h >>> 16)) & (capacity - 1);
  };
  return [...firstIndex]
    .map(([key, index], insertion) => ({ index, insertion, bucket: bucketOf(key) }))
    .sort((a, b) => a.bucket - b.bucket || a.insertion - b.insertion)
    .map((e) => e.index);
}
