#!/usr/bin/env bash
# Writes the benchmark report (Markdown) from the raw results of the last
# bench/run.sh in BENCH_RESULTS (bench/report.jq does the tables), then the
# hand-written section "Profile of the verify path": kept from the existing
# report if it has one, else the placeholder in bench/profile_section.md;
# and after it the hand-written section "Soak under ASan" (bench/soak.sh),
# kept from the existing report if it has one.
#
#   bench/render_report.sh docs/benchmarks.md
set -euo pipefail
# shellcheck source=bench/lib/common.sh
source "$(dirname "$0")/lib/common.sh"

out=${1:?output file}
shopt -s nullglob

# Every row result, keyed by row id: {"verify-sqlite": {...}, ...}.
row_files=()
for f in "$BENCH_RESULTS"/*.json; do
  case ${f##*/} in
    environment.json | run.json | micro.json) ;;
    *) row_files+=("$f") ;;
  esac
done
# Rows of this run only: a file left by an earlier run is not this run's.
run_id=$(jq -r .run_id "$BENCH_RESULTS/run.json")
rows=$(jq -s --arg run_id "$run_id" \
  'map(select(.run_id == $run_id) | {key: .row, value: .}) | from_entries' \
  ${row_files[@]+"${row_files[@]}"})
micro=null
if jq -e '.workloads | index("micro")' "$BENCH_RESULTS/run.json" >/dev/null &&
  [[ -s $BENCH_RESULTS/micro.json ]]; then
  micro=$(cat "$BENCH_RESULTS/micro.json")
fi

begin='<!-- profile-verify: begin -->'
end='<!-- profile-verify: end -->'
profile=$(cat "$BENCH_ROOT/bench/profile_section.md")
if [[ -f $out ]] && grep -qF "$begin" "$out" && grep -qF "$end" "$out"; then
  profile=$(awk -v b="$begin" -v e="$end" '
    index($0, b) {on = 1} on {print} index($0, e) {on = 0}' "$out")
fi

tmp=$out.tmp.$$
jq -n -r --argjson rows "$rows" --argjson micro "$micro" \
  --argjson env "$(cat "$BENCH_RESULTS/environment.json")" \
  --argjson run "$(cat "$BENCH_RESULTS/run.json")" \
  -f "$BENCH_ROOT/bench/report.jq" >"$tmp"
printf '%s\n' "$profile" >>"$tmp"
soak_begin='<!-- soak: begin -->'
soak_end='<!-- soak: end -->'
if [[ -f $out ]] && grep -qF "$soak_begin" "$out" && grep -qF "$soak_end" "$out"; then
  printf '\n' >>"$tmp"
  awk -v b="$soak_begin" -v e="$soak_end" '
    index($0, b) {on = 1} on {print} index($0, e) {on = 0}' "$out" >>"$tmp"
fi
mv "$tmp" "$out"
