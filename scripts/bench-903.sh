#!/usr/bin/env bash
# Benchmark of the SSDA903 import and the rules at scale (issue #5).
#
#   scripts/bench-903.sh [CHILDREN]      # default 100000
#
# Generates CHILDREN synthetic children, then measures wall time and peak
# memory (GNU time's maximum resident set size) of:
#   - `import 903` of the four CSV tables,
#   - the sqlite3 shell's `.import` of the same four CSV files into an empty
#     database (the yardstick: a bare load, no checking),
#   - `cohorts` for each preset, and `timetable`.
# Needs /usr/bin/time (Debian package `time`), awk and sqlite3.
set -euo pipefail
cd "$(dirname "$0")/.."
children=${1:-100000}
as_at=2026-11-27
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cargo build --release --quiet
bin=target/release/permanence-panel

measure() { # label, command...
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" >"$work/out" 2>"$work/err" || {
    echo "$label failed:"; cat "$work/err"; exit 1; }
  read -r secs kb <"$work/time"
  printf '%-28s %8.2f s %8.1f MB\n' "$label" "$secs" "$(awk -v kb="$kb" 'BEGIN{print kb/1024}')"
}

echo "Generating $children children (as at $as_at) ..."
$bin generate --children "$children" --seed 1 --out "$work/data" --as-at "$as_at" >/dev/null
wc -l "$work"/data/*.csv | sed 's/^/  /'
echo
printf '%-28s %10s %11s\n' "step" "wall" "peak RSS"
measure "import 903" $bin --db "$work/panel.db" import 903 \
  "$work/data/header.csv" "$work/data/episodes.csv" "$work/data/reviews.csv" "$work/data/placed_for_adoption.csv"
measure "import plans" $bin --db "$work/panel.db" import plans "$work/data/plans.csv"
measure "sqlite3 .import (4 CSV)" sqlite3 "$work/shell.db" \
  ".import --csv $work/data/header.csv header" \
  ".import --csv $work/data/episodes.csv episodes" \
  ".import --csv $work/data/reviews.csv reviews" \
  ".import --csv $work/data/placed_for_adoption.csv placed_for_adoption"
measure "cohorts --terms telford" $bin --db "$work/panel.db" cohorts --terms telford --as-at "$as_at" --format csv
echo "  $(($(wc -l <"$work/out") - 1)) memberships"
measure "cohorts --terms wiltshire" $bin --db "$work/panel.db" cohorts --terms wiltshire --as-at "$as_at" --format csv
echo "  $(($(wc -l <"$work/out") - 1)) memberships"
measure "timetable" $bin --db "$work/panel.db" timetable --as-at "$as_at" --format csv
echo "  $(($(wc -l <"$work/out") - 1)) children looked after"
