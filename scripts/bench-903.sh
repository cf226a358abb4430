#!/usr/bin/env bash
# Benchmark of the SSDA903 import and the rules at scale (issue #5).
#
#   [PAIRS=3] scripts/bench-903.sh [CHILDREN] [extract|returns|both]   # default 100000 both
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
#   - the in-year extract imported again, unchanged, into the panel holding
#     all eight, beside the shell's .import of it,
#   - the month's import as a council makes it: the panel holding the seven
#     years and last month's in-year extract (`generate --in-year-before`),
#     this month's extract imported over it, beside the shell's .import of
#     it.
# Each import of returns prints its ratio to the shell's .import of the
# same files, the median of PAIRS pairs (default 3) run in turn:
# `PAIRS=5 scripts/bench-903.sh 100000 returns`.
# Issue #15's target, "import each year within 2x the sqlite3 shell's
# .import of the same files", is taken to mean each return imported the
# way the shell imports it: each year into a fresh panel, and all eight in
# one command. Those lines say whether it is met. A year or a month added
# to a panel that already holds returns does work the shell's .import does
# not (it merges again every child the new return changes, which the same
# issue asks for: "merge at import time"), so those lines are reported
# with no target; CONTRIBUTING.md ("How returns are stored, and what an
# import costs") says where that time goes.
# Needs /usr/bin/time (Debian package `time`), awk and sqlite3.
set -euo pipefail
cd "$(dirname "$0")/.."
children=${1:-100000}
mode=${2:-both}
as_at=2026-11-27
month_before=2026-10-27
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
echo "Generating $children children as annual returns 2019-20..2025-26 and the in-year extract to $as_at (and to $month_before) ..."
measure "generate --returns" $bin generate --children "$children" --seed 1 --out "$work/returns" \
  --returns 2019-20..2025-26 --in-year-to "$as_at" --in-year-before "$month_before"
years=$(cd "$work/returns" && ls -d 20??-?? | sort)
for y in $years; do
  printf '  %s: %s children, %s episodes, %s reviews\n' "$y" \
    $(($(wc -l <"$work/returns/$y/header.csv") - 1)) \
    $(($(wc -l <"$work/returns/$y/episodes.csv") - 1)) \
    $(($(wc -l <"$work/returns/$y/reviews.csv") - 1))
done
echo
# Each import is timed beside the yardstick, the sqlite3 shell's .import
# of the same CSV files (each into a table of its own in a fresh
# database), in PAIRS pairs run in turn (default 3), each pair starting
# from the panel as it was: the ratio reported is the median of the
# pairs' ratios, so that a moment's noise on a shared machine moves
# neither side alone.
pairs=${PAIRS:-3}
median() { sort -g | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
timed() { # command...: sets last_secs and last_kb
  # The wall time from the nanosecond clock (GNU time's %e has 10 ms
  # steps, too coarse at a council's size), the peak memory from GNU time.
  local began ended
  began=$(date +%s%N)
  /usr/bin/time -f "%M" -o "$work/time" "$@" >"$work/out" 2>"$work/err" || {
    echo "failed: $*"; cat "$work/err"; exit 1; }
  ended=$(date +%s%N)
  last_secs=$(awk -v a="$began" -v b="$ended" 'BEGIN{printf "%.4f", (b - a) / 1e9}')
  read -r last_kb <"$work/time"
}
shell_import() { # year...
  local imports=()
  for y in "$@"; do
    for f in "$work/returns/$y"/*.csv; do
      imports+=(".import --csv $f \"$y $(basename "$f" .csv)\"")
    done
  done
  rm -f "$work/shell-returns.db"
  timed sqlite3 "$work/shell-returns.db" "${imports[@]}"
}
beside_shell() { # label, panel, year...: imports the years' folders in one command
  local label=$1 panel=$2
  shift 2
  local ours=() shell=() ratios=() peak=0 folders=()
  for y in "$@"; do folders+=("$work/returns/$y"); done
  rm -f "$work/panel-before.db"
  if [ -e "$panel" ]; then
    [ ! -s "$panel-wal" ] || { echo "$panel has a write-ahead log left"; exit 1; }
    cp "$panel" "$work/panel-before.db"
  fi
  for _ in $(seq "$pairs"); do
    rm -f "$panel" "$panel-wal" "$panel-shm"
    if [ -e "$work/panel-before.db" ]; then
      # On disk before the clock starts: else the import's own sync of the
      # file would also write out the copy just made.
      cp "$work/panel-before.db" "$panel"
      sync "$panel"
    fi
    timed $bin --db "$panel" import 903 "${folders[@]}"
    ours+=("$last_secs")
    peak=$(( last_kb > peak ? last_kb : peak ))
    cp "$work/out" "$work/import-out"
    shell_import "$@"
    shell+=("$last_secs")
    ratios+=("$(awk -v a="${ours[-1]}" -v b="$last_secs" 'BEGIN{print a/b}')")
  done
  local ratio verdict=""
  ratio=$(printf '%s\n' "${ratios[@]}" | median)
  if [ -n "$target" ]; then
    verdict=$(awk -v r="$ratio" -v t="$target" 'BEGIN{print (r <= t) ? "  (target " t "x: met)" : "  (target " t "x: OVER)"}')
  fi
  printf '%-28s %8.3f s %8.1f MB   sqlite3 .import %6.3f s   %.2fx the shell%s\n' "$label" \
    "$(printf '%s\n' "${ours[@]}" | median)" "$(awk -v kb="$peak" 'BEGIN{print kb/1024}')" \
    "$(printf '%s\n' "${shell[@]}" | median)" "$ratio" "$verdict"
}
# Issue #15's 2x applies to the returns imported as the shell imports them
# (into a fresh panel, or all at once); empty for the cases reported only.
target=2
echo "Each import beside the shell's .import of the same files: medians of $pairs pairs."
printf '%-28s %10s %11s\n' "import 903" "wall" "peak RSS"
# shellcheck disable=SC2086
beside_shell "all eight in one command" "$work/returns.db" $years
measure "import plans" $bin --db "$work/returns.db" import plans "$work/returns/plans.csv"
rules "$work/returns.db"
echo
echo "Each year on its own into a fresh panel (as the shell loads it into a fresh database), beside sqlite3 .import of its 12 files:"
for y in $(echo "$years" | sort -r); do
  rm -f "$work/fresh.db"*
  beside_shell "$y (fresh)" "$work/fresh.db" "$y"
done
echo
target=""
echo "Reported with no target: a year added to a panel that holds others merges again every"
echo "child the year changes, work the shell's .import does not do."
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
echo "The in-year extract imported again, unchanged, into the panel holding all eight:"
newest=$(echo "$years" | sort -r | head -1)
beside_shell "$newest again" "$work/one-by-one.db" "$newest"
grep '^History' "$work/import-out" | sed 's/^/  /'
echo
echo "The month's import: this month's in-year extract (to $as_at) over the panel holding the"
echo "seven years and last month's (to $month_before):"
annual=()
for y in $years; do [ "$y" = "$newest" ] || annual+=("$work/returns/$y"); done
$bin --db "$work/monthly.db" import 903 "${annual[@]}" "$work/returns/as-at-$month_before/$newest" >/dev/null
beside_shell "$newest a month on" "$work/monthly.db" "$newest"
grep '^History' "$work/import-out" | sed 's/^/  /'
fi
