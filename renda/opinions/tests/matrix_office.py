"""Authorization matrix entries for the opinions office pages."""

MATRIX = {}
