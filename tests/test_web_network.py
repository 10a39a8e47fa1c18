"""The mechanism network, laid out by Graphviz: no edge runs through a box it does not join,
whole names on the boxes, a hover title on every box and arrow, one arrow per pair and kind.

Needs Graphviz's ``dot`` (``.ci/install-graphviz``); without it the tests skip, unless
``EVKG_REQUIRE_GRAPHVIZ=1`` (CI), which turns the skip into a failure.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from lxml import etree

from evkg.api import build_curated_bundle
from evkg.store import SqlStore
from evkg.vocab import load_vocabulary
from evkg.web import create_app
from evkg.web import network as network_module

SVG = "{http://www.w3.org/2000/svg}"
PAGES = ("/disease/doid:7148", "/disease/doid:3021", "/cargo/miR-146a", "/entity/evkg.source:msc")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    if shutil.which("dot") is None:
        reason = "Graphviz's dot is not installed: run .ci/install-graphviz"
        if os.environ.get("EVKG_REQUIRE_GRAPHVIZ") == "1":
            pytest.fail(f"EVKG_REQUIRE_GRAPHVIZ=1 but {reason}")
        pytest.skip(reason)
    store = SqlStore(f"sqlite:///{tmp_path_factory.mktemp('net') / 'evkg.sqlite'}")
    store.initialise()
    store.load(build_curated_bundle())
    yield TestClient(create_app(store=store, vocabulary=load_vocabulary()))
    store.dispose()


def _svg(client: TestClient, path: str) -> etree._Element:
    page = client.get(path).text
    start = page.index('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink')
    return etree.fromstring(page[start : page.index("</svg>", start) + 6].encode())


def _points(d: str) -> list[tuple[float, float]]:
    numbers = [float(n) for n in _NUMBER.findall(d)]
    return list(zip(numbers[0::2], numbers[1::2], strict=True))


def _boxes(svg: etree._Element) -> dict[str, tuple[float, float, float, float]]:
    boxes = {}
    for group in svg.iter(f"{SVG}g"):
        if group.get("data-curie"):
            shape = group.find(f".//{SVG}path")
            if shape is None:
                shape = group.find(f".//{SVG}polygon")
            assert shape is not None
            points = _points(shape.get("d") or shape.get("points") or "")
            xs, ys = [x for x, _ in points], [y for _, y in points]
            boxes[group.get("data-curie", "")] = (min(xs), min(ys), max(xs), max(ys))
    return boxes


def _curve(d: str, steps: int = 24) -> list[tuple[float, float]]:
    """Points along a dot edge path: ``M p0 C p1 p2 p3 p4 p5 p6 …`` (cubic Béziers)."""
    points = _points(d)
    out = []
    for i in range(0, len(points) - 3, 3):
        (x0, y0), (x1, y1), (x2, y2), (x3, y3) = points[i : i + 4]
        for step in range(steps + 1):
            t = step / steps
            a, b, c, e = (1 - t) ** 3, 3 * t * (1 - t) ** 2, 3 * t * t * (1 - t), t**3
            out.append((a * x0 + b * x1 + c * x2 + e * x3, a * y0 + b * y1 + c * y2 + e * y3))
    return out


def _crossings(svg: etree._Element) -> list[str]:
    """Edges that pass inside a box other than the two they join."""
    boxes = _boxes(svg)
    crossings = []
    for group in (g for g in svg.iter(f"{SVG}g") if g.get("data-source")):
        ends = {group.get("data-source"), group.get("data-target")}
        line = group.find(f".//{SVG}path")
        assert line is not None
        for x, y in _curve(line.get("d", "")):
            for curie, (x0, y0, x1, y1) in boxes.items():
                if curie not in ends and x0 + 1 < x < x1 - 1 and y0 + 1 < y < y1 - 1:
                    crossings.append(f"{sorted(ends)} through {curie}")
    return sorted(set(crossings))


def test_the_crossing_check_sees_an_edge_through_a_box() -> None:
    box = '<g data-curie="{}"><path d="M{},0 L{},0 L{},20 L{},20"/></g>'
    svg = etree.fromstring(
        '<svg xmlns="http://www.w3.org/2000/svg">'
        + box.format("a", 0, 10, 10, 0)
        + box.format("b", 50, 60, 60, 50)
        + box.format("c", 100, 110, 110, 100)
        + '<g data-source="a" data-target="c"><path d="M10,10 C40,10 70,10 100,10"/></g></svg>'
    )
    assert _crossings(svg) == ["['a', 'c'] through b"]


@pytest.mark.parametrize("path", PAGES)
def test_no_edge_runs_through_a_box_it_does_not_join(client: TestClient, path: str) -> None:
    svg = _svg(client, path)
    assert len(_boxes(svg)) >= 5
    assert any(g.get("data-source") for g in svg.iter(f"{SVG}g"))
    assert _crossings(svg) == []


@pytest.mark.parametrize("path", PAGES[:2])
def test_boxes_carry_whole_names_and_every_mark_has_a_hover_title(
    client: TestClient, path: str
) -> None:
    svg = _svg(client, path)
    for group in svg.iter(f"{SVG}g"):
        classes = (group.get("class") or "").split()
        if "node" not in classes and "edge" not in classes:
            continue
        title = group.findtext(f"{SVG}title") or ""
        assert title.strip(), etree.tostring(group)[:200]
        assert not re.search(r"\b(doid|hgnc|mirbase\.mature|evkg\.\w+|go|mondo):", title), title
        if "node" in classes:
            text = " ".join(t.text or "" for t in group.iter(f"{SVG}text"))
            assert "…" not in text
            assert title.startswith(text.split(" ")[0])
        else:
            assert " — " in title  # the claim, then its citations


def test_parallel_claims_are_one_arrow(client: TestClient) -> None:
    svg = _svg(client, "/disease/doid:3021")
    keys = [
        (g.get("data-source"), g.get("data-target"), g.get("class"))
        for g in svg.iter(f"{SVG}g")
        if g.get("data-source")
    ]
    assert len(keys) == len(set(keys))
    titles = [g.findtext(f"{SVG}title") or "" for g in svg.iter(f"{SVG}g") if g.get("data-source")]
    assert any("\n" in t for t in titles)  # some arrow stands for several claims


def test_each_column_is_one_rank_in_the_dot_source(client: TestClient) -> None:
    from evkg.web.network import Network, _Edge, _Node, to_dot

    network = Network(
        nodes={
            "evkg.source:msc": _Node("evkg.source:msc", "ev_source", "MSC", 1),
            "hgnc:1": _Node("hgnc:1", "gene", "GENE1", 3),
            "doid:1": _Node("doid:1", "disease", "a disease", 5),
        },
        edges=[_Edge("evkg.source:msc", "doid:1", "edge-treats", "MSC treats a disease — X")],
    )
    source = to_dot(network, "t")
    assert source.count("rank=same") == 3
    assert "rankdir=LR" in source
    assert 'tooltip="MSC treats a disease — X"' in source


def test_without_graphviz_the_page_says_what_to_install(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    import graphviz

    def missing(*args: object, **kwargs: object) -> str:
        raise graphviz.ExecutableNotFound(["dot"])

    network_module._layout.cache_clear()
    monkeypatch.setattr(graphviz.Source, "pipe", missing)
    page = client.get("/disease/doid:7148")
    network_module._layout.cache_clear()
    assert page.status_code == 200
    assert "needs Graphviz" in page.text
    assert "apt-get install graphviz" in page.text
    assert '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink' not in page.text
