#!/usr/bin/env bash
# The install round trip (fmt's find-package test): builds mechcheck, installs it into a
# temporary prefix, then configures the downstream project examples/ci/ against that prefix
# (find_package(mechcheck CONFIG)), builds it and runs its CTest gate: mechcheck_add_check() on
# the installed mechcheck::cli and a C++ program linking mechcheck::core. Also fails when the
# installed package mentions RapidCheck (a test-only dependency). Prints its wall time.
#   bash scripts/install_roundtrip.sh [BUILD_DIR]
# BUILD_DIR: an existing mechcheck build to install from (built first if out of date; its
# options are kept, MECHCHECK_INSTALL is switched on). Default: ./build-install, a Release build
# of the libraries and executable only (no tests, benchmarks or Python module), kept between runs.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$SECONDS
work=$(mktemp -d)
finish() {
  local rc=$?
  rm -rf "$work"
  if [ "$rc" -eq 0 ]; then
    echo "install-roundtrip: passed in $((SECONDS - start)) s" >&2
  else
    echo "install-roundtrip: FAILED (exit $rc) after $((SECONDS - start)) s" >&2
  fi
}
trap finish EXIT
fail() {
  echo "install-roundtrip: $*" >&2
  exit 1
}

if [ $# -gt 1 ]; then
  echo "usage: scripts/install_roundtrip.sh [BUILD_DIR]" >&2
  exit 2
fi
if [ $# -eq 1 ]; then
  build_dir=$1
  [ -f "$build_dir/CMakeCache.txt" ] || fail "$build_dir is not a configured build directory"
  cmake -S . -B "$build_dir" -DMECHCHECK_INSTALL=ON >/dev/null
else
  build_dir=build-install
  cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=Release -DMECHCHECK_INSTALL=ON \
    -DMECHCHECK_BUILD_TESTS=OFF -DMECHCHECK_BUILD_BENCH=OFF -DMECHCHECK_BUILD_PYTHON=OFF >/dev/null
fi
cmake --build "$build_dir" -j "$(nproc)"

prefix=$work/prefix
cmake --install "$build_dir" --prefix "$prefix" >/dev/null
package_dir=$(find "$prefix" -type d -path '*/cmake/mechcheck' | head -n 1)
[ -n "$package_dir" ] || fail "no lib/cmake/mechcheck under the prefix"
[ -f "$package_dir/mechcheckTargets.cmake" ] || fail "no mechcheckTargets.cmake in $package_dir"
# RapidCheck is for mechcheck's own tests: no installed target or header may need it.
if grep -ril rapidcheck "$package_dir" "$prefix/include" >&2; then
  fail "the installed package mentions RapidCheck (files above)"
fi
echo "install-roundtrip: installed into $prefix ($(find "$prefix" -type f | wc -l) files)" >&2

# The downstream project sees only the prefix (and the system's packages).
downstream=$work/downstream
cmake -S examples/ci -B "$downstream" -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
found=$(sed -n 's/^mechcheck_DIR:PATH=//p' "$downstream/CMakeCache.txt")
[ "$found" = "$package_dir" ] || fail "examples/ci found mechcheck at '$found', not in $prefix"
cmake --build "$downstream" -j "$(nproc)"
ctest --test-dir "$downstream" --output-on-failure -j "$(nproc)"
