"""The error responses every route shares, documented once in the OpenAPI schema.

Each route documents its own success body; the errors that the middleware and the
exception handlers in ``qa.app`` produce (all ``{"error": "..."}``) are added here, so
the published schema matches what the server really sends, 422 included.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

ERROR_SCHEMA = {
    "type": "object",
    "title": "Error",
    "required": ["error"],
    "properties": {
        "error": {"type": "string", "description": "One line, safe to show a user."},
        "request_id": {"type": "string", "description": "Only on 500: quote it when reporting the problem."},
    },
}
ALWAYS = {"500": "Internal error; the body carries the request id."}
WITH_INPUT = {
    "400": "The body could not be read or the input was refused.",
    "413": "The body or an input is larger than allowed.",
    "422": "The body does not match the request schema.",
}
API_ONLY = {
    "429": "Rate limit reached; see the Retry-After header.",
    "503": "The index is not built yet or the LLM is unavailable.",
}
# For routes guarded by ``require_api_key``: ``responses=API_KEY_REQUIRED``.
API_KEY_REQUIRED: dict[int | str, dict[str, Any]] = {
    401: {"description": "A valid API key is required (Authorization: Bearer or X-API-Key)."},
}


def document_errors(app: FastAPI) -> None:
    """Wrap ``app.openapi`` so the generated schema carries the shared error responses."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:  # the schema is built once, on first request
            return app.openapi_schema
        schema = generate()  # which caches it in app.openapi_schema
        schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
        for path, operations in schema.get("paths", {}).items():
            for operation in operations.values():
                codes = dict(ALWAYS)
                if "requestBody" in operation or operation.get("parameters"):
                    codes |= WITH_INPUT
                if path.startswith(("/api/", "/slack/")):
                    codes |= API_ONLY
                _add(operation["responses"], codes)
        return schema

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's documented way to extend the schema


def _add(responses: dict, codes: dict[str, str]) -> None:
    for code, description in codes.items():
        responses.setdefault(code, {"description": description})
    for code, entry in responses.items():
        if code[0] in "45":  # routers' own error codes included; FastAPI's default 422 replaced
            entry["content"] = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
