#!/usr/bin/env bash
# Benchmark of the SSDA903 import and the rules at scale (issue #5).
#
#   scripts/bench-903.sh [CHILDREN] [extract|returns|both]   # default 100000 both
#
# Single extract (issue #5): generates CHILDREN synthetic children as one
# full-history extract, then measures wall time and peak memory (GNU time's
# maximum resident set size) of:
#   - `import 903` of the four CSV tables,
#   - the sqlite3 shell's `.import` of the same four CSV files into an empty
#     database (the yardstick: a bare load, no checking),
#   - `cohorts` for each preset, and `timetable`.
# Annual returns (issue #15): generates CHILDREN children as a council holds
# them, seven annual returns 2019-20..2025-26 and the 2026-27 in-year
# extract (`generate --returns`), then measures:
#   - `import 903` of all eight folders in one command, beside the
#     sqlite3 shell's .import of all their CSV files,
#   - each year imported on its own into a fresh panel (like for like with
#     the shell, which loads into a fresh database),
#   - each year imported on its own, newest first, into one panel that
#     starts empty (so every year after the first is older than those held
#     and merges all its children again), beside
#     the sqlite3 shell's `.import` of the same year's twelve CSV files,
#   - the same oldest first (as a council's panel grows: every year after
#     the first is newer than those held),
#   - `cohorts` for each preset and `timetable` on the merged history,
#   - the in-year extract imported again into the panel holding all eight
#     (what a council does each month), beside the shell's .import of it.
# Each year's import and the monthly one print their ratio to the shell's
# .import of the same files (issue #15's target: within 2x).
# Needs /usr/bin/time (Debian package `time`), awk and sqlite3.
set -euo pipefail
cd "$(dirname "$0")/.."
children=${1:-100000}
mode=${2:-both}
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
  last_secs=$secs
  printf '%-28s %8.2f s %8.1f MB\n' "$label" "$secs" "$(awk -v kb="$kb" 'BEGIN{print kb/1024}')"
}

rules() { # db: cohorts for both presets and the timetable
  measure "cohorts --terms telford" $bin --db "$1" cohorts --terms telford --as-at "$as_at" --format csv
  echo "  $(($(wc -l <"$work/out") - 1)) memberships"
  measure "cohorts --terms wiltshire" $bin --db "$1" cohorts --terms wiltshire --as-at "$as_at" --format csv
  echo "  $(($(wc -l <"$work/out") - 1)) memberships"
  measure "timetable" $bin --db "$1" timetable --as-at "$as_at" --format csv
  echo "  $(($(wc -l <"$work/out") - 1)) children looked after"
}

if [ "$mode" = extract ] || [ "$mode" = both ]; then
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
rules "$work/panel.db"
echo
fi

if [ "$mode" = returns ] || [ "$mode" = both ]; then
echo "Generating $children children as annual returns 2019-20..2025-26 and the in-year extract to $as_at ..."
measure "generate --returns" $bin generate --children "$children" --seed 1 --out "$work/returns" \
  --returns 2019-20..2025-26 --in-year-to "$as_at"
years=$(cd "$work/returns" && ls -d 20??-?? | sort)
for y in $years; do
  printf '  %s: %s children, %s episodes, %s reviews\n' "$y" \
    $(($(wc -l <"$work/returns/$y/header.csv") - 1)) \
    $(($(wc -l <"$work/returns/$y/episodes.csv") - 1)) \
    $(($(wc -l <"$work/returns/$y/reviews.csv") - 1))
done
echo
printf '%-28s %10s %11s\n' "step" "wall" "peak RSS"
# The yardstick: the sqlite3 shell's .import of the CSV files of the
# years given, each into a table of its own in a fresh database.
shell_import() { # label, year...
  local label=$1 imports=()
  shift
  for y in "$@"; do
    for f in "$work/returns/$y"/*.csv; do
      imports+=(".import --csv $f \"$y $(basename "$f" .csv)\"")
    done
  done
  rm -f "$work/shell-returns.db"
  measure "sqlite3 .import $label" sqlite3 "$work/shell-returns.db" "${imports[@]}"
}
ratio() { # label, ours, the shell's
  printf '  %s: %.2fx the shell\n' "$1" "$(awk -v a="$2" -v b="$3" 'BEGIN{print a/b}')"
}
# shellcheck disable=SC2046
measure "import 903 (8 returns)" $bin --db "$work/returns.db" import 903 $(for y in $years; do echo "$work/returns/$y"; done)
all_at_once=$last_secs
# shellcheck disable=SC2086
shell_import "(8 returns)" $years
ratio "all eight in one command" "$all_at_once" "$last_secs"
measure "import plans" $bin --db "$work/returns.db" import plans "$work/returns/plans.csv"
rules "$work/returns.db"
echo
# Imports a year into a panel, then the shell's .import of the same files,
# and prints the ratio.
beside_shell() { # label, panel, year
  measure "import 903 $1" $bin --db "$2" import 903 "$work/returns/$3"
  local ours=$last_secs
  shell_import "$3" "$3"
  ratio "$1" "$ours" "$last_secs"
}
echo "Each year on its own into a fresh panel (as the shell loads it into a fresh database), beside sqlite3 .import of its 12 files:"
for y in $(echo "$years" | sort -r); do
  rm -f "$work/fresh.db"*
  beside_shell "$y (fresh)" "$work/fresh.db" "$y"
done
echo
echo "Each year on its own, newest first, into one panel that starts empty, beside sqlite3 .import of its 12 files:"
for y in $(echo "$years" | sort -r); do
  beside_shell "$y" "$work/one-by-one.db" "$y"
done
echo
echo "Each year on its own, oldest first, into one panel that starts empty (as a council's"
echo "panel grows a year at a time: every year after the first is newer than those held):"
for y in $years; do
  beside_shell "$y" "$work/oldest-first.db" "$y"
done
echo
echo "The in-year extract imported again into the panel holding all eight (the monthly import):"
newest=$(echo "$years" | sort -r | head -1)
measure "import 903 $newest again" $bin --db "$work/one-by-one.db" import 903 "$work/returns/$newest"
ours=$last_secs
grep '^History' "$work/out" | sed 's/^/  /'
shell_import "$newest" "$newest"
ratio "$newest again" "$ours" "$last_secs"
fi
