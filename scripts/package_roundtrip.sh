#!/usr/bin/env bash
# The package round trip: builds the Debian packages (scripts/package.sh), checks what they hold,
# installs them with apt-get as a user would, and from outside the source tree runs
#   mechcheck --version (= the package's version = the report header's mechcheck_version),
#   mechcheck verify --only a few claims, a check of an external Python program that imports the
#   installed mechcheck_protocol, python3 -c "import mechcheck" with a callable mechanism (also
#   in a venv made with --system-site-packages), man -w mechcheck, and the downstream project
#   examples/ci/ as installed under /usr/share/doc/mechcheck, built against /usr
#   (find_package(mechcheck CONFIG)) with its CTest gate;
# then purges both packages and fails if any of their files, or a byte-compiled file of theirs,
# is left. Prints each step's and the whole run's wall time.
#   bash scripts/package_roundtrip.sh [BUILD_DIR]
# BUILD_DIR: as scripts/package.sh (CI: `build`, which its test stage built). Needs root (apt-get)
# and refuses to run when a mechcheck package is installed already (it would replace and then
# remove it).
set -euo pipefail
cd "$(dirname "$0")/.."
source_dir=$(pwd)
start=$SECONDS
work=$(mktemp -d)
installed=0
finish() {
  local rc=$?
  # A failure between install and purge must not leave the packages on the machine.
  if [ "$installed" = 1 ]; then
    apt_get purge mechcheck mechcheck-dev >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
  if [ "$rc" -eq 0 ]; then
    echo "package-roundtrip: passed in $((SECONDS - start)) s" >&2
  else
    echo "package-roundtrip: FAILED (exit $rc) after $((SECONDS - start)) s" >&2
  fi
}
trap finish EXIT
fail() {
  echo "package-roundtrip: $*" >&2
  exit 1
}
step_start=$SECONDS
step() {
  echo "package-roundtrip: $* ($((SECONDS - step_start)) s)" >&2
  step_start=$SECONDS
}
# Other apt users on the machine (another build's scripts/setup.sh) hold dpkg's lock for a while.
apt_get() {
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 -y -qq --no-install-recommends "$@"
}

if [ $# -gt 1 ]; then
  echo "usage: scripts/package_roundtrip.sh [BUILD_DIR]" >&2
  exit 2
fi
[ "$(id -u)" -eq 0 ] || fail "needs root (apt-get install and purge)"
for name in mechcheck mechcheck-dev; do
  if dpkg-query -W -f='${Status}' "$name" 2>/dev/null | grep -qv 'not-installed'; then
    fail "$name is installed already ($(dpkg-query -W -f='${Status}' "$name")); remove it first (apt-get purge $name)"
  fi
done

bash scripts/package.sh "${1:-}" "$work/packages" >"$work/debs"
mapfile -t debs <"$work/debs"
[ ${#debs[@]} -eq 2 ] || fail "scripts/package.sh made ${#debs[@]} packages, not 2"
runtime=${debs[0]}
dev=${debs[1]}
version=$(dpkg-deb -f "$runtime" Version)
step "built $(basename "$runtime") and $(basename "$dev")"

# What the packages must hold (a file missing here is the failure this stage exists for), as
# absolute paths without the root (the form dpkg -L prints, less its "/.").
contents() { dpkg-deb -c "$1" | awk '{print $6}' | sed 's|^\./|/|; s|/$||' | grep -v '^$'; }
contents "$runtime" >"$work/runtime.files"
contents "$dev" >"$work/dev.files"
for path in /usr/bin/mechcheck /usr/share/man/man1/mechcheck.1.gz \
  '/usr/lib/python3/dist-packages/mechcheck\.cpython-[0-9]+-x86_64-linux-gnu\.so' \
  /usr/lib/python3/dist-packages/mechcheck_protocol.py /usr/share/doc/mechcheck/README.md \
  /usr/share/doc/mechcheck/docs/protocol.md /usr/share/doc/mechcheck/examples/ci/CMakeLists.txt \
  /usr/share/doc/mechcheck/examples/external/chi2_pricing.py \
  /usr/share/doc/mechcheck/examples/scale-out/slurm-check.sh; do
  grep -Eqx "$path" "$work/runtime.files" || fail "$(basename "$runtime") has no $path"
done
for path in /usr/lib/cmake/mechcheck/mechcheckConfig.cmake /usr/lib/cmake/mechcheck/mechcheckTargets.cmake \
  /usr/lib/cmake/mechcheck/MechcheckCheck.cmake /usr/lib/libmechcheck_solver.a \
  /usr/include/mechcheck/solver/mechanism.hpp; do
  grep -qx "$path" "$work/dev.files" || fail "$(basename "$dev") has no $path"
done
depends=$(dpkg-deb -f "$runtime" Depends)
# dpkg-shlibdeps read the binaries: the C++ runtime and the numeric libraries are there.
for library in libc6 libstdc++6 libgmp10 libmpfr6 'python3 (>= '; do
  case "$depends" in *"$library"*) ;; *) fail "$(basename "$runtime") Depends lacks $library: $depends" ;; esac
done
case "$(dpkg-deb -f "$dev" Depends)" in *"mechcheck (= $version)"*) ;; *) fail "$(basename "$dev") does not depend on mechcheck (= $version)" ;; esac
# RapidCheck is for mechcheck's own tests: nothing installed may need it.
if dpkg-deb --fsys-tarfile "$dev" | tar -xO --wildcards './usr/lib/cmake/*' './usr/include/*' | grep -qi rapidcheck; then
  fail "$(basename "$dev") mentions RapidCheck"
fi
step "contents: $(wc -l <"$work/runtime.files") + $(wc -l <"$work/dev.files") paths as expected"

# Which of the packages' paths exist before the install (/usr, /usr/bin, …): the rest must be
# gone after the purge.
cat "$work/runtime.files" "$work/dev.files" | sort -u >"$work/all.files"
while read -r path; do
  if [ -e "$path" ]; then echo "$path"; fi
done <"$work/all.files" >"$work/preexisting"

installed=1
install_start=$SECONDS
apt_get install "$runtime" "$dev" >"$work/apt-install.log" 2>&1 || { cat "$work/apt-install.log" >&2; fail "apt-get install failed"; }
step "apt-get install in $((SECONDS - install_start)) s"

# Outside the source tree, with nothing of the build on the paths.
outside=$work/outside
mkdir -p "$outside"
cd "$outside"
unset PYTHONPATH
# Debian's interpreter, the one the package is for (not whatever python3 comes first on PATH).
python=/usr/bin/python3
doc=/usr/share/doc/mechcheck
[ "$(command -v mechcheck)" = /usr/bin/mechcheck ] || fail "mechcheck on PATH is $(command -v mechcheck), not /usr/bin/mechcheck"
[ "$(mechcheck --version)" = "mechcheck $version" ] || fail "mechcheck --version says '$(mechcheck --version)', the package is $version"

mechcheck verify --only prop-4.4-dsic,prop-4.4-ir,thm-4.2 --threads 2 --report verify.json >verify.out ||
  { cat verify.out >&2; fail "mechcheck verify failed"; }
header_version=$("$python" -c 'import json, sys; print(json.load(open(sys.argv[1]))["mechcheck_version"])' verify.json)
[ "$header_version" = "$version" ] || fail "the report header says mechcheck_version $header_version, the package is $version"
tail -n 1 verify.out >&2

# An external program in Python, importing mechcheck_protocol from dist-packages.
mechcheck check "$doc/examples/external/chi2-check.json" --instances 4 \
  --mechanism "$python $doc/examples/external/chi2_pricing.py" --report external.json >/dev/null ||
  fail "mechcheck check of the installed chi2_pricing.py failed"

cat >module_check.py <<'EOF'
"""The installed module: its version, and a callable mechanism with and without a bug."""
import os
import sys
import tempfile
from fractions import Fraction

import mechcheck
import mechcheck_protocol

version, doc = sys.argv[1], sys.argv[2]
assert mechcheck.__file__.startswith("/usr/lib/python3/dist-packages/"), mechcheck.__file__
assert mechcheck_protocol.__file__.startswith("/usr/lib/python3/dist-packages/"), mechcheck_protocol.__file__
assert mechcheck.__version__ == version, (mechcheck.__version__, version)
sys.path.insert(0, os.path.join(doc, "examples", "external"))
import chi2_pricing  # noqa: E402
import chi2_pricing_wrong_without_group as wrong  # noqa: E402

external = os.path.join(doc, "examples", "external")
right = mechcheck.check(os.path.join(external, "chi2-check.json"),
                        lambda profile: chi2_pricing.pricing(profile, Fraction(1, 4)), instances=4)
assert right["verdict"] == "holds", right["verdict"]
assert right["mechcheck_version"] == version, right["mechcheck_version"]
with tempfile.TemporaryDirectory() as witnesses:
    buggy = mechcheck.check(
        os.path.join(external, "bug-wrong-without-group-check.json"),
        lambda profile: chi2_pricing.pricing(profile, Fraction(1, 4),
                                             best_welfare_without=wrong.best_welfare_without),
        instances=3, witness_dir=witnesses)
    assert buggy["verdict"] == "violated", buggy["verdict"]
    assert os.listdir(witnesses), "no witness written"
print(f"python: mechcheck {mechcheck.__version__} from {os.path.dirname(mechcheck.__file__)}: "
      f"callable holds, buggy callable violated")
EOF
"$python" module_check.py "$version" "$doc" >&2 || fail "the Python module check failed (system python3)"
"$python" -m venv --without-pip --system-site-packages venv
venv/bin/python -c "import mechcheck, mechcheck_protocol; assert mechcheck.__version__ == '$version'" ||
  fail "import mechcheck failed in a venv made with --system-site-packages"
man_page=$(man -w mechcheck) || fail "man -w mechcheck found no page"
[ "$man_page" = /usr/share/man/man1/mechcheck.1.gz ] || fail "man -w mechcheck gives $man_page"
man -P cat mechcheck 2>/dev/null | grep -q -- '--witness-dir' || fail "the man page does not list check's options"
step "mechcheck --version, verify, an external Python program, the module (and in a venv), man"

# The downstream project as the package ships it, against /usr only.
cp -r "$doc/examples/ci" downstream
cmake -S downstream -B downstream-build -DCMAKE_BUILD_TYPE=Release >/dev/null
found=$(sed -n 's/^mechcheck_DIR:PATH=//p' downstream-build/CMakeCache.txt)
[ "$found" = /usr/lib/cmake/mechcheck ] || fail "examples/ci found mechcheck at '$found', not /usr/lib/cmake/mechcheck"
cmake --build downstream-build -j "$(nproc)" >/dev/null
ctest --test-dir downstream-build --output-on-failure -j "$(nproc)" >&2
step "examples/ci built against /usr and its CTest gate passed"

cd "$source_dir"
dpkg -L mechcheck mechcheck-dev | grep -vx -e '/\.' -e '' | sort -u >"$work/dpkg-L"
diff "$work/dpkg-L" "$work/all.files" >&2 || fail "dpkg -L differs from the packages' contents (above)"
purge_start=$SECONDS
apt_get purge mechcheck mechcheck-dev >"$work/apt-purge.log" 2>&1 || { cat "$work/apt-purge.log" >&2; fail "apt-get purge failed"; }
installed=0
left=()
while read -r path; do
  if [ -e "$path" ] && ! grep -qxF "$path" "$work/preexisting"; then left+=("$path"); fi
done <"$work/all.files"
for path in /usr/lib/python3/dist-packages/__pycache__/mechcheck*; do
  if [ -e "$path" ]; then left+=("$path"); fi
done
[ ${#left[@]} -eq 0 ] || fail "left after apt-get purge: ${left[*]}"
for name in mechcheck mechcheck-dev; do
  status=$(dpkg-query -W -f='${Status}' "$name" 2>/dev/null || true)
  case "$status" in '' | *not-installed) ;; *) fail "dpkg still knows $name: $status" ;; esac
done
step "apt-get purge in $((SECONDS - purge_start)) s: none of the $(wc -l <"$work/dpkg-L") installed paths is left"
