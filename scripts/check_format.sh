#!/usr/bin/env bash
# Fails when any tracked C++ file differs from clang-format's output (.clang-format at the root);
# prints the files and the command that fixes them. Templates (*.cpp.in) are not C++ yet.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v clang-format >/dev/null || bash scripts/setup.sh
mapfile -t files < <(git ls-files '*.cpp' '*.hpp' '*.h')
unformatted=()
for file in "${files[@]}"; do
  if ! clang-format --dry-run --Werror "$file" >/dev/null 2>&1; then unformatted+=("$file"); fi
done
if [ ${#unformatted[@]} -ne 0 ]; then
  echo "clang-format: ${#unformatted[@]} file(s) not formatted:" >&2
  printf '  %s\n' "${unformatted[@]}" >&2
  echo "fix: clang-format -i ${unformatted[*]}" >&2
  exit 1
fi
echo "clang-format: ${#files[@]} files clean" >&2
