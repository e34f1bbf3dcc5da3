"""Training of the verdict model (a MiniLM cross-encoder with a 3-way head). Not imported at run time."""
