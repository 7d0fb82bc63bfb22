"""Authorization matrix entries for the points pages."""

MATRIX = {}
