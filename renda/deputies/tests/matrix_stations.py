"""Authorization matrix entries for the deputies stations pages."""

MATRIX = {}
