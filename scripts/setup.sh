#!/usr/bin/env bash
# Installs every build and test dependency of mechcheck from Debian 12's registry, plus any
# extra packages named as arguments (the benchmark scripts add python3-numpy and hyperfine).
# help2man writes the man page from `mechcheck --help-all`; file is what CPack runs to find the
# binaries dpkg-shlibdeps reads (scripts/package.sh); man-db gives `man` to the package stage.
# Idempotent: when everything is present it prints nothing and does not touch apt.
set -euo pipefail

packages=(
  build-essential cmake git pkg-config clang-format python3
  libeigen3-dev libboost-dev libgmp-dev libmpfr-dev librandom123-dev
  nlohmann-json3-dev libcli11-dev libfmt-dev libtbb-dev libz3-dev z3 gnuplot-nox
  googletest libgtest-dev libgmock-dev librapidcheck-dev libbenchmark-dev
  pybind11-dev python3-pybind11 python3-dev libssl-dev
  help2man file man-db
  "$@"
)

missing=()
for pkg in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$pkg")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
echo "setup: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
