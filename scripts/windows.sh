#!/usr/bin/env bash
# The Windows build, tested: cross-builds the release .exe with mingw-w64 and
# runs the program under Wine the way an administrator would on a council
# laptop, comparing its answers row for row with the Linux build's.
#
#   bash scripts/windows.sh            # build and smoke-test
#   KEEP=1 bash scripts/windows.sh     # keep the work folder to look at
#   WINDOWS_EXE=path/to/permanence-panel.exe LINUX_BIN=path/to/permanence-panel \
#     bash scripts/windows.sh          # test builds made already
#
# Installs what it needs when missing: the Rust target (rustup), mingw-w64
# and Wine (Debian's packages). CI runs it from .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
# Where cargo puts its builds (CARGO_TARGET_DIR, when set, as cargo does).
target_dir=${CARGO_TARGET_DIR:-$root/target}
target=x86_64-pc-windows-gnu

say() { printf '== %s\n' "$*"; }
fail() { printf 'FAILED: %s\n' "$*" >&2; exit 1; }

# --- what it needs -----------------------------------------------------------
missing=()
command -v x86_64-w64-mingw32-gcc >/dev/null 2>&1 || missing+=(gcc-mingw-w64-x86-64)
wine=""
for w in wine64 /usr/lib/wine/wine64 wine; do
  if command -v "$w" >/dev/null 2>&1; then wine=$(command -v "$w"); break; fi
done
[ -n "$wine" ] || missing+=(wine64)
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]}"
  sudo=""
  if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then sudo="sudo -E"; fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  for w in wine64 /usr/lib/wine/wine64 wine; do
    if command -v "$w" >/dev/null 2>&1; then wine=$(command -v "$w"); break; fi
  done
fi
[ -n "$wine" ] || fail "no wine64 after installing it"
if ! rustup target list --installed | grep -qx "$target"; then
  say "adding the Rust target $target"
  rustup target add "$target"
fi

# --- the builds --------------------------------------------------------------
if [ -n "${WINDOWS_EXE:-}" ]; then
  exe=$WINDOWS_EXE
else
  say "cross-building the release .exe"
  start=$(date +%s)
  cargo build --release --locked --target "$target"
  say "built in $(( $(date +%s) - start )) s"
  exe="$target_dir/$target/release/permanence-panel.exe"
fi
[ -f "$exe" ] || fail "no $exe"
if [ -n "${LINUX_BIN:-}" ]; then
  linux=$LINUX_BIN
else
  cargo build --locked --bin permanence-panel
  linux="$target_dir/debug/permanence-panel"
fi

# --- Wine --------------------------------------------------------------------
work=$(mktemp -d)
if [ -z "${KEEP:-}" ]; then trap 'rm -rf "$work"' EXIT; else say "work folder: $work"; fi
export WINEPREFIX="$work/wineprefix" WINEDEBUG=-all
# Prefer the stand-in ProcessPrng DLL beside the .exe (see processprng.c);
# no Mono or Gecko prompts in a headless prefix.
export WINEDLLOVERRIDES="bcryptprimitives=n,b;mscoree=;mshtml="
bin="$work/program files/permanence-panel"
mkdir -p "$bin"
cp "$exe" "$bin/"
x86_64-w64-mingw32-gcc -O2 -shared -o "$bin/bcryptprimitives.dll" \
  scripts/windows/processprng.c scripts/windows/processprng.def
"$wine" wineboot --init >/dev/null 2>&1 || true

# A Windows path (backslashes) for a Linux one, through Wine's Z: drive.
winpath() { printf 'Z:%s' "${1//\//\\}"; }
# The Windows program; output with CRLF turned into LF for comparison.
win() { "$wine" "$bin/permanence-panel.exe" "$@" 2>&1 | tr -d '\r'; }
win_status() { "$wine" "$bin/permanence-panel.exe" "$@" >/dev/null 2>&1; }

# The council's folder has spaces in it, as Windows folders do.
data="$work/Council Data/Permanence Panel"
mkdir -p "$data"
db_linux="$work/linux.db"
db_win="$(winpath "$data/panel.db")"
as_at=2026-11-27

say "version: $(win --version)"

say "generate: the same synthetic return from the same seed"
"$linux" generate --children 300 --seed 21 --as-at "$as_at" --out "$work/return-linux" >/dev/null
win generate --children 300 --seed 21 --as-at "$as_at" --out "$(winpath "$data/return")" >/dev/null
for f in "$work/return-linux"/*.csv; do
  name=$(basename "$f")
  cmp -s <(tr -d '\r' <"$f") <(tr -d '\r' <"$data/return/$name") \
    || fail "generate: $name differs between Linux and Windows"
done

say "init, import 903 and import plans (paths with spaces and backslashes)"
"$linux" --db "$db_linux" init --terms wiltshire >/dev/null
win --db "$db_win" init --terms wiltshire | grep -q "Set up" || fail "init"
tables=()
for t in header episodes reviews placed_for_adoption; do
  [ -f "$data/return/$t.csv" ] && tables+=("$(winpath "$data/return/$t.csv")")
done
"$linux" --db "$db_linux" import 903 "$work/return-linux"/{header,episodes,reviews,placed_for_adoption}.csv >/dev/null
win --db "$db_win" import 903 "${tables[@]}" >"$work/import.txt" || true
grep -qi "child" "$work/import.txt" || { cat "$work/import.txt"; fail "import 903"; }
"$linux" --db "$db_linux" import plans "$work/return-linux/plans.csv" >/dev/null
win --db "$db_win" import plans "$(winpath "$data/return/plans.csv")" >/dev/null

say "cohorts (both presets) and timetable: row for row as on Linux"
for terms in wiltshire telford; do
  a=$("$linux" --db "$db_linux" cohorts --terms "$terms" --as-at "$as_at" --format csv)
  b=$(win --db "$db_win" cohorts --terms "$terms" --as-at "$as_at" --format csv)
  [ "$a" = "$b" ] || fail "cohorts --terms $terms differ"
  say "  cohorts $terms: $(($(printf '%s\n' "$a" | wc -l) - 1)) rows, identical"
done
a=$("$linux" --db "$db_linux" timetable --as-at "$as_at" --format csv)
b=$(win --db "$db_win" timetable --as-at "$as_at" --format csv)
[ "$a" = "$b" ] || fail "timetable differs"
say "  timetable: $(($(printf '%s\n' "$a" | wc -l) - 1)) rows, identical"

say "a meeting: plan the year, build the agenda, Word minutes, the tracker"
win --db "$db_win" meetings plan --year 2027 >/dev/null
first=$(win --db "$db_win" meetings list --format csv | sed -n 2p | cut -d, -f1)
[ -n "$first" ] || fail "no meeting planned"
win --db "$db_win" agenda --meeting "$first" --build --format csv >/dev/null
win --db "$db_win" minutes --meeting "$first" --format docx --out "$(winpath "$data/minutes.docx")" >/dev/null
[ "$(head -c 2 "$data/minutes.docx")" = "PK" ] || fail "minutes.docx is not a Word file"
win --db "$db_win" tracker export --format xlsx --as-at "$as_at" --out "$(winpath "$data/tracker.xlsx")" >/dev/null
[ "$(head -c 2 "$data/tracker.xlsx")" = "PK" ] || fail "tracker.xlsx is not a workbook"

say "CSV files end their lines as Excel on Windows expects (CRLF)"
"$wine" "$bin/permanence-panel.exe" --db "$db_win" actions --format csv --out "$(winpath "$data/actions.csv")" >/dev/null 2>&1
head -c 200 "$data/actions.csv" | grep -q $'\r$' || fail "actions.csv lines do not end in CRLF"
head -1 "$data/actions.csv" | tr -d '\r' | grep -qx 'action_id,child_id,meeting_date,action,owner,deadline,status,rag,days_overdue' \
  || fail "actions.csv header changed"

say "backup and restore"
win --db "$db_win" backup --out "$(winpath "$data/copy.db")" | grep -q "Backed up" || fail "backup"
win --db "$db_win" restore "$(winpath "$data/copy.db")" | grep -q "Restored" || fail "restore"

say "an import into a panel that holds data keeps a backup of it (a copy of the file), which restores"
win --db "$db_win" import 903 "${tables[@]}" >"$work/again.txt" || { cat "$work/again.txt"; fail "import 903 again"; }
grep -q "kept in" "$work/again.txt" || { cat "$work/again.txt"; fail "no backup named by the import"; }
kept=$(find "$data/backups" -name '*before-import.db' | sort | tail -1)
[ -n "$kept" ] || fail "no before-import backup in $data/backups"
win --db "$db_win" restore "$(winpath "$kept")" | grep -q "Restored" || fail "restore of the import's backup"
b=$(win --db "$db_win" cohorts --terms wiltshire --as-at "$as_at" --format csv)
a=$("$linux" --db "$db_linux" cohorts --terms wiltshire --as-at "$as_at" --format csv)
[ "$a" = "$b" ] || { diff <(printf "%s\n" "$a") <(printf "%s\n" "$b") | head -5; fail "cohorts after restoring the import's backup differ"; }

say "encrypt with a key file, read back with the key"
keys="$work/Keys"
mkdir -p "$keys"
printf 'correct horse battery staple\n' >"$keys/panel.key"
win --db "$db_win" --key-file "$(winpath "$keys/panel.key")" encrypt >/dev/null
[ "$(head -c 15 "$data/panel.db")" != "SQLite format 3" ] || fail "the database is still plain"
b=$(win --db "$db_win" --key-file "$(winpath "$keys/panel.key")" cohorts --terms wiltshire --as-at "$as_at" --format csv)
a=$("$linux" --db "$db_linux" cohorts --terms wiltshire --as-at "$as_at" --format csv)
[ "$a" = "$b" ] || fail "cohorts after encrypt differ"
if win_status --db "$db_win" cohorts --as-at "$as_at"; then fail "opened an encrypted panel without its key"; fi

say "a bad file is named by file, line and column"
bad="$data/bad return"
mkdir -p "$bad"
cp "$data/return/header.csv" "$bad/"
sed '3s/^\([^,]*\),[^,]*,/\1,NOT A DATE,/' "$data/return/episodes.csv" >"$bad/episodes.csv"
msg=$(win --db "$(winpath "$work/fresh.db")" import 903 --strict "$(winpath "$bad/header.csv")" "$(winpath "$bad/episodes.csv")" || true)
printf '%s\n' "$msg" | grep -q 'episodes.csv:3:DECOM' || { printf '%s\n' "$msg"; fail "no FILE:LINE:COLUMN message"; }
say "  $(printf '%s\n' "$msg" | grep 'episodes.csv:3:DECOM' | head -1)"

say "the data folder is the local (not roaming) application data"
win init --terms telford >/dev/null
found=$(find "$WINEPREFIX/drive_c/users" -path '*AppData/Local/*' -name panel.db | head -1)
[ -n "$found" ] || fail "no panel.db under AppData\\Local"
! find "$WINEPREFIX/drive_c/users" -path '*AppData/Roaming/*' -name panel.db | grep -q . \
  || fail "panel.db written to the roaming profile"
say "  ${found#"$WINEPREFIX"/}"

say "all passed"
