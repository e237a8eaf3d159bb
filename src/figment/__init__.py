"""Figment: an open short-video social network of prompt-generated clips with consent for every face."""

__version__ = "0.1.0"
