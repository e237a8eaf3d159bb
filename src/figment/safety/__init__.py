"""Safety: prompt moderation, public figures, output nudity check, quotas and rate limits."""
