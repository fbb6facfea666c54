"""Measured figures for docs/: speed, normalisation, themes against other tools."""
