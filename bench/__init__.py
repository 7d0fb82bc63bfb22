"""Benchmark of Renda: scale data, load scenarios and the report (`make bench`)."""
