"""Balsis: residents' proposals to themes, an SVID table and priorities."""

from __future__ import annotations

import os

# torch and scikit-learn each bring an OpenMP runtime; with the default busy-waiting the two
# fight over the cores and sentence embedding runs about ten times slower. Passive waiting
# must be set before either library starts its runtime, so it is set on importing Balsis.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

__version__ = "0.1.0"
