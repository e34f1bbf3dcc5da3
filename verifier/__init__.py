"""verifier: offline claim verification."""
