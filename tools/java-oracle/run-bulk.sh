#!/bin/sh
# Manual large comparison of src/memory/java/java-numbers.ts against the installed JVM.
# Run from the repository root after `npx tsc -p .`; takes about an hour on two cores.
# Usage: sh tools/java-oracle/run-bulk.sh [OUT_DIR]
set -eu
out=${1:-/tmp/java-oracle-bulk}
mkdir -p "$out/classes"
javac -d "$out/classes" test/fixtures/java-oracle/JavaNumbersOracle.java
oracle="java -cp $out/classes JavaNumbersOracle"
compare="node dist/tools/java-oracle/bulk-compare.js"

run() { # KIND COUNT SEED
  printf '%s %s seed %s: ' "$1" "$2" "$3"
  $oracle bulk "$1" "$2" "$3" | $compare jsonl | tr -d '\n'
  echo
}

{
  for kind in floatval01 floatbits01 floatshort inverse small; do run $kind 3000000 1; done
  for kind in dblbits dbl01 dblshort midpoint bigint pow2 subnormal quirky fixed3 fixed3tie; do run $kind 1000000 2; done
  for kind in fuzz shortdec floatmid doublemid hex; do run $kind 500000 3; done
  run long 20000 3
  run int 500000 4
  # Every float in [0, 1) widened to double, then Flink's f / (1 - f) of each.
  to=1065353216
  printf 'all floats in [0, 1): '
  $oracle floats 0 $to | $compare floats 0 $to | tr -d '\n'
  echo
  printf 'f / (1 - f) for all floats in [0, 1): '
  $oracle floats 0 $to inverse | $compare floats 0 $to inverse | tr -d '\n'
  echo
} 2>&1 | tee "$out/report.txt"
