"""Shared fixtures: locations of the reference data and the founding review, and stores."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from evkg.api import Knowledge, build_curated_bundle
from evkg.store import SqlStore
from evkg.vocab import load_vocabulary

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


def reference_data_dir() -> Path | None:
    """``EVKG_DATA_DIR`` or ``../shared/data`` when present."""
    explicit = os.environ.get("EVKG_DATA_DIR")
    candidate = Path(explicit) if explicit else SHARED / "data"
    return candidate if (candidate / "hgnc").is_dir() else None


def seed_review() -> Path | None:
    path = SHARED / "seed" / "000_b03c4da1d36fef63.txt"
    return path if path.is_file() else None


@pytest.fixture(scope="session")
def data_dir() -> Path:
    found = reference_data_dir()
    if found is None:
        pytest.skip("reference data not found: set EVKG_DATA_DIR or place it at ../shared/data")
    return found


@pytest.fixture(scope="session")
def review_text() -> str:
    path = seed_review()
    if path is None:
        pytest.skip("the founding review text is not at ../shared/seed (needed to check quotes)")
    return path.read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def _isolated_user_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """Never touch the real user config; keep caches per test session."""
    home = tmp_path_factory.getbasetemp() / "home"
    monkeypatch.setenv("EVKG_CONFIG", str(home / "config.toml"))
    monkeypatch.setenv("EVKG_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "cache"))
    monkeypatch.delenv("EVKG_DATABASE_URL", raising=False)
    monkeypatch.delenv("EVKG_DATA_DIR", raising=False)
    return


@pytest.fixture(scope="module")
def curated_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SqlStore]:
    """A SQLite store holding the shipped curated knowledge, one per test module."""
    instance = SqlStore(f"sqlite:///{tmp_path_factory.mktemp('curated') / 'evkg.sqlite'}")
    instance.initialise()
    instance.load(build_curated_bundle())
    yield instance
    instance.dispose()


@pytest.fixture(scope="module")
def curated_knowledge(curated_store: SqlStore) -> Knowledge:
    return Knowledge(curated_store, load_vocabulary())
