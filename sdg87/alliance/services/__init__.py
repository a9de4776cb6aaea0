"""Writes to the Alliance 8.7 tables: `bundled` (the data loads), and the contributions'
workflows in the modules beside it."""
