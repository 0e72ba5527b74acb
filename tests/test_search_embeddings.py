"""The embedding model: offline default, normalised float32 vectors, the model as a setting, clear errors."""

from __future__ import annotations

import numpy as np
import pytest

from nlp.embeddings import (
    DEFAULT_MODEL,
    MODEL_ENV,
    EmbeddingError,
    configured_model,
    load_embedder,
    model_setting,
)


@pytest.fixture(scope="session")
def embedder():
    return load_embedder()


def test_default_model_loads_offline_and_gives_unit_float32_vectors(embedder):
    vectors = embedder.encode(["Kommunen satsar på trygghetskameror.", "Läxhjälp på biblioteket.", ""])
    assert embedder.name == DEFAULT_MODEL
    assert vectors.dtype == np.float32
    assert vectors.shape == (3, embedder.dimension) == (3, 384)
    assert np.allclose(np.linalg.norm(vectors[:2], axis=1), 1.0, atol=1e-5)


def test_vectors_keep_input_order_across_chunks(embedder):
    texts = [f"Mening nummer {i} om skolan." for i in range(7)]
    together = embedder.encode(texts, chunk=3)
    alone = np.stack([embedder.encode([t])[0] for t in texts])
    assert np.allclose(together, alone, atol=1e-5)


def test_progress_is_reported_per_chunk(embedder):
    seen: list[int] = []
    embedder.encode(["a b c d"] * 5, on_progress=seen.append, chunk=2)
    assert seen == [2, 2, 1]


def test_similar_meaning_is_closer(embedder):
    q = embedder.encode_queries(["trygghetskameror i centrum"])[0]
    near, far = embedder.encode(["Kommunen sätter upp fler trygghetskameror.", "Budgeten omsluter 2,3 miljarder."])
    assert q @ near > q @ far


def test_model_setting_order_option_env_config_default(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(MODEL_ENV, raising=False)
    monkeypatch.delenv("KOMMUNPRESS_CONFIG", raising=False)
    assert model_setting() is None
    assert configured_model() == DEFAULT_MODEL
    (tmp_path / "kommunpress.toml").write_text('[embeddings]\nmodel = "from/config"\n', encoding="utf-8")
    assert configured_model() == "from/config"
    monkeypatch.setenv(MODEL_ENV, "from/env")
    assert configured_model() == "from/env"
    assert configured_model("from/option") == "from/option"
    assert configured_model("all-MiniLM-L6-v2") == DEFAULT_MODEL  # an alias of the bundled model


def test_broken_config_file_is_one_clear_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(MODEL_ENV, raising=False)
    (tmp_path / "kommunpress.toml").write_text("[embeddings\nmodel = ", encoding="utf-8")
    with pytest.raises(EmbeddingError, match=r"cannot read kommunpress.toml"):
        configured_model()


def test_unknown_model_offline_is_one_line_not_a_traceback():
    with pytest.raises(EmbeddingError) as info:
        load_embedder("no-such-user/no-such-model")
    message = str(info.value)
    assert "\n" not in message
    assert "no-such-user/no-such-model" in message and "offline" in message.lower()
