"""Rights registry: holders, works, screening of prompts and frames, takedowns (issue #5)."""
