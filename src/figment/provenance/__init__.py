"""Provenance: content credentials (C2PA) on every file, and the public check of a file's origin."""
