"""Caches are keyed by everything they depend on: a stale cache never degrades a result."""

from __future__ import annotations

from pathlib import Path

import pytest

from evkg.sources.fetch import load_cached
from evkg.vocab import Lexicon, Vocabulary, load_vocabulary


def test_a_cached_value_is_rebuilt_when_its_kind_or_input_changes(tmp_path: Path) -> None:
    source = tmp_path / "input.txt"
    source.write_text("one")
    calls: list[str] = []

    def build(tag: str) -> str:
        calls.append(tag)
        return tag

    assert load_cached("kind-a", [source], lambda: build("a"), tmp_path, str) == "a"
    assert load_cached("kind-a", [source], lambda: build("again"), tmp_path, str) == "a"
    assert load_cached("kind-b", [source], lambda: build("b"), tmp_path, str) == "b"
    source.write_text("two, longer")
    assert load_cached("kind-a", [source], lambda: build("c"), tmp_path, str) == "c"
    assert calls == ["a", "b", "c"]


def test_vocabularies_carry_what_they_were_built_from() -> None:
    compact = load_vocabulary()
    assert compact.fingerprint.startswith("compact-")
    assert Vocabulary(Lexicon()).fingerprint != compact.fingerprint


def test_analysis_resources_are_keyed_by_the_vocabulary(tmp_path: Path, data_dir: Path) -> None:
    """The target table built over the compact lexicon never serves the full one."""
    from evkg.api.analysis import load_resources

    compact = load_vocabulary()
    small = Vocabulary(Lexicon.from_entries([]), "empty-vocabulary")
    first = load_resources(small, data_dir, collections=("reactome",), cache_dir=tmp_path)
    second = load_resources(compact, data_dir, collections=("reactome",), cache_dir=tmp_path)
    caches = sorted(p.name for p in tmp_path.glob("analysis-resources-*"))
    assert len(caches) == 2
    assert first is not second


def test_the_compact_lexicon_is_read_back_from_its_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from evkg.vocab.compact import compact_lexicon

    monkeypatch.setenv("EVKG_CACHE_DIR", str(tmp_path))
    compact_lexicon.cache_clear()
    built = compact_lexicon()
    (written,) = tmp_path.glob("compact-lexicon-*.pickle")
    compact_lexicon.cache_clear()
    read = compact_lexicon()
    compact_lexicon.cache_clear()
    assert read is not built
    assert read.entries == built.entries
    assert written.stat().st_size > 0
