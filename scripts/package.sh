#!/usr/bin/env bash
# Builds the Debian packages with CPack (`cpack -G DEB`, cmake/MechcheckPackage.cmake):
#   mechcheck_<version>_amd64.deb      /usr/bin/mechcheck, man page, Python module, docs, examples
#   mechcheck-dev_<version>_amd64.deb  static libraries, headers, CMake package
# and prints their paths on stdout, one a line (sizes and the time taken on stderr).
#   bash scripts/package.sh [BUILD_DIR [OUT_DIR]]
# BUILD_DIR: an existing build to package (CI passes `build`, which its test stage built). Its
# whole tree is brought up to date first (CPack installs from a complete build), with the Python
# module and the install rules switched on. Default (also for ""): the `package` preset's
# build-package/ (Release, no tests or benchmarks). OUT_DIR: where the .deb files go (default
# BUILD_DIR/packages).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
start=$SECONDS

if [ $# -gt 2 ]; then
  echo "usage: scripts/package.sh [BUILD_DIR [OUT_DIR]]" >&2
  exit 2
fi
if [ -n "${1:-}" ]; then
  build_dir=$1
  [ -f "$build_dir/CMakeCache.txt" ] || { echo "package: $build_dir is not a configured build directory" >&2; exit 2; }
  cmake -S . -B "$build_dir" -DMECHCHECK_INSTALL=ON -DMECHCHECK_BUILD_PYTHON=ON >/dev/null
else
  build_dir=build-package
  cmake --preset package >/dev/null
fi
out_dir=${2:-$build_dir/packages}
mkdir -p "$out_dir"
out_dir=$(cd "$out_dir" && pwd)

# CPack builds the tree's `all` before it installs, one job at a time: build it here on every core
# (nothing to do on CI's already built tree).
cmake --build "$build_dir" -j "$(nproc)" >&2
# The package holds the Python module and the man page: a build that could not make them (no
# pybind11, Python headers or help2man) must not silently ship without them.
grep -q '^MECHCHECK_HELP2MAN:FILEPATH=.*help2man$' "$build_dir/CMakeCache.txt" ||
  { echo "package: help2man not found in $build_dir (scripts/setup.sh installs it)" >&2; exit 1; }
cmake --build "$build_dir" --target mechcheck_python >/dev/null ||
  { echo "package: the Python module (target mechcheck_python) did not build in $build_dir" >&2; exit 1; }

version=$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$build_dir/CMakeCache.txt")
rm -f "$out_dir"/mechcheck_*.deb "$out_dir"/mechcheck-dev_*.deb
cpack -G DEB --config "$build_dir/CPackConfig.cmake" -B "$out_dir" >"$out_dir/cpack.log" 2>&1 ||
  { cat "$out_dir/cpack.log" >&2; echo "package: cpack failed" >&2; exit 1; }
# dpkg-shlibdeps' warnings (the Python module's symbols come from the interpreter) are expected;
# errors are not.
if grep -q 'CPack Error' "$out_dir/cpack.log"; then
  cat "$out_dir/cpack.log" >&2
  exit 1
fi
rm -rf "$out_dir/_CPack_Packages"
for name in mechcheck mechcheck-dev; do
  deb=$out_dir/${name}_${version}_amd64.deb
  [ -f "$deb" ] || { echo "package: cpack made no $deb" >&2; ls "$out_dir" >&2; exit 1; }
  echo "package: $(basename "$deb"): $(du -k "$deb" | cut -f1) KiB, installed $(dpkg-deb -f "$deb" Installed-Size) KiB; Depends: $(dpkg-deb -f "$deb" Depends)" >&2
  echo "$deb"
done
echo "package: built in $((SECONDS - start)) s" >&2
