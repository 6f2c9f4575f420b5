"""The web app in a real headless Chromium (Debian's, driven by Playwright; skipped where it is missing).

Log in, upload, see the highlights, accept and reject findings, mark a missed passage, search,
open a case; a hostile document renders inert. A screenshot of every page goes to build/screenshots/.
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

from labourlens.ingest import make_document
from labourlens.settings import Settings
from labourlens.store import Store
from service_fixtures import PASSWORD, Site, make_site

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SHOTS = Path(__file__).resolve().parent.parent / "build" / "screenshots"

HOSTILE = (
    "Hostile page <script>window.__pwned = 'script';</script> about the quarry.\n\n"
    'The foreman kept the passports of the quarry workers <img src="x" onerror="window.__pwned = \'img\'">. '
    "<a href=\"javascript:window.__pwned='link'\">Click here</a> and "
    "<svg onload=\"window.__pwned='svg'\"></svg> they said they could not leave the quarry at night.\n"
)

pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium is not installed")
pytest.importorskip("playwright.sync_api", reason="playwright (a dev dependency) is not installed")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Site, str]]:
    """A live server on loopback over a temporary base with the corpus and a hostile document."""
    import uvicorn

    from labourlens.store.ingest import pipeline_for

    url = f"sqlite:///{tmp_path_factory.mktemp('web') / 'web.db'}"
    store = Store.open(url)
    site = make_site(store)
    settings = Settings()
    doc = make_document(
        HOSTILE, name="hostile.txt", format="txt", settings=settings, title="<script>alert(1)</script>"
    )
    analysis = pipeline_for(settings).analyze(doc.text, id=doc.id, metadata={"title": doc.title})
    doc_id = store.add_document(doc, analysis, user="tester")
    assert doc_id is not None
    hostile_ref = store.document(doc_id).ref
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(site.app, host="127.0.0.1", port=port, log_level="warning"))  # type: ignore[arg-type]
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started
    try:
        yield f"http://127.0.0.1:{port}", site, hostile_ref
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        store.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's chromium, headless."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _login(browser: Any, base: str, name: str) -> Any:
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(base + "/")
    assert page.url.endswith("/login")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(base + "/")
    return page


def test_review_workflow_in_the_browser(served: tuple[str, Site, str], browser: Any, tmp_path: Path) -> None:
    base, site, _ = served
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(base + "/login")
    _shot(page, "01-login")
    page.close()
    page = _login(browser, base, site.names["admin"])
    assert page.locator("svg.heat rect").count() > 0
    _shot(page, "02-dashboard")

    # upload a file; the analysis runs in the background with visible progress
    upload = tmp_path / "brickworks.txt"
    upload.write_text(
        "At the brickworks the owner took the identity cards of every worker on arrival. "
        "Workers told us they were beaten when they asked for their unpaid wages, and that nobody "
        "was allowed to leave the compound after dark.\n",
        encoding="utf-8",
    )
    bad = tmp_path / "scan.pdf"
    bad.write_bytes(b"%PDF-1.4 not a real pdf at all")
    page.goto(base + "/upload")
    page.set_input_files("#file-input", [str(upload), str(bad)])
    page.wait_for_selector("li.job.done", timeout=60_000)
    assert "scan.pdf" in page.inner_text("#jobs")
    # drag and drop: a file dropped on the zone is uploaded the same way
    page.evaluate(
        """() => {
        const data = new DataTransfer();
        data.items.add(new File(['The recruiter sold each worker a debt he could never repay, and the '
            + 'crew was kept at sea for eleven months without wages.'], 'dropped.txt', {type: 'text/plain'}));
        document.getElementById('dropzone').dispatchEvent(new DragEvent('drop', {dataTransfer: data}));
    }"""
    )
    page.wait_for_function("() => document.querySelectorAll('li.job.done').length === 2", timeout=60_000)
    assert "1 added" in page.locator("li.job").first.inner_text()
    _shot(page, "03-upload")
    page.click("#jobs > li:last-child a")

    # the document page: highlights, legend, findings
    page.wait_for_selector("#doc mark.hl")
    assert page.locator(".legend li").count() == 11
    findings = page.locator(".finding")
    assert findings.count() >= 2
    findings.nth(0).locator("button.accept").click()
    page.wait_for_selector(".finding >> nth=0 >> li.decision.accept")
    findings.nth(1).locator("button.reject").click()
    page.wait_for_selector(".finding >> nth=1 >> li.decision.reject")
    assert site.names["admin"] in findings.nth(0).inner_text()

    # mark a passage the pipeline missed: select words of the text, pick an indicator
    page.evaluate(
        """() => {
        const doc = document.getElementById('doc');
        const walker = document.createTreeWalker(doc, NodeFilter.SHOW_TEXT);
        let node; while ((node = walker.nextNode())) { if (node.data.includes('compound')) break; }
        const at = node.data.indexOf('compound');
        const range = document.createRange();
        range.setStart(node, at); range.setEnd(node, at + 'compound after dark'.length);
        const sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(range);
        document.dispatchEvent(new Event('selectionchange'));
    }"""
    )
    page.wait_for_timeout(200)
    page.select_option("#missed-indicator", "restriction_of_movement")
    page.click("#missed-submit")
    page.wait_for_selector("#missed-status.ok")
    assert "compound after dark" in page.inner_text("#missed-list")
    page.reload()
    assert "compound after dark" in page.inner_text("#missed-list")
    assert page.locator("li.decision.reject").count() == 1
    _shot(page, "04-document")

    # search, then follow a quote into the document
    page.goto(base + "/search?q=passports")
    assert page.locator("li.hit").count() >= 1
    assert page.locator("mark.match").count() >= 1
    _shot(page, "05-search")
    page.locator("a.quote").first.click()
    page.wait_for_selector("#doc mark.hl")
    assert "#e" in page.url

    # a case
    page.goto(base + "/cases")
    page.fill("#case-name", "Identity documents")
    page.fill("#case-where", "indicator=retention_of_identity_documents")
    page.click("#case-form button[type=submit]")
    page.wait_for_selector("#case-status-label")
    assert page.locator("ol.quotes li").count() >= 2
    _shot(page, "06-case")

    page.goto(base + "/audit")
    assert "read" in page.inner_text("#audit")
    _shot(page, "07-audit")
    page.close()


def test_viewer_reads_but_cannot_change(served: tuple[str, Site, str], browser: Any) -> None:
    base, site, _ = served
    page = _login(browser, base, site.names["viewer"])
    page.click("ul.docs a >> nth=0")
    page.wait_for_selector("#doc")
    assert page.locator(".review-actions").count() == 0
    status = page.evaluate(
        """async () => (await fetch('/api/reviews', {method: 'POST',
        headers: {'Content-Type': 'application/json',
        'X-CSRF-Token': document.querySelector('meta[name=csrf-token]').content},
        body: JSON.stringify({evidence_id: 1, decision: 'accept'})})).status"""
    )
    assert status == 403
    _shot(page, "08-viewer-document")
    page.goto(base + "/api/docs")
    assert page.locator("#operations tr").count() > 15
    _shot(page, "11-api-docs")
    page.close()


def test_hostile_document_renders_inert(served: tuple[str, Site, str], browser: Any) -> None:
    base, site, ref = served
    page = _login(browser, base, site.names["analyst"])
    ran: list[str] = []
    page.on("dialog", lambda d: (ran.append(d.message), d.dismiss()))
    for path in (f"/documents/{ref}", "/search?q=quarry", "/"):
        page.goto(base + path)
        page.wait_for_load_state("load")
        assert page.evaluate("() => window.__pwned === undefined"), path
        scripts = page.evaluate("() => Array.from(document.scripts).map(s => s.src)")
        assert scripts == [base + "/static/app.js"], (path, scripts)
        assert page.locator("[onerror], [onload]").count() == 0, path
        assert page.locator("a[href^='javascript:']").count() == 0, path
    page.goto(base + f"/documents/{ref}")
    assert "<script>window.__pwned" in page.inner_text("#doc")
    links = page.get_by_text("Click here")
    assert links.count() >= 1
    _shot(page, "09-hostile-document")
    page.goto(base + "/search?q=quarry")
    _shot(page, "10-hostile-search")
    assert ran == []
    page.close()
