"""Fuzz tests (issue 7 item 12), run by `make fuzz`, not by `make test`: see strategies.py."""
