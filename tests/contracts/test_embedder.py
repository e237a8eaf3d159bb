"""The Embedder contract (embeddings): unit float32 rows of the declared width, deterministic, batch-free."""

from __future__ import annotations

import abc

import numpy as np
import pytest

from figment.embeddings import Embedder, HashEmbedder, UseEmbedder

TEXTS = [
    "a chef cooking pasta in a kitchen",
    "un gatto che salta sul divano",
    "猫がソファに飛び乗る",
    "fireworks over the harbour 🎆🎆",
    "Storm",
    "a long prompt " + "with many words " * 60,
]


class EmbedderContract(abc.ABC):
    """The rules every Embedder keeps. A subclass builds one instance (`make_embedder`), shared by the
    class's tests because a real model takes a second or two to load."""

    @classmethod
    @abc.abstractmethod
    def make_embedder(cls) -> Embedder: ...

    @pytest.fixture(scope="class")
    @classmethod
    def embedder(cls) -> Embedder:
        return cls.make_embedder()

    def test_name_and_width_are_declared(self, embedder: Embedder) -> None:
        assert isinstance(embedder.name, str) and embedder.name
        assert isinstance(embedder.dim, int) and embedder.dim > 0

    def test_rows_are_unit_float32_of_shape_n_by_dim(self, embedder: Embedder) -> None:
        rows = embedder.embed(TEXTS)
        assert isinstance(rows, np.ndarray) and rows.dtype == np.float32
        assert rows.shape == (len(TEXTS), embedder.dim)
        assert np.isfinite(rows).all()
        np.testing.assert_allclose(np.linalg.norm(rows, axis=1), 1.0, atol=1e-5)

    def test_no_texts_give_no_rows(self, embedder: Embedder) -> None:
        rows = embedder.embed([])
        assert rows.shape == (0, embedder.dim) and rows.dtype == np.float32

    def test_texts_without_words_still_give_unit_rows(self, embedder: Embedder) -> None:
        rows = embedder.embed(["", "   ", "!!!"])
        assert rows.shape == (3, embedder.dim) and np.isfinite(rows).all()
        np.testing.assert_allclose(np.linalg.norm(rows, axis=1), 1.0, atol=1e-5)

    def test_the_same_texts_give_the_same_rows(self, embedder: Embedder) -> None:
        assert np.array_equal(embedder.embed(TEXTS), embedder.embed(TEXTS))

    def test_a_batch_equals_its_texts_one_by_one(self, embedder: Embedder) -> None:
        batch = embedder.embed(TEXTS)
        single = np.concatenate([embedder.embed([text]) for text in TEXTS])
        np.testing.assert_allclose(batch, single, atol=1e-5)
        reversed_batch = embedder.embed(TEXTS[::-1])
        np.testing.assert_allclose(reversed_batch[::-1], batch, atol=1e-5)


class TestUseEmbedder(EmbedderContract):
    @classmethod
    def make_embedder(cls) -> Embedder:
        return UseEmbedder()


class TestHashEmbedder(EmbedderContract):
    @classmethod
    def make_embedder(cls) -> Embedder:
        return HashEmbedder()
