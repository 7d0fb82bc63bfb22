"""Authorization matrix entries for the suggestions supervision pages."""

MATRIX = {}
