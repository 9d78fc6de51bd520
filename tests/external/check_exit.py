"""`mechcheck check CONFIG` with an expected exit code, for CTest (tests/CMakeLists.txt).

    check_exit.py MECHCHECK CONFIG EXPECTED_EXIT [--replay]

Runs in the current directory (the repository root: configs name their programs relative to it),
writes witnesses and the report to a fresh temporary directory, and fails unless the exit code is
EXPECTED_EXIT and the report's verdicts agree with it (0: every property holds; 1: a violation
with a witness). With --replay, every witness must be written and `mechcheck replay` must
reproduce it (exit 1, "reproduced": true, the recorded gain).
"""
import json
import os
import subprocess
import sys
import tempfile


def main(mechcheck, config, expected, replay):
    with tempfile.TemporaryDirectory(prefix="mechcheck-check-exit-") as work:
        witnesses, report = os.path.join(work, "witnesses"), os.path.join(work, "report.json")
        done = subprocess.run([mechcheck, "check", config, "--witness-dir", witnesses,
                               "--report", report], capture_output=True, text=True, timeout=600)
        print(done.stdout, end="")
        print(done.stderr, end="", file=sys.stderr)
        if done.returncode != expected:
            return f"mechcheck check {config}: exit {done.returncode}, expected {expected}"
        verdicts = {result["verdict"] for result in json.load(open(report))["results"]}
        if expected == 0 and verdicts != {"holds"}:
            return f"exit 0 but the report has verdicts {sorted(verdicts)}"
        files = sorted(os.listdir(witnesses)) if os.path.isdir(witnesses) else []
        if expected == 1 and ("violated" not in verdicts or not files):
            return f"exit 1 but verdicts {sorted(verdicts)} and {len(files)} witness files"
        if replay:
            for name in files:
                witness = json.load(open(os.path.join(witnesses, name)))
                again = subprocess.run([mechcheck, "replay", os.path.join(witnesses, name)],
                                       capture_output=True, text=True, timeout=120)
                if again.returncode != 1:
                    return f"replay {name}: exit {again.returncode}, expected 1\n{again.stderr}"
                result = json.loads(again.stdout)
                quantity = "gain" if witness["property"] == "dsic" else None
                if not result["reproduced"] or (quantity and result[quantity] != witness[quantity]):
                    return f"replay {name} did not reproduce the witness: {again.stdout}"
            print(f"{len(files)} witnesses replayed")
    return None


if __name__ == "__main__":
    arguments = [a for a in sys.argv[1:] if a != "--replay"]
    if len(arguments) != 3:
        sys.exit(__doc__)
    problem = main(arguments[0], arguments[1], int(arguments[2]), "--replay" in sys.argv[1:])
    if problem:
        sys.exit("check_exit.py: " + problem)
