#!/usr/bin/env bash
# Installs verdaccio 6.8.0 (a real npm registry; 6.10 wants Node 22) for the registry look-up tests,
# in its own folder outside the extension's dependencies: $DOCKERLENS_NPM_REGISTRY_HOME, default
# $HOME/.cache/dockerlens-npm-registry. Kept between runs: a second run only checks and exits.
#
# Idempotent. Never fails the caller: when verdaccio cannot be installed it prints one line starting
# with "npm registry setup unavailable:", writes the reason to $HOME_DIR/unavailable and exits 0;
# the tests then skip with that reason.
set -uo pipefail

VERDACCIO_VERSION=6.8.0
REGISTRY_HOME="${DOCKERLENS_NPM_REGISTRY_HOME:-${HOME:-/root}/.cache/dockerlens-npm-registry}"

mkdir -p "$REGISTRY_HOME" || { echo "npm registry setup unavailable: cannot create $REGISTRY_HOME"; exit 0; }
LOG="$REGISTRY_HOME/setup.log"
BIN="$REGISTRY_HOME/node_modules/.bin/verdaccio"

unavailable() {
  echo "$1" >"$REGISTRY_HOME/unavailable"
  echo "npm registry setup unavailable: $1 (details: $LOG)"
  exit 0
}

if [[ -x "$BIN" ]] && [[ "$(node -p "require('$REGISTRY_HOME/node_modules/verdaccio/package.json').version" 2>/dev/null)" == "$VERDACCIO_VERSION" ]]; then
  rm -f "$REGISTRY_HOME/unavailable"
  echo "npm registry ready: verdaccio $VERDACCIO_VERSION in $REGISTRY_HOME"
  exit 0
fi
command -v npm >/dev/null 2>&1 || unavailable "npm is not on the PATH"
: >"$LOG"
[[ -f "$REGISTRY_HOME/package.json" ]] || echo '{"private":true}' >"$REGISTRY_HOME/package.json"
if ! (cd "$REGISTRY_HOME" && npm install --no-audit --no-fund --no-save "verdaccio@$VERDACCIO_VERSION") >>"$LOG" 2>&1; then
  unavailable "npm install verdaccio@$VERDACCIO_VERSION failed"
fi
[[ -x "$BIN" ]] || unavailable "verdaccio installed but $BIN is missing"
rm -f "$REGISTRY_HOME/unavailable"
echo "npm registry ready: verdaccio $VERDACCIO_VERSION in $REGISTRY_HOME"
