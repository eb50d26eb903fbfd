#!/usr/bin/env bash
# Installs what the registry tests (test/registry/) need: Debian's docker-registry (CNCF
# distribution), skopeo to push test images into it, and openssl to make the token service's key.
# The tests start and stop their own registries on 127.0.0.1. Never fails the caller: when the
# packages cannot be installed it prints one line starting with "registry setup unavailable:" and
# exits 0; the tests then skip, saying which tool is missing.
set -uo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
LOG="${TMPDIR:-/tmp}/dockerlens-registry-setup.log"
: >"$LOG"
unavailable() {
  echo "registry setup unavailable: $1 (details: $LOG)"
  exit 0
}
source "$ROOT/scripts/lib/apt-ensure.sh"
ensure_apt_packages "registry setup" "$LOG" docker-registry skopeo openssl
echo "registry setup: docker-registry, skopeo and openssl are installed"
