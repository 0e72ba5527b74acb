"""Loading the pipeline from its config, and fingerprinting it for provenance."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib import resources
from pathlib import Path

import spacy
from spacy.language import Language

import nlp.components  # noqa: F401 - registers the kp_* factories
from nlp.pipeline_errors import PipelineError

DEFAULT_CONFIG = Path(str(resources.files("nlp").joinpath("config.cfg")))
PIPELINE_VERSION = "0.1"
# spaCy's default limit (1M characters) protects parsers' memory; this pipeline has no
# parser, and a researcher's file (a whole annual report pasted as text) may be longer.
MAX_LENGTH = 20_000_000


@lru_cache(maxsize=4)
def load(config_path: str | Path | None = None) -> Language:
    """The analyser, built from config_path (default: nlp/config.cfg) and initialised."""
    path = Path(config_path) if config_path else DEFAULT_CONFIG
    try:
        config = spacy.util.load_config(path, interpolate=False)
        nlp = spacy.util.load_model_from_config(config, auto_fill=True, validate=True)
        nlp.initialize()
        nlp.max_length = MAX_LENGTH
    except (OSError, ValueError) as e:
        raise PipelineError(f"cannot load the pipeline from {path}: {e}".splitlines()[0]) from None
    return nlp


def fingerprint(nlp: Language) -> str:
    """A hash of everything that decides the findings: config, rule data and component code.

    Stored with every extraction run, so `extract` knows which documents were
    analysed by a different pipeline.
    """
    h = hashlib.sha256(nlp.config.to_str().encode("utf-8"))
    root = Path(str(resources.files("nlp")))
    for f in sorted(root.rglob("*")):
        if (
            f.is_file()
            and f.suffix in {".py", ".csv", ".json", ".jsonl", ".txt", ".cfg"}
            and "__pycache__" not in f.parts
        ):
            h.update(f.relative_to(root).as_posix().encode())
            h.update(f.read_bytes())
    return h.hexdigest()[:16]
