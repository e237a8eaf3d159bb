"""Description vectors: what a work's description means, for prompts that describe a work without naming it.

Made with the app's one embedder (services.build_services), which the registry passes in when a work
is stored and the screening index uses for prompts.
"""

from __future__ import annotations

import numpy as np

from figment.embeddings import Embedder

# Fewer words than this say too little to match a prompt on meaning alone.
MIN_WORDS = 4


def has_meaning(description: str) -> bool:
    return len(description.split()) >= MIN_WORDS


def description_vector(text: str, *, embedder: Embedder) -> bytes | None:
    """What a work stores: its description's embedding as float32 bytes (None when too short to mean much)."""
    if not has_meaning(text):
        return None
    return bytes(embedder.embed([text])[0].astype(np.float32).tobytes())
