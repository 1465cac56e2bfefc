"""Profiles, the medical taxonomy, reporting lines, blocks and mentor search."""
