#!/usr/bin/env bash
# Rendering benchmark of the live meeting (issue #8).
#
#   scripts/bench-tui.sh [CHILDREN]      # default 100000
#
# Generates CHILDREN synthetic children and imports them (kept in
# target/bench-tui/ so a second run starts at once), then runs
# benches/tui_render.rs, which adds a 200-child agenda and 20,000 actions
# through the store and measures start to first frame, key-to-frame
# latency p50/p99 over 2,000 keys and peak resident memory; and times the
# real binary to its first frame in tmux when tmux is installed.
set -euo pipefail
cd "$(dirname "$0")/.."
children=${1:-100000}
as_at=2026-11-27
work=target/bench-tui/$children
mkdir -p "$work"

cargo build --release --quiet
bin=target/release/permanence-panel

if [ ! -s "$work/panel.db" ]; then
  echo "Generating and importing $children children (once) ..."
  $bin generate --children "$children" --seed 1 --out "$work/data" --as-at "$as_at" >/dev/null
  $bin --db "$work/panel.db" init --terms wiltshire >/dev/null
  $bin --db "$work/panel.db" import 903 \
    "$work/data/header.csv" "$work/data/episodes.csv" "$work/data/reviews.csv" \
    "$work/data/placed_for_adoption.csv" >/dev/null
fi

PERMANENCE_PANEL_BENCH_DB="$work/panel.db" cargo bench --quiet --bench tui_render

# The real binary, start to first frame: tmux draws it in a 120x40 pane;
# the time is until the pane shows the footer (polled every 5 ms).
if command -v tmux >/dev/null; then
  session=bench-tui-$$
  start=$(date +%s%N)
  tmux new-session -d -s "$session" -x 120 -y 40 \
    "$bin --db $work/panel.db"
  until tmux capture-pane -p -t "$session" 2>/dev/null | grep -q "? help"; do
    sleep 0.005
    if [ $(( ($(date +%s%N) - start) / 1000000 )) -gt 10000 ]; then
      echo "binary: no first frame within 10 s"; break
    fi
  done
  end=$(date +%s%N)
  tmux kill-session -t "$session" 2>/dev/null || true
  echo "binary start to first frame in tmux (120x40): $(( (end - start) / 1000000 )) ms (includes tmux start and polling)"
fi
