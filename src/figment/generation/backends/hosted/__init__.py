"""Hosted video backends: someone else's model behind an HTTP API (docs/MODELS.md, "Hosted backends").

Each module here imports its client library (httpx2, google-genai: the `hosted` extra) only when it
renders, so `make run` needs none of them; `availability(settings)` says what is missing.
"""
