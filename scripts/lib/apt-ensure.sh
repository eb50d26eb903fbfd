# Sourced by the setup scripts. `ensure_apt_packages LABEL LOG PKG...` installs the Debian packages
# that are missing (apt-get update only when a first install fails), calling the caller's
# `unavailable REASON` when it cannot.
ensure_apt_packages() {
  local label=$1 log=$2
  shift 2
  local missing=() pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q '^install ok installed$' || missing+=("$pkg")
  done
  ((${#missing[@]})) || return 0
  [[ -x /usr/bin/apt-get ]] || unavailable "not a Debian machine (no apt-get); missing: ${missing[*]}"
  echo "$label: apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y --no-install-recommends "${missing[@]}" >>"$log" 2>&1; then
    apt-get update >>"$log" 2>&1 || unavailable "apt-get update failed"
    apt-get install -y --no-install-recommends "${missing[@]}" >>"$log" 2>&1 \
      || unavailable "apt-get install ${missing[*]} failed"
  fi
}
