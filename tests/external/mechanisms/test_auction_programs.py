"""The auction programs people write (position_vcg.py, gsp.py, reserve_second_price.py) answer
the hand-computed examples of tests/mechanisms/position_auction_test.cpp, over the protocol (no
mechcheck needed): slots of click-through rates 3, 2, 1 and bids (10, 4, 8, 6, 2); a reserve of 5.

Run: /usr/bin/python3 -m unittest discover -s tests/external/mechanisms
"""
import json
import os
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
PYTHON = sys.executable or "/usr/bin/python3"


def answers(script, parameters, profiles):
    """Starts the program, sends init and one run request; its results."""
    requests = [{"type": "init", "protocol": 1, "family": "multi-unit-auction",
                 "parameters": parameters},
                {"type": "run", "id": 1, "profiles": profiles}]
    done = subprocess.run([PYTHON, os.path.join(HERE, script)], cwd=HERE, timeout=60, check=True,
                          input="".join(json.dumps(r) + "\n" for r in requests),
                          capture_output=True, text=True)
    init_ok, run_ok = (json.loads(line) for line in done.stdout.splitlines())
    assert init_ok["type"] == "init_ok", init_ok
    assert run_ok["type"] == "run_ok" and run_ok["in_reply_to"] == 1, run_ok
    return run_ok["results"]


SLOTS = {"units": 3, "slot_weights": ["3", "2", "1"]}
BIDS = {"bids": ["10", "4", "8", "6", "2"]}


class PositionAuctions(unittest.TestCase):
    def test_vcg_charges_the_clicks_taken_from_the_bidders_below(self):
        # Slot 3: 1*4; slot 2: (2-1)*6 + 4; slot 1: (3-2)*8 + 10.
        self.assertEqual(answers("position_vcg.py", SLOTS, [BIDS]),
                         [{"selected": [0, 2, 3], "payments": ["18", "0", "10", "4", "0"]}])

    def test_gsp_charges_each_slot_the_next_bid_per_click(self):
        self.assertEqual(answers("gsp.py", SLOTS, [BIDS]),
                         [{"selected": [0, 2, 3], "payments": ["24", "0", "12", "4", "0"]}])

    def test_two_slots_with_a_tie_go_to_the_lower_index(self):
        two = {"units": 2, "slot_weights": ["2", "1"]}
        tie = {"bids": ["5", "5", "1"]}
        self.assertEqual(answers("gsp.py", two, [tie]),
                         [{"selected": [0, 1], "payments": ["10", "1", "0"]}])
        self.assertEqual(answers("position_vcg.py", two, [tie]),
                         [{"selected": [0, 1], "payments": ["6", "1", "0"]}])


class ReservePrice(unittest.TestCase):
    def test_the_winner_pays_the_larger_of_reserve_and_second_bid(self):
        parameters = {"units": 1, "options": {"reserve": "5"}}
        profiles = [{"bids": ["9", "2", "3"]}, {"bids": ["9", "7", "3"]},
                    {"bids": ["1", "2", "3"]}, {"bids": ["5", "2", "3"]}]
        self.assertEqual(answers("reserve_second_price.py", parameters, profiles),
                         [{"selected": [0], "payments": ["5", "0", "0"]},
                          {"selected": [0], "payments": ["7", "0", "0"]},
                          {"selected": [], "payments": ["0", "0", "0"]},
                          {"selected": [0], "payments": ["5", "0", "0"]}])

    def test_without_a_reserve_it_is_the_second_price_auction(self):
        self.assertEqual(answers("reserve_second_price.py", {"units": 1}, [{"bids": ["1", "7", "3"]}]),
                         [{"selected": [1], "payments": ["0", "3", "0"]}])


if __name__ == "__main__":
    unittest.main()
