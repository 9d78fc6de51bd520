#!/usr/bin/env bash
# The main job from a fresh machine: set up, build, run `mechcheck verify`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh >/dev/null
exec ./build/mechcheck verify "$@"
