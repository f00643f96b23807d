"""Benchmarks: retrieval and answer quality, a peer baseline, indexing speed, vector-search
scale and (when present) HTTP load. ``python -m bench`` runs them and writes RESULTS.md.

Benchmarks measure; they never assert. Tests stay free of timing (see tests/).
"""
