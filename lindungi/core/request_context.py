"""Who is asking, from where: set per request by RequestContextMiddleware, read by the audit trail
so that services do not have to pass the request around."""

from __future__ import annotations

import contextvars
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestInfo:
    request_id: str = ""
    ip: str | None = None


_current: contextvars.ContextVar[RequestInfo] = contextvars.ContextVar("lindungi_request", default=RequestInfo())  # noqa: B039 (frozen)


def current() -> RequestInfo:
    return _current.get()


def bind(info: RequestInfo) -> contextvars.Token:
    return _current.set(info)


def reset(token: contextvars.Token) -> None:
    _current.reset(token)
