"""Authorization matrix entries for the entries pages."""

MATRIX = {}
