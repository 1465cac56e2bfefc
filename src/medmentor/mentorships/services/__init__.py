"""Writes: each subdomain has its module (lifecycle, agreement, goals, meetings, ...)."""
