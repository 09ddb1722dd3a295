"""Package data: the standard taxonomy name list (see scripts/build_standard_concepts.py)."""
