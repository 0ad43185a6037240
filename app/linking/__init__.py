"""Linking engine: which origin claims each sentence of a derivative article carries."""

from app.linking.encoder import (
    CachingEncoder,
    Encoder,
    MemoryStore,
    UniversalSentenceEncoder,
    default_encoder,
    text_hash,
)
from app.linking.match import (
    ClaimText,
    Exemplar,
    LinkParams,
    LinkResult,
    Reading,
    SentenceText,
    link_sentences,
)

__all__ = [
    "CachingEncoder",
    "ClaimText",
    "Encoder",
    "Exemplar",
    "LinkParams",
    "LinkResult",
    "MemoryStore",
    "Reading",
    "SentenceText",
    "UniversalSentenceEncoder",
    "default_encoder",
    "link_sentences",
    "text_hash",
]
