#!/usr/bin/env bash
# Installs what the end-to-end tests (npm run test:e2e) need on a fresh Debian 12 machine:
#   - Debian packages: chromium (driven headless), ripgrep, a Korean font, and the headers
#     code-server's native modules build against;
#   - code-server 4.100.3 (VS Code 1.100.3, the newest that runs on Node 20) and playwright-core,
#     in their own folder, outside the extension's dependencies, so `npm ci` for unit tests stays
#     small. The folder is $DOCKERLENS_E2E_HOME, default $HOME/.cache/dockerlens-e2e, and is kept
#     between runs: a second run only checks and exits.
#
# Idempotent. Never fails the caller: when something cannot be installed it prints one line
# starting with "e2e setup unavailable:", writes the reason to $DOCKERLENS_E2E_HOME/unavailable and
# exits 0, and the e2e runner then skips with that reason.
set -uo pipefail

CODE_SERVER_VERSION=4.100.3
PLAYWRIGHT_CORE_VERSION=1.65.1
# code-server 4.100.3 pulls @vscode/ripgrep, whose install downloads this exact archive from
# GitHub unless it is already in its cache folder (under $TMPDIR).
RIPGREP_CACHE_DIR=vscode-ripgrep-cache-1.15.11
case "$(uname -m)" in
  aarch64 | arm64) RIPGREP_TARGET=aarch64-unknown-linux-musl ;;
  *) RIPGREP_TARGET=x86_64-unknown-linux-musl ;;
esac
RIPGREP_ARCHIVE="ripgrep-v13.0.0-10-$RIPGREP_TARGET.tar.gz"

E2E_HOME="${DOCKERLENS_E2E_HOME:-${HOME:-/root}/.cache/dockerlens-e2e}"
# fonts-nanum: Korean glyphs, so that screenshots of Korean hovers are legible.
APT_PACKAGES=(chromium libkrb5-dev libxkbfile-dev libsecret-1-dev libx11-dev pkg-config ripgrep fonts-nanum)

mkdir -p "$E2E_HOME" || { echo "e2e setup unavailable: cannot create $E2E_HOME"; exit 0; }
rm -f "$E2E_HOME/unavailable"
LOG="$E2E_HOME/setup.log"
: >"$LOG"

unavailable() {
  echo "$1" >"$E2E_HOME/unavailable"
  echo "e2e setup unavailable: $1 (details: $LOG)"
  exit 0
}

started=$SECONDS

# 1. Debian packages, only when one is missing.
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q '^install ok installed$' || missing+=("$pkg")
done
if ((${#missing[@]})); then
  if [[ "$(uname -s)" != Linux || ! -x /usr/bin/apt-get ]]; then
    unavailable "not a Debian machine (no apt-get); missing: ${missing[*]}"
  fi
  sudo=()
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null && sudo -n true 2>/dev/null || unavailable "need root or passwordless sudo to install: ${missing[*]}"
    sudo=(sudo -n)
  fi
  echo "e2e setup: apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update >>"$LOG" 2>&1 || unavailable "apt-get update failed"
  "${sudo[@]}" apt-get install -y --no-install-recommends "${missing[@]}" >>"$LOG" 2>&1 \
    || unavailable "apt-get install ${missing[*]} failed"
fi
[[ -x /usr/bin/chromium ]] || unavailable "/usr/bin/chromium is missing after install"
RG="$(command -v rg || true)"
[[ -n "$RG" ]] || unavailable "ripgrep (rg) is missing after install"

# 2. code-server and playwright-core in their own npm project.
CS_DIR="$E2E_HOME/code-server-$CODE_SERVER_VERSION"
stamp="$CS_DIR/.installed-$CODE_SERVER_VERSION-playwright-$PLAYWRIGHT_CORE_VERSION"
if [[ ! -f "$stamp" ]]; then
  echo "e2e setup: npm install code-server@$CODE_SERVER_VERSION playwright-core@$PLAYWRIGHT_CORE_VERSION into $CS_DIR (takes a minute or two)"
  rm -rf "$CS_DIR"
  mkdir -p "$CS_DIR"
  printf '{\n  "name": "dockerlens-e2e-tools",\n  "private": true,\n  "description": "code-server and playwright-core for Dockerlens end-to-end tests; made by scripts/e2e-setup.sh"\n}\n' \
    >"$CS_DIR/package.json"
  # Pre-seed @vscode/ripgrep's download cache with Debian's rg (the archive holds `rg` at its root).
  tmp="$E2E_HOME/tmp"
  mkdir -p "$tmp/$RIPGREP_CACHE_DIR"
  tar -C "$(dirname "$RG")" -czf "$tmp/$RIPGREP_CACHE_DIR/$RIPGREP_ARCHIVE" "$(basename "$RG")" >>"$LOG" 2>&1 \
    || unavailable "could not pre-seed the ripgrep cache"
  # npm_config_yes: node-pty's post-install runs `npx node-gyp`, which would otherwise ask before
  # fetching node-gyp and, with no terminal to ask, give up.
  (
    cd "$CS_DIR" &&
      TMPDIR="$tmp" npm_config_unsafe_perm=true npm_config_yes=true npm install --no-audit --no-fund \
        "code-server@$CODE_SERVER_VERSION" "playwright-core@$PLAYWRIGHT_CORE_VERSION"
  ) >>"$LOG" 2>&1 || unavailable "npm install code-server@$CODE_SERVER_VERSION failed"
  [[ -x "$CS_DIR/node_modules/.bin/code-server" ]] || unavailable "code-server binary missing after install"
  touch "$stamp"
fi

# 3. Smoke check: the binary answers with the expected version.
# (--config: otherwise code-server writes a default config.yaml under ~/.config on first run.)
version="$("$CS_DIR/node_modules/.bin/code-server" --config "$E2E_HOME/config.yaml" --version 2>>"$LOG" | grep -E '^[0-9]+\.[0-9]+\.[0-9]+ ' | head -n 1)"
[[ "$version" == "$CODE_SERVER_VERSION"* ]] || unavailable "code-server --version printed '${version:-nothing}'"
node -e "require('$CS_DIR/node_modules/playwright-core')" 2>>"$LOG" || unavailable "playwright-core does not load"

echo "e2e setup: ready in $((SECONDS - started)) s (code-server $CODE_SERVER_VERSION, playwright-core $PLAYWRIGHT_CORE_VERSION, $(/usr/bin/chromium --version 2>/dev/null | head -n 1)) at $E2E_HOME"
exit 0
