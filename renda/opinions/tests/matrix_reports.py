"""Authorization matrix entries for the opinions reports pages."""

MATRIX = {}
