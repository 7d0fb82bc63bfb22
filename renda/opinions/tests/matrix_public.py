"""Authorization matrix entries for the opinions public pages."""

MATRIX = {}
