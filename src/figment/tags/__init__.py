"""Hashtags: `#tags` in prompts, the clips they name, and the tag page (/tag/{name})."""
