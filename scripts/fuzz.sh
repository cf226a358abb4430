#!/usr/bin/env bash
# Runs every fuzz target (fuzz/fuzz_targets/) for SECONDS each, one at a
# time in a single libFuzzer process (the machine is shared), then prints
# per target: seconds, executions, coverage (cov/ft) and crashes.
#
#   scripts/fuzz.sh [SECONDS]          # default 120 per target
#   TARGETS="csv903 xml903" scripts/fuzz.sh 300
#   PANEL_BIN=target/release/permanence-panel scripts/fuzz.sh   # no rebuild
#   RUNS=1000000 TARGETS=terms scripts/fuzz.sh 3600   # stop at a run count
#
# Needs a nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`).
# The corpus (fuzz/corpus/TARGET, not committed) is seeded from the saved
# inputs in fuzz/regressions/TARGET, the test fixtures and a generated
# return. A crash is written to fuzz/artifacts/TARGET/; once fixed, copy it
# into fuzz/regressions/TARGET/ so `cargo test --test it fuzz_regressions`
# replays it on stable.
set -uo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-120}
targets=${TARGETS:-"csv903 xml903 deadline terms members plans tracker"}

# The generator: a built binary when PANEL_BIN names one, else cargo run.
generate() {
    if [ -n "${PANEL_BIN:-}" ]; then
        "$PANEL_BIN" generate "$@"
    else
        cargo run --quiet -- generate "$@"
    fi
}

seed() {
    local target=$1 dir=fuzz/corpus/$1
    mkdir -p "$dir" "fuzz/artifacts/$target"
    cp fuzz/regressions/"$target"/* "$dir"/
    case $target in
        csv903)
            # The first byte picks the table the rest of the input replaces.
            local gen i=0
            gen=$(mktemp -d)
            generate --children 20 --seed 1 --out "$gen" --as-at 2026-11-23 >/dev/null
            for table in header episodes reviews placed_for_adoption; do
                { printf "\\x0$i"; cat "$gen/$table.csv"; } >"$dir/generated-$table"
                i=$((i + 1))
            done
            rm -rf "$gen"
            ;;
        terms)
            # Every shipped preset, so the fuzzer starts from every block,
            # cadence and quorum form the presets use.
            local preset
            for preset in assets/terms/*.toml; do
                cp "$preset" "$dir/preset-$(basename "$preset")"
            done
            ;;
        plans)
            local gen
            gen=$(mktemp -d)
            generate --children 20 --seed 1 --out "$gen" --as-at 2026-11-23 >/dev/null
            cp "$gen/plans.csv" "$dir/generated-plans.csv"
            rm -rf "$gen"
            ;;
    esac
}

max_len() {
    case $1 in
        deadline) echo 256 ;;
        terms | members | plans) echo 8192 ;;
        *) echo 65536 ;;
    esac
}

# The terms target interns each cohort id it reads for the life of the
# process (CohortId, as the program does); LeakSanitizer would report that
# as a leak at exit, so leak detection is off for it alone.
leak_args() {
    [ "$1" = terms ] && echo "-detect_leaks=0"
}

# libFuzzer's dictionary for a target, where one is kept (fuzz/dicts/).
dict_args() {
    [ -f "fuzz/dicts/$1.dict" ] && echo "-dict=fuzz/dicts/$1.dict"
}

cargo +nightly fuzz build -O || exit 1
summary=()
status=0
for target in $targets; do
    seed "$target"
    log=fuzz/artifacts/$target/last-run.log
    start=$(date +%s)
    cargo +nightly fuzz run -O "$target" "fuzz/corpus/$target" -- \
        -max_total_time="$seconds" -max_len="$(max_len "$target")" \
        -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        ${RUNS:+-runs="$RUNS"} $(dict_args "$target") $(leak_args "$target") \
        -artifact_prefix="fuzz/artifacts/$target/" >"$log" 2>&1
    code=$?
    [ $code -ne 0 ] && status=1
    # libFuzzer's last status line: "#EXECS ... cov: N ft: N ...".
    line=$(grep -aE '^#[0-9]+' "$log" | tail -1)
    execs=$(grep -aoE 'number_of_executed_units: [0-9]+' "$log" | cut -d' ' -f2)
    cov=$(grep -aoE 'cov: [0-9]+' <<<"$line" | tail -1 | cut -d' ' -f2)
    ft=$(grep -aoE 'ft: [0-9]+' <<<"$line" | tail -1 | cut -d' ' -f2)
    # Fuzzing time as libFuzzer counts it (the build before it excluded).
    time=$(grep -aoE 'runs in [0-9]+ second' "$log" | cut -d' ' -f3)
    [ -n "$time" ] || time=$(($(date +%s) - start))
    # libFuzzer stops at the first crash and names the input it saved.
    crashes=$(grep -ac 'Test unit written to' "$log")
    summary+=("$(printf '%-9s %5ss %11s execs  cov %-6s ft %-6s crashes %s  %s' \
        "$target" "$time" "${execs:-?}" "${cov:-?}" "${ft:-?}" "$crashes" "$log")")
done
printf '%s\n' "${summary[@]}"
exit $status
