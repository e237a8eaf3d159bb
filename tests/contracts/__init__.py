"""Contract tests: one rule book per seam, run against every implementation of it.

Each `test_<seam>.py` holds a `<Seam>Contract` class (the rules, written once, in the manner of
diffusers' pipeline tester mixins) and one small `Test<Implementation>(<Seam>Contract)` subclass per
implementation, which only says how to build a tiny real instance and declares what the
implementation honestly is (for example, whether a backend is seeded).

A new implementation joins a contract by adding one subclass, in that file or in its own test module:

    from contracts.test_blob_store import BlobStoreContract

    class TestS3BlobStore(BlobStoreContract):
        def make_store(self, tmp_path):
            return S3BlobStore(bucket=..., prefix=f"test-{uuid4().hex}/")

The contract class is abstract (`abc.ABC`): a subclass that forgets a factory fails loudly instead of
being skipped. Rules that hold only for some implementations live in a narrower contract that those
join instead (a store whose writes can fail half-way joins `InterruptibleBlobStoreContract`); read each
contract's docstring for its hooks. A subclass that needs a GPU or a service
carries the marker and skips like any other such test (see tests/conftest.py for Redis and PostgreSQL).

Seams and contracts:
- `generation.types.Backend`            -> `test_backend.BackendContract`
- `storage.base.BlobStore`              -> `test_blob_store.BlobStoreContract`
- `feed.cache.FeedCache`                -> `test_feed_cache.FeedCacheContract`
- `embeddings.Embedder`                 -> `test_embedder.EmbedderContract`
"""
