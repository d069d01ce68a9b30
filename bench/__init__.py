"""make bench and make audit: measurements of the built essay (see bench/__main__.py, bench/audit.py)."""
