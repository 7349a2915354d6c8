"""Hypothesis profile for the fuzz tests: small by default, set per test (not globally).

``LAGEBILD_FUZZ_EXAMPLES=N`` raises the examples per property for a longer run;
bench/fuzz.py runs the same properties with far more examples.
"""

from __future__ import annotations

import os

from fuzzprops import register_profiles

register_profiles(int(os.environ.get("LAGEBILD_FUZZ_EXAMPLES", "50")))
