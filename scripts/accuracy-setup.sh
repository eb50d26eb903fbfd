#!/usr/bin/env bash
# Prepares real builds for the size-accuracy benchmark (npm run bench:accuracy) and for the small
# accuracy test in npm test (test/accuracy/busybox.test.ts):
#   - Debian packages: buildah (builds without a daemon) and debootstrap, installed only when
#     missing; busybox-static is unpacked from its .deb into the cache, not installed;
#   - two base images made locally, since no registry can be reached here: a `debootstrap
#     --variant=minbase bookworm` tree with the apt settings Docker's official debian image adds,
#     and a busybox-static tree; each is packed into rootfs.tar once, then imported with
#     `FROM scratch` + `ADD rootfs.tar /` and tagged docker.io/library/debian:bookworm and
#     docker.io/library/busybox:latest, so fixture Dockerfiles can say `FROM debian:bookworm`.
#
# Everything lives in $DOCKERLENS_ACCURACY_HOME (default: .accuracy/ at the top of the repository,
# which ignores itself for git): the trees, the tars and buildah's own vfs image store
# (storage/ and run/), kept apart from any other containers storage on the machine. Delete the
# folder to start over.
#
# Idempotent: a second run finds the tars and the tagged images and only checks them. Never fails
# the caller: when something cannot be installed or run it prints one line starting with
# "accuracy setup unavailable:", writes the reason to $DOCKERLENS_ACCURACY_HOME/unavailable and
# exits 0; the benchmark and the test then skip with that reason.
set -uo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
ACC_HOME="${DOCKERLENS_ACCURACY_HOME:-$ROOT/.accuracy}"
MIRROR="${DOCKERLENS_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
SECURITY_MIRROR="${DOCKERLENS_DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}"
APT_PACKAGES=(buildah debootstrap)

mkdir -p "$ACC_HOME" || { echo "accuracy setup unavailable: cannot create $ACC_HOME"; exit 0; }
# The folder holds gigabytes of image layers: keep git from ever listing it.
[[ -f "$ACC_HOME/.gitignore" ]] || printf '*\n' >"$ACC_HOME/.gitignore"
rm -f "$ACC_HOME/unavailable"
LOG="$ACC_HOME/setup.log"
: >"$LOG"

unavailable() {
  echo "$1" >"$ACC_HOME/unavailable"
  echo "accuracy setup unavailable: $1 (details: $LOG)"
  exit 0
}

started=$SECONDS

[[ "$(uname -s)" == Linux ]] || unavailable "real builds need Linux (this is $(uname -s))"
[[ $(id -u) -eq 0 ]] || unavailable "buildah with chroot isolation and debootstrap need root"

# 1. Debian packages, only when one is missing.
source "$ROOT/scripts/lib/apt-ensure.sh"
ensure_apt_packages "accuracy setup" "$LOG" "${APT_PACKAGES[@]}"
command -v buildah >/dev/null || unavailable "buildah is missing after install"
command -v debootstrap >/dev/null || unavailable "debootstrap is missing after install"

# The same global options the benchmark and the test pass (bench/accuracy/buildah.ts).
BUILDAH=(buildah --root "$ACC_HOME/storage" --runroot "$ACC_HOME/run" --storage-driver vfs)

has_image() { "${BUILDAH[@]}" inspect --type image "$1" >/dev/null 2>&1; }

# Imports $1/rootfs.tar as image $2 (FROM scratch + ADD, as Docker's official images are made).
import_base() {
  local dir="$1" tag="$2" cmd="$3"
  printf 'FROM scratch\nADD rootfs.tar /\nCMD ["%s"]\n' "$cmd" >"$dir/Containerfile"
  "${BUILDAH[@]}" bud --isolation chroot --pull=never -f "$dir/Containerfile" -t "$tag" "$dir" >>"$LOG" 2>&1 \
    || unavailable "could not import $dir/rootfs.tar as $tag"
}

# 2. debian:bookworm from debootstrap.
DEB="$ACC_HOME/bases/debian-bookworm"
if [[ ! -f "$DEB/rootfs.tar" ]]; then
  echo "accuracy setup: debootstrap --variant=minbase bookworm (about a minute)"
  rm -rf "$DEB"
  mkdir -p "$DEB"
  debootstrap --variant=minbase bookworm "$DEB/tree" "$MIRROR" >>"$LOG" 2>&1 \
    || unavailable "debootstrap --variant=minbase bookworm $MIRROR failed"
  t="$DEB/tree"
  # What the official image leaves out: apt lists and caches, downloaded packages, device nodes,
  # the bootstrap log.
  rm -rf "$t"/var/lib/apt/lists/* "$t"/var/cache/apt/*.bin "$t"/var/cache/apt/archives/*.deb \
    "$t"/var/cache/apt/archives/partial/* "$t"/dev/* "$t"/var/log/bootstrap.log
  mkdir -p "$t/var/lib/apt/lists/partial"
  # Sources as in the official image: deb822, bookworm + updates + security, main only.
  rm -f "$t/etc/apt/sources.list"
  cat >"$t/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $MIRROR
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $SECURITY_MIRROR
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  # The official image's four apt tweaks, written from what each one does.
  c="$t/etc/apt/apt.conf.d"
  cat >"$c/docker-clean" <<'EOF'
// Images should not carry downloaded packages: delete the .deb files once dpkg has run (and after
// apt-get update), and do not write the binary package caches at all.
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
EOF
  cat >"$c/docker-gzip-indexes" <<'EOF'
// Keep package lists compressed on disk: smaller layers when the lists are not deleted.
Acquire::GzipIndexes "true";
EOF
  cat >"$c/docker-no-languages" <<'EOF'
// Do not download translated package descriptions.
Acquire::Languages "none";
EOF
  cat >"$c/docker-autoremove-suggests" <<'EOF'
// A package that is only suggested by an installed one may be autoremoved.
Apt::AutoRemove::SuggestsImportant "false";
EOF
  tar --numeric-owner --xattrs -C "$t" -cf "$DEB/rootfs.tar.partial" . >>"$LOG" 2>&1 \
    || unavailable "could not pack the debootstrap tree"
  mv "$DEB/rootfs.tar.partial" "$DEB/rootfs.tar"
  rm -rf "$t"
fi
has_image docker.io/library/debian:bookworm || import_base "$DEB" docker.io/library/debian:bookworm bash

# 3. busybox:latest from busybox-static: /bin/busybox hard-linked under every applet name (as in
# the official image), a root user, /tmp, /root.
BB="$ACC_HOME/bases/busybox"
if [[ ! -f "$BB/rootfs.tar" ]]; then
  source "$ROOT/scripts/lib/busybox-rootfs.sh"
  build_busybox_rootfs "accuracy setup" "$BB" "$LOG"
fi
has_image docker.io/library/busybox:latest || import_base "$BB" docker.io/library/busybox:latest sh

# 4. Smoke check: a RUN step builds on the busybox base with chroot isolation.
SMOKE="$ACC_HOME/smoke"
mkdir -p "$SMOKE"
printf 'FROM busybox:latest\nRUN echo ok > /smoke\n' >"$SMOKE/Containerfile"
"${BUILDAH[@]}" bud --isolation chroot --pull=never -f "$SMOKE/Containerfile" -t localhost/dockerlens-accuracy-smoke "$SMOKE" >>"$LOG" 2>&1 \
  || unavailable "buildah cannot run a RUN step here (bud --isolation chroot failed)"
"${BUILDAH[@]}" rmi localhost/dockerlens-accuracy-smoke >>"$LOG" 2>&1

echo "accuracy setup: ready in $((SECONDS - started)) s ($(buildah --version), images debian:bookworm and busybox:latest in $ACC_HOME/storage)"
exit 0
