"""`python -m verifier`."""

from __future__ import annotations

from verifier.cli import main

main()
