#!/usr/bin/env bash
# Section 5 in miniature: Figure 2's panels (group 0's valuation, payment and utility against
# the size factor α and the mixing weight β) on a Rewarded-Soups Θ′ (KL, λ = 1, 49 mixtures,
# rewarded-soups-kl.json's rewards) for sizes (3, 7), (5, 5) and (7, 3), under p^AFF (the soups
# rebuilt from the others' reports), Heuristic 1 (ψ(rm₋ᵢ) from the main run's own Θ′) and
# Heuristic 2 (one mirror-descent step on the others' reports).
#   bash examples/finite-training/figure-2.sh [OUT_DIR]   (MECHCHECK=path/to/mechcheck)
# Writes OUT_DIR/<payment>-<w1>-<w2>.{svg,csv}; the SVGs need gnuplot.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
mechcheck="${MECHCHECK:-$here/../../build/mechcheck}"
out="${1:-figure-2}"
mkdir -p "$out"
alphas="0.5,0.75,1,1.25,1.5,2"
betas="0.5,0.75,0.9,1,1.05,1.09"
for sizes in "3 7" "5 5" "7 3"; do
  set -- $sizes
  for payment in affine-maximizer heuristic-1 heuristic-2; do
    instance="$out/$payment-$1-$2.json"
    python3 - "$here/rewarded-soups-kl.json" "$instance" "$payment" "$1" "$2" <<'PY'
import json, sys
source, target, payment, w1, w2 = sys.argv[1:]
instance = json.load(open(source))
instance["groups"][0]["size"], instance["groups"][1]["size"] = int(w1), int(w2)
instance["payment"] = {"type": payment}
if payment == "heuristic-2":
    instance["payment"]["trainer"] = {"method": "mirror-descent", "steps": 1, "step_size": "1/2"}
json.dump(instance, open(target, "w"), indent=1)
PY
    "$mechcheck" experiment strategies "$instance" --group 0 --alpha "$alphas" --beta "$betas" \
      --format csv > "$out/$payment-$1-$2.csv"
    if command -v gnuplot > /dev/null; then
      "$mechcheck" experiment strategies "$instance" --group 0 --alpha "$alphas" --beta "$betas" \
        --plot "$out/$payment-$1-$2.svg" > /dev/null
    fi
  done
done
echo "wrote $out/"
