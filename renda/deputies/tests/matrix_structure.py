"""Authorization matrix entries for the deputies structure pages."""

MATRIX = {}
