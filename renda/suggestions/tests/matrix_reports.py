"""Authorization matrix entries for the suggestions reports pages."""

MATRIX = {}
