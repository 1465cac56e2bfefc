"""Thin views: each goes through ``get_mentorship_for`` and calls a service."""
