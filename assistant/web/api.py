"""The HTTP API under /api (FastAPI): the same contracts as the CLI's --json output.

    POST /api/search     {"question": str, "k": int?, "filters": {...}?}   → `assistant search --json`
    POST /api/ask        {"question": str, "history": [...]?, "filters": ...} → `assistant ask --json`
    GET  /api/documents  documents with metadata, chunk counts and warnings, plus problem files
    POST /api/documents  upload a .pdf/.docx/.txt/.md (multipart field "file"; admin) → re-indexed in the background
    DELETE /api/documents/{doc_id}  move a document to the trash (admin) → re-indexed in the background
    GET  /api/trash      deleted documents; POST /api/trash/{entry}/restore undoes a deletion (admin)
    GET  /api/health     readiness and indexing progress
    GET  /api/feedback.csv  all feedback (trainer)
    /v1/…                OpenAI-compatible chat completions and models (openai_api.py)

Who may call what: access.AccessGuard (HTTP Basic, or the password as a Bearer key; roles participant < trainer
< admin).

Errors are always JSON {"error": message} (under /v1 OpenAI's {"error": {"message", "type", "param", "code"}});
tracebacks stay in the server log. OpenAPI: /docs.
"""
import logging
from typing import TYPE_CHECKING, Any, Literal

from .. import __version__
from ..assistant import MAX_QUESTION_CHARS
from ..contracts import search_json
from ..errors import AssistantError, status_for
from .openai_api import create_openai_router, error_code, replay_history
from .openai_errors import is_openai_path, openai_error

if TYPE_CHECKING:
    from .service import Service

log = logging.getLogger(__name__)


def create_api(service: "Service"):
    """A FastAPI app serving /api over `service` (a service.Service); the web page is mounted on it later."""
    from fastapi import APIRouter, FastAPI, File, Request, UploadFile
    from fastapi.exceptions import RequestValidationError
    from fastapi.responses import JSONResponse, Response
    from pydantic import BaseModel, ConfigDict, Field
    from starlette.exceptions import HTTPException as StarletteHTTPException


    settings = service.settings

    class Filters(BaseModel):
        """Restrict to documents, a province or a year (all optional)."""

        model_config = ConfigDict(extra="forbid")
        document: list[str] | str | None = Field(None, description="document id(s), as in GET /api/documents")
        province: str | None = Field(None, examples=["Ninh Bình"])
        year: int | None = Field(None, examples=[2024])

        def as_dict(self) -> dict:
            return self.model_dump(exclude_none=True)

    class SearchRequest(BaseModel):
        model_config = ConfigDict(extra="forbid")
        question: str = Field(..., max_length=MAX_QUESTION_CHARS, examples=["ai chủ trì hỗ trợ nạn nhân"])
        k: int | None = Field(None, ge=1, le=50, description="number of passages (default 5)")
        filters: Filters | None = None
        mode: Literal["hybrid", "dense", "keyword"] = "hybrid"

    class Turn(BaseModel):
        """An earlier question and its answer, oldest first; lets follow-ups like "Còn Quảng Ninh?" work (the questions
        are asked again; the answer is accepted for clients that send it, and not read)."""

        question: str = Field(..., max_length=MAX_QUESTION_CHARS)
        answer: str = Field("", max_length=20_000)

    class AskRequest(BaseModel):
        model_config = ConfigDict(extra="forbid")
        question: str = Field(..., max_length=MAX_QUESTION_CHARS, examples=["Ai chủ trì hỗ trợ nạn nhân?"])
        history: list[Turn] | None = Field(None, max_length=50)
        filters: Filters | None = None

    class ErrorBody(BaseModel):
        error: str

    meta = dict(
        title="Trợ lý tra cứu phòng, chống mua bán người — API",
        version=__version__,
        description="Cited answers from Vietnam's anti-human-trafficking plans and laws. "
        "The same JSON as `assistant search --json` and `assistant ask --json`.",
    )
    try:  # Swagger UI served from the installed package: /docs must work on a closed network, without a CDN
        from fastapi_offline import FastAPIOffline

        app = FastAPIOffline(redoc_url=None, **meta)
    except ImportError:
        app = FastAPI(redoc_url=None, **meta)

    def error(request: Request, status: int, message: str, code: str | None = None, headers: Any = None):
        # The OpenAI-compatible routes answer in OpenAI's error shape, which its clients parse.
        body = openai_error(status, message, code) if is_openai_path(request.url.path) else {"error": message}
        return JSONResponse(body, status_code=status, headers=headers)

    @app.exception_handler(AssistantError)
    async def assistant_error(request: Request, exc: AssistantError):
        return error(request, status_for(exc), str(exc), error_code(exc))

    @app.exception_handler(RequestValidationError)
    async def invalid_body(request: Request, exc: RequestValidationError):
        # OpenAI answers a malformed body with 400; the /api routes keep their documented 422.
        return error(request, 400 if is_openai_path(request.url.path) else 422, _validation_message(exc.errors()))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        return error(request, exc.status_code, str(exc.detail), headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def crash(request: Request, exc: Exception):
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return error(request, 500, "Internal error — the details are in the server log.")

    errors = {code: {"model": ErrorBody} for code in (400, 401, 422, 500, 503)}
    # Who may call what is decided for every route in one place, access.AccessGuard, before a body is read.
    api = APIRouter(prefix="/api", responses=errors)

    @api.post("/search", summary="Top passages for a question (the `search --json` contract)")
    def search(body: SearchRequest) -> dict:
        hits = service.search(body.question, k=body.k, filters=body.filters.as_dict() if body.filters else None,
                              mode=body.mode)
        return search_json(service.bot, body.question, hits)

    @api.post("/ask", summary="A cited answer (the `ask --json` contract)")
    def ask(body: AskRequest) -> dict:
        # The earlier questions asked again, in order, as /v1 does (replay_history): a follow-up of a follow-up is
        # understood from what each earlier one was understood as ("How is all of this funded?" after "And the
        # Department of Foreign Affairs — its role in that plan?" stays in the plan the first question named); the
        # answers a client sends back are not read (they may be edited, or an LLM's).
        filters = body.filters.as_dict() if body.filters else None
        history = replay_history(service, body.question, [t.question for t in body.history or []], filters)
        return service.ask(body.question, history=history, filters=filters).to_json()

    @api.get("/documents", summary="Indexed documents (metadata, chunk counts, warnings) and problem files")
    def documents() -> dict:
        service.require_ready()
        return service.documents()  # paths relative to the documents folder

    @api.post("/documents", status_code=202,
              summary="Upload a document (admin); it is checked now and indexed in the background")
    def upload(file: UploadFile = File(..., description=".pdf, .docx, .txt or .md")) -> dict:
        # Read at most one byte past the limit: a huge body is refused without being held in memory whole.
        limit = settings.max_upload_mb * 1024 * 1024
        data = file.file.read(limit + 1)
        name = service.add_document(file.filename or "", data)
        return {"file": name, "doc_id": name.rsplit(".", 1)[0], "indexing": service.status()["state"]}

    @api.delete("/documents/{doc_id}", status_code=202,
                summary="Delete a document (admin): moved to the trash, the index drops it in the background")
    def delete(doc_id: str) -> dict:
        entry = service.delete_document(doc_id)
        return {"file": entry.rsplit("--", 1)[-1], "doc_id": doc_id, "trash": entry,
                "indexing": service.status()["state"]}

    @api.get("/trash", summary="Deleted documents that can be restored")
    def trash() -> dict:
        return {"trash": service.trash()}

    @api.post("/trash/{entry}/restore", status_code=202, summary="Undo a deletion (admin); re-indexed in the background")
    def restore(entry: str) -> dict:
        name = service.restore_document(entry)
        return {"file": name, "doc_id": name.rsplit(".", 1)[0], "indexing": service.status()["state"]}

    @api.get("/health", summary="Readiness and indexing progress")
    def health() -> dict:
        status = service.status()
        body: dict[str, Any] = {
            "status": "ok" if status["ready"] else ("error" if status["state"] == "error" else "starting"),
            "version": __version__,
            "indexing": {k: status[k] for k in ("state", "stage", "done", "total", "message", "error", "running")},
        }
        if status["ready"]:
            store = service.bot.store
            body.update(documents=len(store.documents), chunks=len(store.chunks))
        return body

    @api.get("/feedback.csv", summary="All feedback as CSV (trainer or admin)", response_class=Response)
    def feedback_csv() -> Response:
        return Response(service.feedback.to_csv(), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": 'attachment; filename="feedback.csv"'})

    @api.api_route("/{rest:path}", methods=["GET", "POST", "PUT", "DELETE", "PATCH"], include_in_schema=False)
    def not_found(rest: str) -> None:
        raise StarletteHTTPException(404, f"No API endpoint /api/{rest} — see /docs.")

    app.include_router(api)
    app.include_router(create_openai_router(service, Filters))
    return app


def _validation_message(errors: list[dict]) -> str:
    parts = []
    for e in errors[:5]:
        where = ".".join(str(p) for p in e.get("loc", ()) if p != "body") or "body"
        parts.append(f"{where}: {e.get('msg', 'invalid')}")
    return "Invalid request — " + "; ".join(parts)
