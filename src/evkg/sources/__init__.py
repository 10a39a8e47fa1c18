"""Readers: each source turns raw input into typed claims with evidence (``sources/<name>/``)."""
