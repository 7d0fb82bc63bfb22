"""Authorization matrix entries for the deputies roster pages."""

MATRIX = {}
