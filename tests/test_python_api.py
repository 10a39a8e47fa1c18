"""The Python API for notebooks: typed, documented entry points, answers with ``to_frame()``
and an HTML view, and the tutorial in docs/ run as written."""

from __future__ import annotations

import inspect
import os
import re
from pathlib import Path

import pandas as pd
import pytest

import evkg
from evkg.api import Knowledge
from evkg.api.responses import DiseaseOut, EntityReportOut, SearchOut
from evkg.model.tabular import HTML_ROWS

from .conftest import REPO

TUTORIAL = REPO / "docs" / "tutorial.md"


@pytest.fixture(scope="module")
def knowledge(tmp_path_factory: pytest.TempPathFactory) -> Knowledge:
    url = f"sqlite:///{tmp_path_factory.mktemp('python-api') / 'evkg.sqlite'}"
    return evkg.open_knowledge(database_url=url)


def test_entry_points_are_typed_and_documented() -> None:
    assert set(evkg.__all__) >= {"open_knowledge", "analyze", "qc"}
    for function in (evkg.open_knowledge, evkg.analyze, evkg.qc):
        signature = inspect.signature(function)
        assert all(p.kind is not p.VAR_KEYWORD for p in signature.parameters.values())
        assert all(p.annotation is not p.empty for p in signature.parameters.values())
        assert signature.return_annotation is not signature.empty
        assert function.__doc__
        assert "Returns:" in function.__doc__
    assert "database_url" in inspect.signature(evkg.open_knowledge).parameters
    assert "data_dir" in inspect.signature(evkg.open_knowledge).parameters
    for name in ("disease", "cargo", "gene", "reference", "find", "studies"):
        method = getattr(Knowledge, name)
        assert method.__doc__, name
        assert inspect.signature(method).return_annotation is not inspect.Signature.empty


def test_disease_answer_is_the_rest_model_with_a_frame(knowledge: Knowledge) -> None:
    answer = knowledge.disease("rheumatoid arthritis")
    assert isinstance(answer, DiseaseOut)
    frame = answer.to_frame()
    assert isinstance(frame, pd.DataFrame)
    assert frame.loc[0, "agent_label"] == answer.strategies[0].agent_label  # rank order kept
    assert frame.loc[0, "tier"] == "in vivo"
    assert isinstance(frame.loc[0, "citations"], str)  # lists read as text, as in TSV
    chains = answer.to_frame("chains")
    assert chains["text"].str.contains("MMP14").any()
    with pytest.raises(KeyError, match="strategies, chains, contradictions"):
        answer.to_frame("nope")


def test_html_view_is_escaped_and_bounded(knowledge: Knowledge) -> None:
    answer = knowledge.cargo("miR-146a")
    assert isinstance(answer, EntityReportOut)
    html = answer._repr_html_()
    assert html.startswith('<div class="evkg-result">')
    assert "hsa-miR-146a-5p" in html
    assert html.count("<tr>") <= HTML_ROWS + 1  # header row and the first rows
    assert f"{len(answer.claims) - HTML_ROWS} more rows" in html
    assert "Other tables" in html
    assert "&#x27;diseases&#x27;" in html


def test_html_view_escapes_text(knowledge: Knowledge) -> None:
    answer = SearchOut(query="<script>alert(1)</script>", hits=[])
    html = answer._repr_html_()
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert list(answer.to_frame().columns)[:2] == ["label", "kind"]  # empty keeps its header


def test_other_questions_give_frames(knowledge: Knowledge) -> None:
    hits = knowledge.find("kidney").to_frame()
    assert {"label", "kind", "n_claims"} <= set(hits.columns)
    gene = knowledge.gene("CD73").to_frame()
    assert (gene["subject"].eq("NT5E") | gene["object"].eq("NT5E")).any()
    reference = knowledge.reference("18")
    assert "Chen" in reference.frame_title()
    studies = knowledge.studies("acute kidney injury", species="rat").to_frame()
    assert len(studies) > 0
    assert set(studies["model_species"]) == {"rat"}


def test_json_body_is_unchanged_by_the_table_methods(knowledge: Knowledge) -> None:
    dumped = knowledge.disease("AKI").model_dump(mode="json")
    assert "frame_tables" not in dumped
    assert set(dumped) == set(DiseaseOut.model_fields)


def _cells(text: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", text, flags=re.DOTALL)


def test_tutorial_runs_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, data_dir: Path
) -> None:
    """Each python cell of docs/tutorial.md in order, from the repository's root."""
    if not (data_dir / "nta").is_dir():
        pytest.skip("shared/data/nta not found (the example QC records point at its exports)")
    monkeypatch.setenv("EVKG_DATABASE_URL", f"sqlite:///{tmp_path / 'evkg.sqlite'}")
    monkeypatch.chdir(REPO)
    cells = _cells(TUTORIAL.read_text(encoding="utf-8"))
    assert len(cells) >= 6
    namespace: dict[str, object] = {}
    for number, cell in enumerate(cells, 1):
        try:
            exec(compile(cell, f"tutorial cell {number}", "exec"), namespace)
        except Exception as error:  # pragma: no cover - the message names the cell
            raise AssertionError(f"tutorial cell {number} failed: {error!r}\n{cell}") from error
    assert namespace["strategies"]["rank"].is_monotonic_increasing  # type: ignore[index]
    assert len(namespace["indications"]) > 0  # type: ignore[arg-type]
    assert set(namespace["missing"]["lot"]) == {"BM-MSC-EV-lot-08"}  # type: ignore[index]
    assert os.environ["EVKG_DATABASE_URL"].endswith("evkg.sqlite")
