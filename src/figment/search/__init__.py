"""Search (people, clips by meaning, tags), the rules every public listing shares, and Discover."""
