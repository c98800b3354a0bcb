#!/usr/bin/env bash
# The Spark benchmarks of docs/benchmarks.md, in one run on one machine: analyze --spark 'local[1]' and 'local[2]'
# against the single-machine analyze, on (a) 10,000,000 x 128 without labels (spectrum and dimensions; Spark reads
# Parquet, the single machine the same rows as .npy) and (b) 200,000 x 128 with labels in classes of 100 (exact
# Recall@K, MAP@R, R-precision; --skip-nmi, as k-means at k = 2,000 would dominate).
# Usage: embreg-bench/spark/run.sh DATA_DIR OUT_DIR   (DATA_DIR gets ~11 GB of seeded data, made once)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
data="${1:?data directory}"
out="${2:?output directory}"
mkdir -p "$data" "$out"
embreg="$here/embreg"
"$embreg" --version >/dev/null # builds the jar when it is stale
py=/usr/bin/python3
[[ -f "$data/big.npy" ]] || "$py" "$here/embreg-bench/spark/make_embeddings.py" 10000000 128 "$data/big.npy"
[[ -f "$data/small.npy" ]] || "$py" "$here/embreg-bench/spark/make_embeddings.py" 200000 128 "$data/small.npy" "$data/small-labels.npy" 100
opens="$(sed -n 's:.*<spark.java.options>\(.*\)</spark.java.options>.*:\1:p' "$here/pom.xml")"
cp="$here/embreg-cli/target/embreg.jar:$(cat "$here/embreg-spark/target/spark.classpath")"
for name in big small; do
  if [[ ! -d "$data/$name.parquet" ]]; then
    labels=()
    [[ $name == small ]] && labels=("$data/small-labels.npy")
    # shellcheck disable=SC2086
    java $opens -Xmx8g -Dai.djl.offline=true -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dorg.slf4j.simpleLogger.log.org.apache=error \
      -cp "$cp" "$here/embreg-bench/spark/NpyToParquet.java" "$data/$name.npy" "${labels[@]}" "$data/$name.parquet"
  fi
done
results="$out/spark-bench.csv"
echo "case,runner,seconds,exit" > "$results"
timed() { # case runner command...
  local c="$1" r="$2"
  shift 2
  local t0 t1 rc=0
  t0=$(date +%s.%N)
  "$@" > "$out/$c-$r.json" 2> "$out/$c-$r.err" || rc=$?
  t1=$(date +%s.%N)
  echo "$c,$r,$(echo "$t1 - $t0" | bc),$rc" | tee -a "$results"
}
export EMBREG_JAVA_OPTS="-Xmx18g"
for m in 'local[1]' 'local[2]'; do
  timed spectrum-10m "$m" "$embreg" analyze --spark "$m" --embeddings "$data/big.parquet" --json
done
timed spectrum-10m single "$embreg" analyze --embeddings "$data/big.npy" --json
for m in 'local[1]' 'local[2]'; do
  timed retrieval-200k "$m" "$embreg" analyze --spark "$m" --embeddings "$data/small.parquet" --label-column label --id-column id --skip-nmi --json
done
timed retrieval-200k single "$embreg" analyze --embeddings "$data/small.npy" --labels "$data/small-labels.npy" --skip-nmi --json
