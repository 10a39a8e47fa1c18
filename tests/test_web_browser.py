"""The web explorer in a real browser: Debian's Chromium driven by Playwright.

A uvicorn server runs in a thread on a free loopback port over a temporary SQLite store of
the curated knowledge. Screenshots go to ``test-artifacts/screenshots/`` at the repository
root. Without ``/usr/bin/chromium`` the tests skip (``.ci/install-chromium`` installs it),
unless ``EVKG_REQUIRE_BROWSER=1``, which turns the skip into a failure.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from evkg.api import build_curated_bundle
from evkg.store import SqlStore
from evkg.vocab import load_vocabulary
from evkg.web import create_app

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "screenshots"

pytestmark = pytest.mark.slow


def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    reason = "Chromium not found at /usr/bin/chromium: run .ci/install-chromium"
    if os.environ.get("EVKG_REQUIRE_BROWSER") == "1":
        pytest.fail(f"EVKG_REQUIRE_BROWSER=1 but {reason}")
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    _require_chromium()
    import uvicorn

    store = SqlStore(f"sqlite:///{tmp_path_factory.mktemp('browser') / 'evkg.sqlite'}")
    store.initialise()
    store.load(build_curated_bundle())
    app = create_app(store=store, vocabulary=load_vocabulary())
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the test server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
    store.dispose()


@pytest.fixture(scope="module")
def browser(base_url: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Any, base_url: str) -> Iterator[Any]:
    """A fresh page that records every request it makes (all must stay on the server)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    tab = context.new_page()
    tab.requests = []
    tab.on("request", lambda request: tab.requests.append(request.url))
    tab.set_default_timeout(15_000)
    yield tab
    outside = [url for url in tab.requests if not url.startswith(base_url)]
    context.close()
    assert outside == [], f"the page loaded something from outside the server: {outside}"


def _shot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_search_autocomplete_then_disease_page(page: Any, base_url: str) -> None:
    page.goto(base_url + "/")
    box = page.locator("#home-search")
    box.fill("acute kidney")
    suggestions = page.locator("main ul.suggest li a")
    suggestions.first.wait_for(state="visible")
    texts = suggestions.all_inner_texts()
    assert any("kidney" in text.lower() for text in texts), texts
    _shot(page, "01-home-autocomplete")
    box.press("Enter")  # no suggestion chosen: the form submits to the results page
    page.wait_for_url("**/search?q=acute+kidney")
    _shot(page, "02-search-results")
    page.locator("table.results a", has_text="acute kidney failure").first.click()
    page.wait_for_url("**/disease/**")
    assert "acute kidney failure" in page.locator("h1").inner_text()
    strategies = page.locator("li.strategy")
    assert strategies.count() > 0
    _shot(page, "03-disease-page")


@pytest.mark.parametrize("width", [1280, 390])
def test_disease_network_is_readable_without_zooming(page: Any, base_url: str, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 1000})
    page.goto(base_url + "/disease/rheumatoid%20arthritis")
    svg = page.locator("svg.network")
    svg.wait_for(state="visible")
    declared = float(svg.get_attribute("width") or 0)
    rendered = svg.bounding_box()
    assert rendered is not None
    assert abs(rendered["width"] - declared) < 1, "the diagram was shrunk to fit"
    labels = page.locator("svg.network .node text")
    assert labels.count() >= 5
    names = labels.all_text_contents()
    assert "hsa-miR-150-5p" in names
    assert "MMP14" in names
    assert not any("…" in name for name in names)
    for index in range(labels.count()):
        box = labels.nth(index).bounding_box()
        assert box is not None, names[index]
        assert box["height"] >= 12, names[index]
    titles = page.locator("svg.network g.edge > title").all_text_contents()
    assert titles
    assert all(" — " in title for title in titles)  # hover: the claim and its citations
    assert page.locator("ul.legend li").count() >= 10
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0  # the frame scrolls sideways, the page does not
    page.locator("#mechanism").screenshot(path=str(_mechanism_path(width)))


def _mechanism_path(width: int) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / f"04-mechanism-network-{width}.png"


def test_filter_evidence_and_follow_a_citation(page: Any, base_url: str) -> None:
    page.goto(base_url + "/disease/acute%20kidney%20injury")
    rows = page.locator("table.claims > tbody > tr")
    before = rows.count()
    assert before > 0
    options = page.locator("select[name=level] option").all_inner_texts()
    assert "in vivo" in options
    page.select_option("select[name=level]", "in_vivo")  # submits on change
    page.wait_for_url("**level=in_vivo**")
    after = rows.count()
    assert 0 < after <= before
    badges = page.locator("table.claims > tbody > tr > td.strength .badge").all_inner_texts()
    assert badges
    assert set(badges) <= {"in vivo", "in vivo replicated"}, badges
    assert page.locator("select[name=level]").input_value() == "in_vivo"
    _shot(page, "05-evidence-filtered")
    citation = page.locator("ol.quotes a.citation", has_not_text="“").first  # author-named
    cited = citation.inner_text()
    citation.click()
    page.wait_for_url("**/reference/**")
    assert page.locator("p.kind").inner_text().lower() == "reference"
    assert page.locator("table.claims > tbody > tr").count() > 0
    first_author = cited.split(" ")[0]
    assert first_author in page.locator("dl.reference").inner_text()
    _shot(page, "06-reference-page")


def test_cargo_page_and_error_page(page: Any, base_url: str) -> None:
    page.goto(base_url + "/cargo/miR-146a")
    assert "armless" in page.locator("main").inner_text()
    assert page.locator("svg.network").count() == 1
    _shot(page, "07-cargo-page")
    response = page.goto(base_url + "/disease/kidney%20failur")
    assert response is not None
    assert response.status == 404
    assert "Did you mean" in page.locator("main").inner_text()
    page.locator("ul.suggestions a").first.click()
    page.wait_for_url("**/search?q=**")
    _shot(page, "08-error-suggestions")


def test_upload_a_cargo_file_and_read_the_report(page: Any, base_url: str, tmp_path: Path) -> None:
    cargo = tmp_path / "ev-cargo.csv"
    cargo.write_text("name,count\nhsa-miR-146a-5p,120\nmiR-150-5p,80\nhsa-miR-21-5p,300\n")
    page.goto(base_url + "/")
    page.locator("header nav a", has_text="Analyse cargo").click()
    page.wait_for_url("**/upload")
    page.set_input_files("input[type=file]", str(cargo))
    page.select_option("select[name=species]", "hsa")
    _shot(page, "09-upload-form")
    page.locator("form.upload button[type=submit]").click()
    page.wait_for_load_state("load")
    text = page.locator("body").inner_text()
    assert "hsa-miR-150-5p" in text
    assert "analyse another file" in text
    _shot(page, "10-cargo-report")


@pytest.mark.parametrize("width", [1280, 390])
def test_disease_evidence_grouped_by_quote_fits_the_screen(
    browser: Any, base_url: str, width: int
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})
    tab = context.new_page()
    failed: list[str] = []
    tab.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    tab.goto(base_url + "/disease/rheumatoid%20arthritis")
    tab.wait_for_load_state("networkidle")
    quotes = tab.locator("ol.quotes > li.quote blockquote").all_inner_texts()
    assert quotes
    assert len(quotes) == len(set(quotes))
    overflow = tab.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page is {overflow}px wider than a {width}px screen"
    tab.locator("#evidence").screenshot(path=str(_screenshot_path(f"11-evidence-{width}")))
    _shot(tab, f"12-disease-page-{width}")
    context.close()
    assert failed == []  # no 404, favicon included


@pytest.mark.parametrize("width", [1280, 390])
def test_swagger_ui_at_docs_renders_from_local_files(page: Any, base_url: str, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(base_url + "/docs")
    operations = page.locator(".opblock")
    operations.first.wait_for(state="visible")
    assert operations.count() > 10
    assert "/api/diseases/{name}" in page.locator("#swagger-ui").inner_text()
    _shot(page, f"13-api-docs-{width}")


def _screenshot_path(name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / f"{name}.png"


PAGES = {
    "home": "/",
    "search": "/search?q=kidney",
    "disease": "/disease/acute%20kidney%20injury",
    "cargo": "/cargo/miR-146a",
    "gene": "/gene/CD73",
    "reference": "/reference/18",
    "upload": "/upload",
    "qc": "/qc",
    "api-docs": "/api-docs",
}  # the review page exists only with --token (read-only by default)


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("name", sorted(PAGES))
def test_every_page_at_desktop_and_phone_width(
    browser: Any, base_url: str, name: str, width: int
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})
    tab = context.new_page()
    failed: list[str] = []
    tab.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    response = tab.goto(base_url + PAGES[name])
    tab.wait_for_load_state("networkidle")
    assert response is not None
    assert response.status == 200, f"{name}: {response.status}"
    assert tab.locator("h1").first.inner_text().strip(), f"{name} has no heading"
    tab.screenshot(path=str(_screenshot_path(f"20-{name}-{width}")), full_page=True)
    context.close()
    assert failed == [], failed  # no 404s: favicon, styles, scripts all served
