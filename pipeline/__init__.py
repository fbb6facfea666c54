"""Balsis: residents' proposals to themes, an SVID table and priorities."""

from __future__ import annotations

__version__ = "0.1.0"
