"""The FastAPI app: server-rendered pages and a REST API under /api, every route behind one access check.

Access: a signed session cookie (browser) or `Authorization: Bearer TOKEN` (API). Viewers may
only read; analysts and admins may write; the audit log is for admins. State-changing requests
made with a session cookie must carry its CSRF token (header X-CSRF-Token or form field
csrf_token). Errors are one JSON shape under /api: {"ok": false, "error", "errors", "status"}.
"""

from __future__ import annotations

import contextlib
import functools
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass
from importlib.resources import files
from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import APIRouter, Depends, FastAPI, Form, Query, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from itsdangerous import BadSignature, URLSafeSerializer
from jinja2 import Environment, PackageLoader, StrictUndefined
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from labourlens.errors import InvalidInput, LabourLensError, NotFound
from labourlens.model.analysis import INDICATOR_KEYS, Analysis, Assessment, Entity, IndicatorResult
from labourlens.render.common import forced_labour_label, indicator_colour, indicator_label, rgba
from labourlens.render.html import segments
from labourlens.service import accounts, charts
from labourlens.service.accounts import User
from labourlens.service.jobs import JobRegistry
from labourlens.settings import Settings
from labourlens.store import Filters, Store, search
from labourlens.store.aggregate import stats
from labourlens.store.cases import assess_case, create_case, get_case, list_cases
from labourlens.store.rows import inserted_id, utcnow
from labourlens.store.tables import missed_passages

__all__ = ["COOKIE", "create_app", "walk_routes"]

COOKIE = "labourlens_session"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
MAX_UPLOAD_FILES = 50
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


class Problem(Exception):
    """An HTTP error with a message (and optional details), shown as the one JSON error shape."""

    def __init__(self, status: int, message: str, errors: list[Any] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.errors = errors or []


@dataclass
class Principal:
    """Who is asking, and how: the user, and the session's CSRF token (None for an API token)."""

    user: User
    csrf: str | None


# ------------------------------------------------------------------------------------------ knowledge


@functools.lru_cache(maxsize=1)
def _knowledge() -> Any:
    from labourlens.knowledge import load_knowledge

    return load_knowledge()


def _assess(text: str, indicators: list[IndicatorResult], entities: list[Entity]) -> Assessment:
    from labourlens.pipeline.assess import assess

    result: Assessment = assess(_knowledge(), text, indicators, entities)
    return result


@functools.lru_cache(maxsize=1)
def _resolver_factory() -> Any:
    from labourlens.cli.store_common import resolver_for

    return resolver_for


# ------------------------------------------------------------------------------------------ access


def _store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def _principal(request: Request) -> Principal | None:
    store = _store(request)
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        user = accounts.token_user(store, header[7:].strip())
        return Principal(user, None) if user else None
    raw = request.cookies.get(COOKIE)
    if not raw:
        return None
    try:
        token = request.app.state.signer.loads(raw)
    except BadSignature:
        return None
    found = accounts.session_user(store, str(token))
    return Principal(found[0], found[1]) if found else None


async def access(request: Request) -> Principal:
    """The one access check of every route: signed in (401), allowed (403), CSRF for sessions (403)."""
    who = _principal(request)
    if who is None:
        raise Problem(401, "Sign in first: send a session cookie or an 'Authorization: Bearer' token.")
    route = request.scope.get("route")
    admin_only = bool((getattr(route, "openapi_extra", None) or {}).get("x-admin"))
    if admin_only and who.user.role != "admin":
        raise Problem(403, f"Only an admin may do this; '{who.user.name}' is {who.user.role}.")
    if request.method not in SAFE_METHODS:
        if not who.user.can_write:
            raise Problem(403, f"'{who.user.name}' is a viewer: viewers read but cannot change anything.")
        if who.csrf is not None:
            sent = request.headers.get("x-csrf-token")
            if sent is None and request.headers.get("content-type", "").startswith(
                ("application/x-www-form-urlencoded", "multipart/form-data")
            ):
                form = await request.form()
                value = form.get("csrf_token")
                sent = value if isinstance(value, str) else None
            if not sent or not secrets.compare_digest(sent, who.csrf):
                raise Problem(403, "The CSRF token is missing or wrong: reload the page and try again.")
    request.state.principal = who
    return who


Who = Annotated[Principal, Depends(access)]
ADMIN: dict[str, Any] = {"x-admin": True}


# ------------------------------------------------------------------------------------------ API models


class ReviewIn(BaseModel):
    """A decision on a quote: accept, reject or relabel (to new_indicator)."""

    evidence_id: int
    decision: str
    new_indicator: str | None = None
    note: str | None = Field(default=None, max_length=2000)


class MissedIn(BaseModel):
    """A passage the pipeline missed: its offsets in the document text, and the indicator it shows."""

    start: int = Field(ge=0)
    end: int = Field(ge=1)
    indicator: str
    quote: str | None = None
    note: str | None = Field(default=None, max_length=2000)


class TextIn(BaseModel):
    """Pasted text to analyse."""

    text: str = Field(min_length=1)
    title: str | None = None


class CaseIn(BaseModel):
    """A new case: its name, its --where query, a description."""

    name: str
    where: str | None = None
    description: str | None = None


# ------------------------------------------------------------------------------------------ helpers


def _resolve(store: Store, ref: str) -> int:
    return store.resolve(ref)


def _missed(store: Store, doc_id: int) -> list[dict[str, Any]]:
    with store.read() as conn:
        rows = conn.execute(
            sa.select(missed_passages)
            .where(missed_passages.c.document_id == doc_id)
            .order_by(missed_passages.c.id)
        ).all()
    return [
        {
            "id": r.id,
            "indicator": r.indicator,
            "start": r.start_char,
            "end": r.end_char,
            "quote": r.quote,
            "note": r.note,
            "reviewer": r.reviewer,
            "created_at": r.created_at.isoformat(),
        }
        for r in rows
    ]


def add_missed(store: Store, ref: str, body: MissedIn, user: str) -> dict[str, Any]:
    """Record a passage the pipeline missed; the quote must be the document's text at the offsets."""
    if body.indicator not in INDICATOR_KEYS:
        raise InvalidInput(f"'{body.indicator}' is not an indicator key.", hint=", ".join(INDICATOR_KEYS))
    doc_id = _resolve(store, ref)
    text = store.text(doc_id)
    if not body.start < body.end <= len(text):
        raise InvalidInput(f"The passage {body.start}..{body.end} is outside the text (0..{len(text)}).")
    quote = text[body.start : body.end]
    if body.quote is not None and body.quote != quote:
        raise InvalidInput("The quote sent is not the document's text at those offsets.")
    with store.write() as conn:
        new_id = inserted_id(
            conn.execute(
                missed_passages.insert().values(
                    document_id=doc_id,
                    indicator=body.indicator,
                    start_char=body.start,
                    end_char=body.end,
                    quote=quote,
                    note=body.note,
                    reviewer=user,
                    created_at=utcnow(),
                )
            )
        )
        store.audit(conn, "missed", user, ref, {"missed": new_id, "indicator": body.indicator})
    return next(m for m in _missed(store, doc_id) if m["id"] == new_id)


def _filters(store: Store, params: dict[str, Any]) -> Filters:
    from labourlens.cli.store_common import filters_from_options

    def many(key: str) -> list[str]:
        value = params.get(key)
        return [v for v in (value or []) if v]

    result: Filters = filters_from_options(
        store,
        query=params.get("q") or None,
        indicator=many("indicator"),
        country=many("country"),
        nationality=many("nationality"),
        sector=many("sector"),
        entity=many("entity"),
        since=params.get("since") or None,
        until=params.get("until") or None,
        status=many("status"),
        review=many("review"),
        where=params.get("where") or None,
    )
    return result


def _document_view(store: Store, doc_id: int) -> dict[str, Any]:
    record = store.document(doc_id)
    analysis = store.analysis(doc_id)
    return {
        "document": record.to_dict(),
        "analysis": analysis.to_dict(),
        "evidence": store.evidence_rows(doc_id),
        "reviews": [r.to_dict() for r in store.reviews(doc_id)],
        "missed": _missed(store, doc_id),
        "history": store.history(doc_id),
    }


# ------------------------------------------------------------------------------------------ API


def _api_router() -> APIRouter:
    api = APIRouter(prefix="/api", dependencies=[Depends(access)])

    @api.get("/me", summary="Who is signed in")
    def me(who: Who) -> dict[str, Any]:
        return {"ok": True, "user": who.user.name, "role": who.user.role}

    @api.get("/documents", summary="List documents, newest first")
    def list_documents(
        request: Request, page: int = 1, per_page: Annotated[int, Query(ge=1, le=100)] = 20
    ) -> dict[str, Any]:
        result = search(_store(request), Filters(), page=page, per_page=per_page, quotes=0)
        return {"ok": True, **result.to_dict()}

    @api.get(
        "/documents/{ref}", summary="A document with its analysis, evidence, reviews and missed passages"
    )
    def get_document(ref: str, request: Request, who: Who) -> dict[str, Any]:
        store = _store(request)
        doc_id = _resolve(store, ref)
        view = _document_view(store, doc_id)
        store.record("read", who.user.name, view["document"]["id"], {"via": "api"})
        return {"ok": True, **view}

    @api.get("/documents/{ref}/analyses", summary="Every analysis of a document")
    def get_analyses(ref: str, request: Request, who: Who) -> dict[str, Any]:
        store = _store(request)
        doc_id = _resolve(store, ref)
        store.record("read", who.user.name, ref, {"via": "api", "what": "analyses"})
        return {"ok": True, "analyses": store.history(doc_id)}

    @api.post("/documents", status_code=202, summary="Upload files (multipart 'files') to analyse")
    async def upload(request: Request, who: Who, files: list[UploadFile]) -> dict[str, Any]:
        if len(files) > MAX_UPLOAD_FILES:
            raise InvalidInput(f"Upload at most {MAX_UPLOAD_FILES} files at a time.")
        got = [(f.filename or "upload", await f.read()) for f in files]
        job = request.app.state.jobs.submit(got, who.user.name)
        return {"ok": True, "job": job.to_dict()}

    @api.post("/documents/text", status_code=202, summary="Analyse pasted text")
    def upload_text(body: TextIn, request: Request, who: Who) -> dict[str, Any]:
        data = body.text.encode("utf-8")
        name = (body.title or "pasted text").strip()[:80] + ".txt"
        job = request.app.state.jobs.submit([(name, data)], who.user.name)
        return {"ok": True, "job": job.to_dict()}

    @api.get("/jobs/{job_id}", summary="How far an upload's analysis is")
    def get_job(job_id: str, request: Request) -> dict[str, Any]:
        job = request.app.state.jobs.get(job_id)
        if job is None:
            raise NotFound(f"No upload job '{job_id}'.")
        return {"ok": True, "job": job.to_dict()}

    @api.get("/search", summary="Full-text search with facets")
    def api_search(
        request: Request,
        q: str | None = None,
        indicator: Annotated[list[str] | None, Query()] = None,
        country: Annotated[list[str] | None, Query()] = None,
        nationality: Annotated[list[str] | None, Query()] = None,
        sector: Annotated[list[str] | None, Query()] = None,
        entity: Annotated[list[str] | None, Query()] = None,
        status: Annotated[list[str] | None, Query()] = None,
        since: str | None = None,
        until: str | None = None,
        where: str | None = None,
        page: int = 1,
        per_page: Annotated[int, Query(ge=1, le=100)] = 20,
    ) -> dict[str, Any]:
        store = _store(request)
        params = dict(locals())
        filters = _filters(store, params)
        return {"ok": True, **search(store, filters, page=page, per_page=per_page).to_dict()}

    @api.get("/stats", summary="Documents per group (by=indicator,country...)")
    def api_stats(request: Request, by: str = "indicator") -> dict[str, Any]:
        dims = [d.strip() for d in by.split(",") if d.strip()]
        return {"ok": True, **stats(_store(request), dims).to_dict()}

    @api.get("/cases", summary="Every case")
    def api_cases(request: Request) -> dict[str, Any]:
        return {"ok": True, "cases": [c.to_dict() for c in list_cases(_store(request))]}

    @api.post("/cases", status_code=201, summary="Create a case")
    def api_create_case(body: CaseIn, request: Request, who: Who) -> dict[str, Any]:
        store = _store(request)
        case = create_case(
            store,
            body.name,
            where=body.where,
            resolver=_resolver_factory()(store),
            user=who.user.name,
            description=body.description,
        )
        return {"ok": True, "case": case.to_dict()}

    @api.get("/cases/{name}", summary="A case: its documents, assessment and every quote")
    def api_case(name: str, request: Request, who: Who) -> dict[str, Any]:
        store = _store(request)
        case = get_case(store, name)
        report = assess_case(
            store, case, _resolver_factory()(store), _assess, dimensions=dict(_knowledge().dimensions)
        )
        store.record("read", who.user.name, f"case:{case.name}", {"via": "api"})
        return {"ok": True, **report.to_dict()}

    @api.get("/reviews", summary="Reviews, oldest first (of one document with ?document=REF)")
    def api_reviews(request: Request, document: str | None = None) -> dict[str, Any]:
        store = _store(request)
        doc_id = _resolve(store, document) if document else None
        return {"ok": True, "reviews": [r.to_dict() for r in store.reviews(doc_id)]}

    @api.post("/reviews", status_code=201, summary="Accept, reject or relabel a quote")
    def api_review(body: ReviewIn, request: Request, who: Who) -> dict[str, Any]:
        review = _store(request).add_review(
            body.evidence_id,
            body.decision,
            reviewer=who.user.name,
            new_indicator=body.new_indicator or None,
            note=body.note,
        )
        return {"ok": True, "review": review.to_dict()}

    @api.post("/documents/{ref}/missed", status_code=201, summary="Mark a passage the pipeline missed")
    def api_missed(ref: str, body: MissedIn, request: Request, who: Who) -> dict[str, Any]:
        return {"ok": True, "missed": add_missed(_store(request), ref, body, who.user.name)}

    @api.get("/audit", summary="The audit log (admins only)", openapi_extra=ADMIN)
    def api_audit(request: Request, limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> dict[str, Any]:
        return {"ok": True, "entries": _store(request).audit_entries(limit)}

    @api.get("/openapi.json", include_in_schema=False)
    def openapi(request: Request) -> JSONResponse:
        return JSONResponse(request.app.openapi())

    @api.get("/docs", include_in_schema=False)
    def docs(request: Request) -> HTMLResponse:
        spec = request.app.openapi()
        operations = [
            {"method": method.upper(), "path": path, "summary": op.get("summary", ""), "op": op}
            for path, item in spec.get("paths", {}).items()
            for method, op in item.items()
        ]
        return _page(request, "api_docs.html", spec=spec, operations=operations)

    return api


# ------------------------------------------------------------------------------------------ pages


@functools.lru_cache(maxsize=1)
def _env() -> Environment:
    env = Environment(
        loader=PackageLoader("labourlens.service", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["indicator_label"] = indicator_label
    env.globals["indicator_keys"] = INDICATOR_KEYS
    env.globals["status_label"] = forced_labour_label
    env.globals["palette"] = [
        {"key": k, "css": f"i{i}", "colour": indicator_colour(k), "bg": rgba(indicator_colour(k), 0.3)}
        for i, k in enumerate(INDICATOR_KEYS)
    ]
    return env


def _page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    who: Principal | None = getattr(request.state, "principal", None)
    html = (
        _env()
        .get_template(template)
        .render(
            user=who.user if who else None,
            csrf=(who.csrf or "") if who else "",
            path=request.url.path,
            **context,
        )
    )
    return HTMLResponse(html, status_code=status)


def _marked_segments(analysis: Analysis, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The render module's segments, with an anchor e{evidence_id} where each stored quote starts."""
    at: dict[int, list[str]] = {}
    for r in rows:
        at.setdefault(r["start"], []).append(f"e{r['id']}")
    out: list[dict[str, Any]] = []
    pos = 0
    for seg in segments(analysis):
        extra = at.pop(pos, [])
        out.append(
            {
                "text": seg.text,
                "anchors": [*seg.anchors, *extra],
                "css": seg.css,
                "style": seg.style,
                "title": seg.title,
            }
        )
        pos += len(seg.text)
    return out


def _page_router() -> APIRouter:
    pages = APIRouter(dependencies=[Depends(access)], include_in_schema=False)

    @pages.get("/", response_class=HTMLResponse)
    def dashboard(request: Request) -> HTMLResponse:
        store = _store(request)
        counts = store.counts()
        heat = stats(store, ["indicator", "country"])
        over_time = stats(store, ["indicator", "year"])
        sectors = stats(store, ["sector"]).rows[:8]
        nationalities = stats(store, ["nationality"]).rows[:8]
        recent = search(store, Filters(), per_page=10, quotes=0)
        return _page(
            request,
            "dashboard.html",
            counts=counts,
            heat_svg=charts.heat_map(heat),
            time_svg=charts.over_time(over_time),
            sectors_svg=charts.bars([(str(r.values[0]), r.count) for r in sectors]),
            nationalities_svg=charts.bars([(str(r.values[0]), r.count) for r in nationalities]),
            recent=recent.hits,
        )

    @pages.get("/documents/{ref}", response_class=HTMLResponse)
    def document_page(ref: str, request: Request, who: Who) -> HTMLResponse:
        store = _store(request)
        doc_id = _resolve(store, ref)
        record = store.document(doc_id)
        analysis = store.analysis(doc_id)
        rows = store.evidence_rows(doc_id)
        reviews = store.reviews(doc_id)
        by_evidence: dict[int, list[Any]] = {}
        for r in reviews:
            if r.evidence_id is not None:
                by_evidence.setdefault(r.evidence_id, []).append(r)
        store.record("read", who.user.name, record.ref, {"via": "web"})
        return _page(
            request,
            "document.html",
            doc=record,
            analysis=analysis,
            segments=_marked_segments(analysis, rows),
            evidence=rows,
            reviews=reviews,
            by_evidence=by_evidence,
            missed=_missed(store, doc_id),
            found={ind.indicator for ind in analysis.indicators},
        )

    @pages.get("/search", response_class=HTMLResponse)
    def search_page(
        request: Request,
        q: str = "",
        indicator: str = "",
        country: str = "",
        nationality: str = "",
        sector: str = "",
        status: str = "",
        page: int = 1,
    ) -> HTMLResponse:
        store = _store(request)
        params = {
            "q": q,
            "indicator": [indicator],
            "country": [country],
            "nationality": [nationality],
            "sector": [sector],
            "status": [status],
        }
        error = None
        result = None
        try:
            result = search(store, _filters(store, params), page=max(1, page), per_page=20)
        except InvalidInput as exc:
            error = exc.message
        form = {"q": q, "indicator": indicator, "country": country, "nationality": nationality}
        form.update({"sector": sector, "status": status})
        return _page(request, "search.html", result=result, error=error, form=form)

    @pages.get("/cases", response_class=HTMLResponse)
    def cases_page(request: Request) -> HTMLResponse:
        return _page(request, "cases.html", cases=list_cases(_store(request)))

    @pages.get("/cases/{name}", response_class=HTMLResponse)
    def case_page(name: str, request: Request, who: Who) -> HTMLResponse:
        store = _store(request)
        case = get_case(store, name)
        report = assess_case(
            store, case, _resolver_factory()(store), _assess, dimensions=dict(_knowledge().dimensions)
        )
        store.record("read", who.user.name, f"case:{case.name}", {"via": "web"})
        return _page(request, "case.html", report=report)

    @pages.get("/upload", response_class=HTMLResponse)
    def upload_page(request: Request) -> HTMLResponse:
        return _page(request, "upload.html")

    @pages.get("/audit", response_class=HTMLResponse, openapi_extra=ADMIN)
    def audit_page(request: Request) -> HTMLResponse:
        return _page(request, "audit.html", entries=_store(request).audit_entries(200))

    @pages.post("/logout")
    def logout(request: Request) -> RedirectResponse:
        raw = request.cookies.get(COOKIE)
        if raw:
            with contextlib.suppress(BadSignature):
                accounts.end_session(_store(request), str(request.app.state.signer.loads(raw)))
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(COOKIE, path="/")
        return response

    return pages


def _login_router() -> APIRouter:
    login = APIRouter(include_in_schema=False)

    @login.get("/login", response_class=HTMLResponse)
    def login_form(request: Request) -> HTMLResponse:
        return _page(request, "login.html", error=None, name="")

    @login.post("/login")
    def login_submit(
        request: Request, name: Annotated[str, Form()], password: Annotated[str, Form()]
    ) -> Response:
        store = _store(request)
        user = accounts.authenticate(store, name, password)
        if user is None:
            return _page(request, "login.html", status=401, error="Wrong name or password.", name=name)
        token, _csrf = accounts.create_session(store, user)
        response = RedirectResponse("/", status_code=303)
        response.set_cookie(
            COOKIE,
            request.app.state.signer.dumps(token),
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
            max_age=accounts.SESSION_HOURS * 3600,
            path="/",
        )
        return response

    return login


# ------------------------------------------------------------------------------------------ errors


def _error_response(request: Request, status: int, message: str, errors: list[Any]) -> Response:
    if request.url.path.startswith("/api") or "text/html" not in request.headers.get("accept", ""):
        body = {"ok": False, "error": message, "errors": errors, "status": status}
        return JSONResponse(body, status_code=status)
    if status == 401:
        return RedirectResponse("/login", status_code=303)
    return _page(request, "error.html", status=status, status_code=status, message=message)


def _install_errors(app: FastAPI) -> None:
    @app.exception_handler(Problem)
    async def problem(request: Request, exc: Problem) -> Response:
        return _error_response(request, exc.status, exc.message, exc.errors)

    @app.exception_handler(LabourLensError)
    async def domain(request: Request, exc: LabourLensError) -> Response:
        status = 404 if isinstance(exc, NotFound) else 400 if isinstance(exc, InvalidInput) else 500
        errors = [{"code": exc.code, "hint": exc.hint}] if exc.hint else [{"code": exc.code}]
        return _error_response(request, status, exc.message, errors)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        errors = [
            {"where": ".".join(str(p) for p in e.get("loc", ())), "message": e.get("msg", "")}
            for e in exc.errors()
        ]
        return _error_response(request, 422, "The request is not valid.", errors)

    @app.exception_handler(StarletteHTTPException)
    async def http(request: Request, exc: StarletteHTTPException) -> Response:
        return _error_response(request, exc.status_code, str(exc.detail), [])

    @app.exception_handler(Exception)
    async def internal(request: Request, exc: Exception) -> Response:
        return _error_response(request, 500, f"Internal error: {type(exc).__name__}.", [])


# ------------------------------------------------------------------------------------------ app


def walk_routes(routes: Sequence[Any]) -> Iterator[APIRoute]:
    """Every APIRoute of an app's route table, also inside included routers (newer FastAPI keeps them)."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        inner = getattr(route, "original_router", None)
        if inner is not None:
            yield from walk_routes(inner.routes)


def create_app(store: Store, settings: Settings | None = None, *, secret: str | None = None) -> FastAPI:
    """The web app over an open evidence base. secret: signs the session cookies (random by default)."""

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        app.state.jobs.close()

    app = FastAPI(
        lifespan=lifespan,
        title="labourlens",
        summary="Evidence of forced labour, reviewed and explored.",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    app.state.store = store
    app.state.settings = settings or Settings()
    app.state.signer = URLSafeSerializer(secret or secrets.token_hex(32), salt="labourlens-session")
    app.state.jobs = JobRegistry(store, app.state.settings)
    _install_errors(app)

    @app.middleware("http")
    async def headers(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        response = await call_next(request)
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["X-Frame-Options"] = "DENY"
        return response

    app.include_router(_login_router())
    app.include_router(_api_router())
    app.include_router(_page_router())
    app.mount("/static", StaticFiles(directory=str(files("labourlens.service") / "static")), name="static")

    return app
