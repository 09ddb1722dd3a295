"""Output formats: one small module per format, none of them recomputing anything."""
