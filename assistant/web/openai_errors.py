"""OpenAI's wire shape of an error, shared by the /v1 routes (openai_api.py) and the access guard in front of
them (access.py): a leaf module, so the guard does not reach up into the routes it guards."""
from __future__ import annotations

# status → (OpenAI error type, default code)
_ERROR_KINDS = {
    400: ("invalid_request_error", "invalid_request"),
    401: ("invalid_request_error", "invalid_api_key"),
    403: ("permission_error", "permission_denied"),
    404: ("invalid_request_error", "not_found"),
    405: ("invalid_request_error", "method_not_allowed"),
    413: ("invalid_request_error", "request_too_large"),
    421: ("invalid_request_error", "unknown_host"),
    429: ("rate_limit_error", "rate_limit_exceeded"),
    500: ("server_error", "internal_error"),
    503: ("server_error", "unavailable"),
}


def is_openai_path(path: str) -> bool:
    """True for the routes that answer in OpenAI's shapes (/v1/…)."""
    return path == "/v1" or path.startswith("/v1/")


def openai_error(status: int, message: str, code: str | None = None) -> dict:
    """OpenAI's error body for an HTTP status: {"error": {"message", "type", "param", "code"}}."""
    kind, default_code = _ERROR_KINDS.get(status, ("server_error" if status >= 500 else "invalid_request_error",
                                                   None))
    return {"error": {"message": message, "type": kind, "param": None, "code": code or default_code}}
