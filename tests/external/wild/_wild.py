"""Makes python/mechcheck_protocol.py importable for the programs of this folder, which are
written the way public auction code is written (a few lines of glue over the protocol)."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, os.pardir,
                                os.pardir, "python"))
