"""Helpers that build realistic test inputs (recordings, capture files) from real public test data."""
