"""YAML and JSON record files are bounded before they allocate: aliases that would expand
into per-use copies, and nesting deep enough to exhaust recursion, are refused with the file
and line; peak memory stays far below what the expansion would cost."""

from __future__ import annotations

import contextlib
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from evkg.api.qc import load_preparation
from evkg.model import CuratedReference
from evkg.recordfiles import MAX_EXPANDED_CHARS, RecordFileError, load_yaml, read_records
from evkg.store import SqlStore
from evkg.vocab import load_vocabulary
from evkg.web import create_app

#: One 40 KB string used 2,000 times: 80 MB once each use is its own (stripped) copy.
_ALIASES = 2_000
_LONG = " " + "x" * 40_000 + " "


def alias_bomb() -> str:
    uses = ", ".join(["*big"] * _ALIASES)
    return (
        f"id: lot-1\nsource_cells:\n  species: human\n  preconditioning: [&big '{_LONG}', {uses}]\n"
    )


def peak_bytes(action: Callable[[], object]) -> int:
    tracemalloc.start()
    try:
        with contextlib.suppress(RecordFileError):
            action()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_alias_expansion_is_refused_within_a_few_megabytes(tmp_path: Path) -> None:
    path = tmp_path / "lot.yaml"
    path.write_text(alias_bomb(), encoding="utf-8")
    with pytest.raises(RecordFileError, match="aliases") as caught:
        load_preparation(path)
    assert str(caught.value).startswith(str(path))
    # the expansion would be 80 MB of copies; refusing it costs the parse of 120 KB
    assert peak_bytes(lambda: load_preparation(path)) < 16 * 1024 * 1024


def test_a_few_aliases_are_still_read(tmp_path: Path) -> None:
    path = tmp_path / "lot.yaml"
    path.write_text(
        "id: lot-1\nsource_cells:\n  species: human\n"
        "  preconditioning: [&h 'hypoxia 1% O2 48 h', *h]\n",
        encoding="utf-8",
    )
    assert load_preparation(path).record.source_cells.preconditioning == (
        "hypoxia 1% O2 48 h",
        "hypoxia 1% O2 48 h",
    )


def test_billion_laughs_is_measured_without_expanding() -> None:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{k}: &a{k} [{', '.join([f'*a{k - 1}'] * 10)}]" for k in range(1, 10)]
    with pytest.raises(RecordFileError, match="expand to over") as caught:
        load_yaml("\n".join(lines) + "\n", "laughs.yaml")
    assert f"{MAX_EXPANDED_CHARS:,}" in str(caught.value)


def test_deep_nesting_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "refs.yaml"
    path.write_text("- id: x\n  note: " + "[" * 5_000 + "]" * 5_000 + "\n", encoding="utf-8")
    with pytest.raises(RecordFileError, match=r"line 2: not accepted: nested deeper than 64"):
        read_records(path, CuratedReference)


def test_deep_json_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "lot.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    with pytest.raises(RecordFileError, match=r"lot\.json: not accepted: nested too deeply"):
        load_preparation(path)


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    store = SqlStore(f"sqlite:///{tmp_path_factory.mktemp('bounded') / 'evkg.sqlite'}")
    store.initialise()
    yield TestClient(create_app(store=store, vocabulary=load_vocabulary()))
    store.dispose()


@pytest.mark.parametrize("url", ["/api/qc", "/api/qc/report", "/qc"])
def test_alias_bomb_upload_is_422_not_memory(client: TestClient, url: str) -> None:
    files = [("records", ("lot.yaml", alias_bomb().encode(), "application/yaml"))]
    response = client.post(url, files=files)
    assert response.status_code == 422, response.text[:300]
    assert "aliases" in response.text
