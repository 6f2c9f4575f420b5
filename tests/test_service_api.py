"""The REST API: one access check on every route, roles, CSRF, the error shape, reviews, uploads, audit."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from labourlens.service.app import walk_routes
from labourlens.store import Store
from service_fixtures import PASSWORD, Site, make_site, site  # noqa: F401


def _client(s: Site, role: str | None = None) -> TestClient:
    client = TestClient(s.app)  # type: ignore[arg-type]
    if role is not None:
        client.headers["Authorization"] = f"Bearer {s.tokens[role]}"
    return client


def _api_routes(s: Site) -> list[tuple[str, str, APIRoute]]:
    out = []
    for route in walk_routes(s.app.routes):  # type: ignore[attr-defined]
        if route.path.startswith("/api"):
            path = re.sub(r"\{[^}]+\}", "x", route.path)
            out.extend((m, path, route) for m in sorted(route.methods))
    return out


def _error_shape(body: dict[str, Any], status: int) -> None:
    assert body["ok"] is False and body["status"] == status
    assert isinstance(body["error"], str) and body["error"]
    assert isinstance(body["errors"], list)


def test_every_api_route_needs_credentials_and_the_right_role(site: Site) -> None:  # noqa: F811
    routes = _api_routes(site)
    assert len(routes) >= 15
    anonymous, viewer = _client(site), _client(site, "viewer")
    for method, path, route in routes:
        r = anonymous.request(method, path)
        assert r.status_code == 401, (method, path)
        _error_shape(r.json(), 401)
        admin_only = (route.openapi_extra or {}).get("x-admin")
        if method not in ("GET", "HEAD") or admin_only:
            r = viewer.request(method, path)
            assert r.status_code == 403, (method, path)
            _error_shape(r.json(), 403)
    # the pages go through the same check; only the login page is open
    pages = [r for r in walk_routes(site.app.routes) if not r.path.startswith("/api")]  # type: ignore[attr-defined]
    assert {"/", "/documents/{ref}", "/search", "/cases/{name}", "/upload", "/audit"} <= {
        r.path for r in pages
    }
    for route in pages:
        if route.path != "/login":
            for method in route.methods:
                path = re.sub(r"\{[^}]+\}", "x", route.path)
                assert anonymous.request(method, path).status_code == 401, (method, path)
    # a bad token is no better than none
    r = TestClient(site.app).get("/api/me", headers={"Authorization": "Bearer ll_nope"})  # type: ignore[arg-type]
    assert r.status_code == 401


def test_roles_read_and_write(site: Site) -> None:  # noqa: F811
    viewer, analyst, admin = (_client(site, r) for r in ("viewer", "analyst", "admin"))
    assert viewer.get("/api/me").json()["role"] == "viewer"
    listing = viewer.get("/api/documents").json()
    assert listing["total"] == len(site.docs)
    assert analyst.get("/api/audit").status_code == 403
    assert analyst.get("/audit").status_code == 403 and admin.get("/audit").status_code == 200
    entries = admin.get("/api/audit").json()["entries"]
    assert any(e["action"] == "user_add" for e in entries)
    spec = viewer.get("/api/openapi.json").json()
    assert spec["info"]["title"] == "labourlens" and "/api/reviews" in spec["paths"]
    docs = viewer.get("/api/docs")
    assert docs.status_code == 200 and "/api/search" in docs.text and "cdn" not in docs.text.lower()


def test_reviews_are_kept_with_who_and_when_and_every_read_is_audited(site: Site) -> None:  # noqa: F811
    analyst, admin = _client(site, "analyst"), _client(site, "admin")
    ref = analyst.get("/api/documents").json()["hits"][0]["document"]["id"]
    doc = analyst.get(f"/api/documents/{ref}").json()
    ev = doc["evidence"][0]
    r = analyst.post("/api/reviews", json={"evidence_id": ev["id"], "decision": "reject", "note": "not so"})
    assert r.status_code == 201
    assert r.json()["review"]["reviewer"] == site.names["analyst"]
    other = next(k for k in ("intimidation_threats", "excessive_overtime") if k != ev["indicator"])
    r = analyst.post(
        "/api/reviews", json={"evidence_id": ev["id"], "decision": "relabel", "new_indicator": other}
    )
    assert r.status_code == 201
    again = analyst.get(f"/api/documents/{ref}").json()
    assert [x["decision"] for x in again["reviews"]] == ["reject", "relabel"]
    assert again["reviews"][0]["created_at"]
    bad = analyst.post("/api/reviews", json={"evidence_id": ev["id"], "decision": "maybe"})
    assert bad.status_code == 400
    _error_shape(bad.json(), 400)
    reads = [e for e in admin.get("/api/audit?limit=500").json()["entries"] if e["action"] == "read"]
    assert sum(1 for e in reads if e["target"] == ref and e["user"] == site.names["analyst"]) == 2


def test_missed_passage_must_match_the_text(site: Site) -> None:  # noqa: F811
    analyst = _client(site, "analyst")
    ref = analyst.get("/api/documents").json()["hits"][0]["document"]["id"]
    text = analyst.get(f"/api/documents/{ref}").json()["analysis"]["text"]
    body = {"start": 0, "end": 12, "indicator": "isolation", "quote": text[:12]}
    r = analyst.post(f"/api/documents/{ref}/missed", json=body)
    assert r.status_code == 201, r.text
    assert r.json()["missed"]["quote"] == text[:12]
    wrong = analyst.post(f"/api/documents/{ref}/missed", json={**body, "quote": "something else"})
    assert wrong.status_code == 400
    outside = analyst.post(f"/api/documents/{ref}/missed", json={**body, "end": len(text) + 5})
    assert outside.status_code == 400
    unknown = analyst.post(f"/api/documents/{ref}/missed", json={**body, "indicator": "nope"})
    assert unknown.status_code == 400
    assert len(analyst.get(f"/api/documents/{ref}").json()["missed"]) == 1


def test_errors_have_one_shape(site: Site) -> None:  # noqa: F811
    viewer = _client(site, "viewer")
    for r, status in (
        (viewer.get("/api/documents/ffffffffff"), 404),
        (viewer.get("/api/documents?per_page=0"), 422),
        (viewer.get("/api/stats?by=shoe_size"), 400),
        (viewer.get("/api/search?since=yesterday"), 400),
        (viewer.get("/api/nothing-here"), 404),
    ):
        assert r.status_code == status, r.text
        _error_shape(r.json(), status)


def test_search_stats_and_cases(site: Site) -> None:  # noqa: F811
    analyst = _client(site, "analyst")
    found = analyst.get("/api/search", params={"q": "passports"}).json()
    assert found["total"] >= 1
    shown = [q["text"] for h in found["hits"] for q in [*h["quotes"], h["snippet"] or {"text": ""}]]
    assert any("passport" in t.lower() for t in shown)
    by = analyst.get("/api/stats", params={"by": "indicator"}).json()
    assert by["rows"] and "indicator" in by["rows"][0]
    made = analyst.post(
        "/api/cases", json={"name": "Passports", "where": "indicator=retention_of_identity_documents"}
    )
    assert made.status_code == 201, made.text
    case = analyst.get("/api/cases/Passports").json()
    assert case["documents"] and case["quotes"]
    assert case["assessment"]["forced_labour"] in ("indicated", "possible", "not_indicated")


def _login(s: Site, role: str) -> tuple[TestClient, str]:
    client = TestClient(s.app)  # type: ignore[arg-type]
    r = client.post("/login", data={"name": s.names[role], "password": PASSWORD}, follow_redirects=False)
    assert r.status_code == 303
    page = client.get("/upload" if role != "viewer" else "/")
    token = re.search(r'name="csrf-token" content="([^"]+)"', page.text)
    assert token is not None
    return client, token.group(1)


def test_sessions_need_the_csrf_token_for_changes(site: Site) -> None:  # noqa: F811
    client, csrf = _login(site, "analyst")
    ref = client.get("/api/documents").json()["hits"][0]["document"]["id"]
    ev = client.get(f"/api/documents/{ref}").json()["evidence"][0]
    body = {"evidence_id": ev["id"], "decision": "accept"}
    assert client.post("/api/reviews", json=body).status_code == 403
    assert client.post("/api/reviews", json=body, headers={"X-CSRF-Token": "forged"}).status_code == 403
    assert client.post("/api/reviews", json=body, headers={"X-CSRF-Token": csrf}).status_code == 201
    # signing out ends the session
    assert client.post("/logout", data={"csrf_token": csrf}, follow_redirects=False).status_code == 303
    assert client.get("/api/me").status_code == 401


def test_login_refuses_a_wrong_password_and_keeps_only_a_hash(site: Site) -> None:  # noqa: F811
    client = TestClient(site.app)  # type: ignore[arg-type]
    r = client.post("/login", data={"name": site.names["admin"], "password": "wrong password"})
    assert r.status_code == 401 and "Wrong name or password" in r.text
    import sqlalchemy as sa

    from labourlens.store.tables import users

    with site.store.read() as conn:
        hashes = list(conn.execute(sa.select(users.c.password_hash)).scalars())
    assert hashes and all(h.startswith("$argon2") and PASSWORD not in h for h in hashes)
    # pages send the browser to the login page
    page = client.get("/", headers={"Accept": "text/html"}, follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == "/login"


def test_upload_runs_in_the_background_and_a_bad_file_loses_nothing(site: Site) -> None:  # noqa: F811
    analyst = _client(site, "analyst")
    text = (
        "Workers at the brick kiln told us the owner kept their passports in a locked drawer. "
        "They said they could not leave the site and worked fourteen hours a day without a rest day."
    )
    files = [
        ("files", ("kiln.txt", text.encode(), "text/plain")),
        ("files", ("broken.pdf", b"%PDF-1.7 this is not really a pdf", "application/pdf")),
        ("files", ("empty.txt", b"", "text/plain")),
    ]
    r = analyst.post("/api/documents", files=files)
    assert r.status_code == 202, r.text
    job_id = r.json()["job"]["id"]
    deadline = time.monotonic() + 60
    while True:
        job = analyst.get(f"/api/jobs/{job_id}").json()["job"]
        if job["state"] == "done" or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert job["state"] == "done"
    assert len(job["added"]) == 1
    assert {e["source"] for e in job["errors"]} == {"broken.pdf", "empty.txt"}
    assert all(e["error"] for e in job["errors"])
    doc = analyst.get(f"/api/documents/{job['added'][0]}").json()
    assert "retention_of_identity_documents" in doc["document"]["indicators"]
    pasted = analyst.post("/api/documents/text", json={"text": text + " Again.", "title": "pasted"})
    assert pasted.status_code == 202


@pytest.mark.parametrize("backend", ["postgresql"])
def test_access_on_postgresql(backend: str, request: pytest.FixtureRequest) -> None:
    url = request.getfixturevalue("pg_url")
    import sqlalchemy as sa

    with Store.open(url) as store:
        with store.engine.begin() as conn:
            conn.execute(sa.text("TRUNCATE TABLE documents, audit_log, cases RESTART IDENTITY CASCADE"))
        s = make_site(store)
        viewer, analyst = _client(s, "viewer"), _client(s, "analyst")
        ref = viewer.get("/api/documents").json()["hits"][0]["document"]["id"]
        ev = viewer.get(f"/api/documents/{ref}").json()["evidence"][0]
        assert (
            viewer.post("/api/reviews", json={"evidence_id": ev["id"], "decision": "accept"}).status_code
            == 403
        )
        assert (
            analyst.post("/api/reviews", json={"evidence_id": ev["id"], "decision": "accept"}).status_code
            == 201
        )
        assert analyst.get("/api/search", params={"q": "passports"}).json()["total"] >= 1
