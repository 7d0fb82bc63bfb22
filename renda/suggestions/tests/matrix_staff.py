"""Authorization matrix entries for the suggestions staff pages."""

MATRIX = {}
