"""Authorization matrix entries for the suggestions workspace pages."""

MATRIX = {}
