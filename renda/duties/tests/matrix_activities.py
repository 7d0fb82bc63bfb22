"""Authorization matrix entries for the activities pages."""

MATRIX = {}
