"""Time travel over releases (as of a date, every vintage) and release comparison (issue 14)."""
