"""SDMX REST out (2.x and 1.x URL spaces) and SDMX in (issue 14)."""
