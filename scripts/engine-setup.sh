#!/usr/bin/env bash
# A private Docker Engine (dockerd + BuildKit) for the real-cache check (npm run test:cache-real)
# and the small cache test (test/cache-real/cache-real.test.ts).
#
#   scripts/engine-setup.sh         install what is missing, start dockerd, import the bases
#   scripts/engine-setup.sh stop    stop the dockerd this script started
#
# Debian packages docker.io, containerd, runc and iptables are installed only when missing.
# dockerd is started by hand (no systemd here) with its own data root, exec root, pid file and
# socket, all under $DOCKERLENS_ENGINE_HOME (default: .engine/ at the top of the repository, which
# ignores itself for git), with vfs storage and no networking of its own (builds use
# --network=host). No registry can be reached, so the base images are made locally from
# busybox-static (unpacked from its .deb, not installed):
#   busybox:latest   the busybox tree, imported with `docker import`;
#   alpine:3.22      busybox + /etc/alpine-release (3.22), and alpine:3.23 likewise: two distinct
#                    images, so a tag change is a real base change;
#   node:22-slim     busybox + tiny `node` and `npm` stand-ins that print their arguments: the
#                    cache decision depends on the command text, not on what the command does.
# Scenario Dockerfiles therefore build unchanged.
#
# Idempotent: a second run finds the socket answering and the images present and only checks them.
# On success the last line printed is DOCKER_HOST=unix://<socket>. Never fails the caller: when
# something cannot be installed or run it prints one line starting with "engine unavailable:",
# writes the reason to $DOCKERLENS_ENGINE_HOME/unavailable and exits 0.
set -uo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
ENGINE_HOME="${DOCKERLENS_ENGINE_HOME:-$ROOT/.engine}"
SOCK="$ENGINE_HOME/run/docker.sock"
PIDFILE="$ENGINE_HOME/dockerd.pid"
DOCKER_BIN=/usr/bin/docker # the Debian 20.10 client: a newer client elsewhere on PATH wants buildx
APT_PACKAGES=(docker.io containerd runc iptables)
WAIT_SECONDS="${DOCKERLENS_ENGINE_WAIT:-60}"

mkdir -p "$ENGINE_HOME" || { echo "engine unavailable: cannot create $ENGINE_HOME"; exit 0; }
# The folder holds image layers (vfs copies whole trees): keep git from ever listing it.
[[ -f "$ENGINE_HOME/.gitignore" ]] || printf '*\n' >"$ENGINE_HOME/.gitignore"
LOG="$ENGINE_HOME/setup.log"

docker_() { DOCKER_HOST="unix://$SOCK" DOCKER_BUILDKIT=1 "$DOCKER_BIN" "$@"; }
answers() { [[ -S "$SOCK" && -x "$DOCKER_BIN" ]] && docker_ version --format '{{.Server.Version}}' >/dev/null 2>&1; }
our_pid() {
  local pid
  pid="$(cat "$PIDFILE" 2>/dev/null)" || return 1
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

if [[ "${1:-}" == stop ]]; then
  pid="$(our_pid)" || { echo "engine: not running"; exit 0; }
  kill -TERM "$pid"
  for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  if kill -0 "$pid" 2>/dev/null; then
    echo "engine: dockerd $pid did not stop in 30 s; sending KILL"
    kill -KILL "$pid"
  fi
  rm -f "$PIDFILE"
  echo "engine: stopped dockerd $pid"
  exit 0
fi

rm -f "$ENGINE_HOME/unavailable"
: >"$LOG"
unavailable() {
  echo "$1" >"$ENGINE_HOME/unavailable"
  echo "engine unavailable: $1 (details: $LOG)"
  exit 0
}
started=$SECONDS

[[ "$(uname -s)" == Linux ]] || unavailable "dockerd needs Linux (this is $(uname -s))"
[[ $(id -u) -eq 0 ]] || unavailable "a private dockerd needs root"
((${#SOCK} < 100)) || unavailable "socket path too long for a unix socket: $SOCK (set DOCKERLENS_ENGINE_HOME to a shorter folder)"

# 1. Debian packages, only when one is missing.
source "$ROOT/scripts/lib/apt-ensure.sh"
ensure_apt_packages "engine setup" "$LOG" "${APT_PACKAGES[@]}"
DOCKERD="$(command -v dockerd || echo /usr/sbin/dockerd)"
[[ -x "$DOCKERD" && -x "$DOCKER_BIN" ]] || unavailable "dockerd or $DOCKER_BIN missing after install"

# 2. dockerd, unless ours already answers.
if ! answers; then
  if pid="$(our_pid)"; then
    echo "engine setup: dockerd $pid is running but its socket does not answer; restarting it"
    kill -TERM "$pid"; sleep 2; kill -KILL "$pid" 2>/dev/null
  fi
  rm -f "$PIDFILE" "$SOCK"
  mkdir -p "$ENGINE_HOME/data" "$ENGINE_HOME/exec" "$ENGINE_HOME/run"
  echo "engine setup: starting dockerd (socket $SOCK)"
  setsid "$DOCKERD" \
    --data-root "$ENGINE_HOME/data" --exec-root "$ENGINE_HOME/exec" --pidfile "$PIDFILE" \
    -H "unix://$SOCK" --storage-driver vfs --iptables=false --ip6tables=false --bridge=none \
    >"$ENGINE_HOME/dockerd.log" 2>&1 </dev/null &
  deadline=$((SECONDS + WAIT_SECONDS))
  until answers; do
    if ((SECONDS >= deadline)); then
      tail -n 20 "$ENGINE_HOME/dockerd.log" >>"$LOG" 2>/dev/null
      unavailable "dockerd did not answer on $SOCK within $WAIT_SECONDS s (log: $ENGINE_HOME/dockerd.log)"
    fi
    kill -0 $! 2>/dev/null || { tail -n 20 "$ENGINE_HOME/dockerd.log" >>"$LOG" 2>/dev/null; unavailable "dockerd exited at start (log: $ENGINE_HOME/dockerd.log)"; }
    sleep 0.3
  done
fi

has_image() { docker_ image inspect "$1" >/dev/null 2>&1; }

# 3. busybox:latest from busybox-static: /bin/busybox hard-linked under every applet name, a root
# user, /tmp, /root.
BB="$ENGINE_HOME/bases/busybox"
if [[ ! -f "$BB/rootfs.tar" ]]; then
  source "$ROOT/scripts/lib/busybox-rootfs.sh"
  build_busybox_rootfs "engine setup" "$BB" "$LOG"
fi
if ! has_image busybox:latest; then
  docker_ import --change 'CMD ["sh"]' "$BB/rootfs.tar" busybox:latest >>"$LOG" 2>&1 \
    || unavailable "docker import of the busybox tree failed"
fi

# 4. Stand-in bases derived from busybox (one small layer each). The first one built is also the
# smoke check that a RUN step works here.
derived() {
  local tag="$1" dockerfile="$2" dir
  has_image "$tag" && return 0
  dir="$ENGINE_HOME/bases/${tag//[:\/]/-}"
  mkdir -p "$dir"
  printf '%s' "$dockerfile" >"$dir/Dockerfile"
  docker_ build --network=host --progress=plain -t "$tag" "$dir" >>"$LOG" 2>&1 \
    || unavailable "could not build the stand-in base $tag (a RUN step on busybox failed)"
}
derived alpine:3.22 $'FROM busybox:latest\nRUN echo 3.22.0 > /etc/alpine-release\n'
derived alpine:3.23 $'FROM busybox:latest\nRUN echo 3.23.0 > /etc/alpine-release\n'
derived node:22-slim $'FROM busybox:latest\nRUN printf \'#!/bin/sh\\necho "node $*"\\n\' > /usr/local/bin/node && printf \'#!/bin/sh\\necho "npm $*"\\n\' > /usr/local/bin/npm && chmod +x /usr/local/bin/node /usr/local/bin/npm\n'
# The bases' own build steps must not be mistaken for scenario cache entries.
docker_ builder prune -af >>"$LOG" 2>&1

echo "engine setup: ready in $((SECONDS - started)) s (Docker Engine $(docker_ version --format '{{.Server.Version}}' 2>/dev/null), bases busybox:latest alpine:3.22 alpine:3.23 node:22-slim)"
echo "DOCKER_HOST=unix://$SOCK"
exit 0
