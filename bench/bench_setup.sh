#!/usr/bin/env bash
# Installs benchmark-only Debian packages (named as arguments, e.g. python3-numpy hyperfine),
# like scripts/setup.sh does for the build: idempotent, silent and apt-free when all are present.
# Never fails the benchmark: without apt (or root/sudo) it warns and the caller falls back.
set -uo pipefail
missing=()
for pkg in "$@"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$pkg")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
echo "bench setup: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
if ! { $SUDO apt-get update -qq >/dev/null && \
       $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }; then
  echo "bench setup: could not install ${missing[*]}" >&2
fi
exit 0
