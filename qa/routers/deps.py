"""FastAPI dependencies shared by the routers: the service, the settings, API-key checks."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Request

from core.errors import Unauthorized
from core.settings import Settings
from qa.service import Service


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_service(request: Request) -> Service:
    return request.app.state.service


ServiceDep = Annotated[Service, Depends(get_service)]


def presented_key(request: Request) -> str:
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip()
    return request.headers.get("x-api-key", "").strip()


def require_api_key(request: Request) -> None:
    """Admin and write endpoints: open when no keys are configured, else a valid key."""
    keys = request.app.state.settings.api_keys
    if not keys:
        return
    given = presented_key(request).encode()
    if not any(hmac.compare_digest(given, k.get_secret_value().encode()) for k in keys):
        raise Unauthorized("a valid API key is required (Authorization: Bearer <key> or X-API-Key)")
