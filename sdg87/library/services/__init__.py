"""Writes of the library: one module per concern (bundled records, review, files)."""
