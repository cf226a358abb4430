#!/usr/bin/env bash
# Builds the release archives a council's IT can deploy without a compiler:
#
#   dist/permanence-panel-VERSION-x86_64-pc-windows-gnu.zip
#   dist/permanence-panel-VERSION-x86_64-unknown-linux-musl.tar.gz
#     (a static Linux binary; the glibc build, ...-x86_64-unknown-linux-gnu,
#      where the musl one cannot be built on this machine)
#
# each with a .sha256 beside it. Each archive holds the program, README.md,
# and licences/: the licences of what is compiled into it (SQLite, SQLCipher,
# OpenSSL, the DejaVu font) and a list of every Rust crate with its licence.
#
#   bash scripts/release.sh
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
# Where cargo puts its builds (CARGO_TARGET_DIR, when set, as cargo does).
target_dir=${CARGO_TARGET_DIR:-$root/target}
dist="$root/dist"
say() { printf '== %s\n' "$*"; }

version=$(cargo metadata --no-deps --format-version 1 --locked |
  python3 -c 'import json,sys; print(next(p["version"] for p in json.load(sys.stdin)["packages"] if p["name"]=="permanence-panel"))')
say "permanence-panel $version"

need_apt=()
command -v x86_64-w64-mingw32-gcc >/dev/null 2>&1 || need_apt+=(gcc-mingw-w64-x86-64)
command -v musl-gcc >/dev/null 2>&1 || need_apt+=(musl-tools)
command -v zip >/dev/null 2>&1 || need_apt+=(zip)
if [ ${#need_apt[@]} -gt 0 ]; then
  sudo=""
  if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then sudo="sudo -E"; fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi
for t in x86_64-pc-windows-gnu x86_64-unknown-linux-musl; do
  rustup target list --installed | grep -qx "$t" || rustup target add "$t"
done

# --- licences ----------------------------------------------------------------
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
licences="$stage/licences"
mkdir -p "$licences"
cargo metadata --format-version 1 --locked >"$stage/metadata.json"
source_of() {
  python3 - "$stage/metadata.json" "$1" <<'PY'
import json, os, sys
meta = json.load(open(sys.argv[1]))
for p in meta["packages"]:
    if p["name"] == sys.argv[2]:
        print(os.path.dirname(p["manifest_path"]))
        break
PY
}
sqlcipher=$(source_of sqlcipher-src)
openssl=$(source_of openssl-src)
cp "$sqlcipher/sqlcipher/LICENSE-sqlcipher" "$licences/SQLCipher-LICENSE.txt"
cp "$openssl/openssl/LICENSE.txt" "$licences/OpenSSL-LICENSE.txt"
cp assets/fonts/DejaVuSans-LICENSE.txt "$licences/DejaVuSans-LICENSE.txt"
cat >"$licences/SQLite-NOTICE.txt" <<'EOF'
SQLite (compiled into permanence-panel as part of SQLCipher) is in the public
domain: "The author disclaims copyright to this source code. In place of a
legal notice, here is a blessing: May you do good and not evil. May you find
forgiveness for yourself and forgive others. May you share freely, never
taking more than you give." (https://www.sqlite.org/copyright.html)
EOF
python3 - "$stage/metadata.json" >"$licences/rust-crates.txt" <<'PY'
import json, sys
meta = json.load(open(sys.argv[1]))
print("Rust crates compiled into permanence-panel, with their licences")
print("(from each crate's own Cargo.toml; texts at https://crates.io/crates/NAME).")
print()
for p in sorted(meta["packages"], key=lambda p: (p["name"], p["version"])):
    if p.get("source") is None:
        continue  # our own crates
    print(f'{p["name"]} {p["version"]}: {p.get("license") or p.get("license_file") or "see the crate"}')
PY

# --- builds ------------------------------------------------------------------
mkdir -p "$dist"
package() { # package TARGET BINARY FORMAT
  local target=$1 binary=$2 format=$3
  local name="permanence-panel-$version-$target"
  local dir="$stage/$name"
  rm -rf "$dir"
  mkdir -p "$dir"
  cp "$binary" "$dir/"
  cp README.md "$dir/"
  cp -r "$licences" "$dir/licences"
  local file
  case "$format" in
    zip)
      file="$dist/$name.zip"
      rm -f "$file"
      (cd "$stage" && zip -qr "$file" "$name")
      ;;
    tar)
      file="$dist/$name.tar.gz"
      tar -C "$stage" -czf "$file" "$name"
      ;;
  esac
  (cd "$dist" && sha256sum "$(basename "$file")" >"$(basename "$file").sha256")
  say "$(basename "$file"): $(du -h "$file" | cut -f1) ($(cut -c1-16 <"$file.sha256")...)"
}

say "Windows (x86_64-pc-windows-gnu)"
start=$(date +%s)
cargo build --release --locked --target x86_64-pc-windows-gnu
say "  built in $(( $(date +%s) - start )) s"
package x86_64-pc-windows-gnu "$target_dir/x86_64-pc-windows-gnu/release/permanence-panel.exe" zip

say "Linux, static (x86_64-unknown-linux-musl)"
start=$(date +%s)
if CC_x86_64_unknown_linux_musl=musl-gcc \
  cargo build --release --locked --target x86_64-unknown-linux-musl 2>"$stage/musl.log"; then
  say "  built in $(( $(date +%s) - start )) s"
  package x86_64-unknown-linux-musl "$target_dir/x86_64-unknown-linux-musl/release/permanence-panel" tar
else
  say "  the musl build failed here (last lines below); shipping the glibc build instead"
  tail -5 "$stage/musl.log" | sed 's/^/    /'
  cargo build --release --locked
  package x86_64-unknown-linux-gnu "$target_dir/release/permanence-panel" tar
fi
ls -l "$dist"
