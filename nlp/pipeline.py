"""Loading the pipeline from its config, and fingerprinting it for provenance."""

from __future__ import annotations

import ast
import gc
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
    """The analyser, built from config_path (default: nlp/config.cfg) and initialised.

    Once it is loaded, everything in memory (the pipeline's lexicons and patterns, and the
    ~220,000 objects of torch, which thinc imports with spaCy) lives as long as the process.
    gc.freeze() takes them out of the cyclic garbage collector's view: otherwise each full
    collection during a long `extract` walks them all again (about 0.2 s per collection,
    some 5% of the pipeline's time; benchmarks/analyze.py).
    """
    path = Path(config_path) if config_path else DEFAULT_CONFIG
    try:
        config = spacy.util.load_config(path, interpolate=False)
        nlp = spacy.util.load_model_from_config(config, auto_fill=True, validate=True)
        nlp.initialize()
        nlp.max_length = MAX_LENGTH
    except (OSError, ValueError) as e:
        raise PipelineError(f"cannot load the pipeline from {path}: {e}".splitlines()[0]) from None
    gc.freeze()
    return nlp


def _imported_nlp_modules(root: Path) -> list[Path]:
    """The nlp/ source files the components depend on, found by reading their imports.

    Search, dedup and evaluation code also live in nlp/, but changing them does not
    change what extract finds, so it must not make every document stale.
    """
    todo = [*sorted((root / "components").glob("*.py")), root / "record.py", root / "extensions.py"]
    seen: set[Path] = set()
    while todo:
        path = todo.pop()
        if path in seen or not path.exists():
            continue
        seen.add(path)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
            for name in names:
                if name == "nlp" or name.startswith("nlp."):
                    parts = name.split(".")[1:]
                    todo += [root.joinpath(*parts).with_suffix(".py"), root.joinpath(*parts, "__init__.py")]
    return sorted(seen)


def fingerprint(nlp: Language) -> str:
    """A hash of everything that decides the findings: config, rule data and component code.

    Stored with every extraction run, so `extract` knows which documents were
    analysed by a different pipeline.
    """
    root = Path(str(resources.files("nlp")))
    data = [f for d in ("data", "patterns") for f in sorted((root / d).rglob("*")) if f.is_file()]
    h = hashlib.sha256(nlp.config.to_str().encode("utf-8"))
    for f in _imported_nlp_modules(root) + data:
        h.update(f.relative_to(root).as_posix().encode())
        h.update(f.read_bytes())
    return h.hexdigest()[:16]
