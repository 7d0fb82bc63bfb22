"""Authorization matrix entries for the deputies imports pages."""

MATRIX = {}
