"""Authorization matrix entries for the duties API."""

MATRIX = {}
