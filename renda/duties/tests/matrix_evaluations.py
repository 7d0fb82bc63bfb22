"""Authorization matrix entries for the evaluations pages."""

MATRIX = {}
