"""Authorization matrix entries for the archive pages."""

MATRIX = {}
