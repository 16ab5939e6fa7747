"""Retries for the Label Studio calls: connection errors, timeouts and 5xx/408/429 answers are
tried again with exponential backoff; when the server stays down the error is one line, E020
with the URL and what failed, never the token.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any, Callable, Optional, TypeVar

from nlp.config import settings
from nlp.errors import Errors, XxgkError

T = TypeVar("T")


@dataclass(frozen=True)
class RetryPolicy:
    """Retry connection errors, timeouts and 5xx/408/429 answers ``attempts`` times in all,
    waiting ``base_delay * 2**n`` seconds (at most ``max_delay``) between tries."""

    attempts: int
    base_delay: float = 0.5
    max_delay: float = 8.0

    @classmethod
    def from_env(cls, attempts: Optional[int] = None) -> "RetryPolicy":
        """``attempts`` tries, else the ``ls_retries`` setting (read now)."""
        n = attempts if attempts is not None else settings().ls_retries
        return cls(attempts=max(1, n))


def _transient(exc: BaseException) -> Optional[str]:
    """A short description when ``exc`` is worth retrying, else None."""
    import httpx
    from label_studio_sdk.core.api_error import ApiError

    if isinstance(exc, httpx.TimeoutException):
        return "timed out"
    if isinstance(exc, httpx.TransportError):
        return f"cannot connect ({type(exc).__name__})"
    if isinstance(exc, ApiError) and (exc.status_code is None or exc.status_code >= 500 or exc.status_code in (408, 429)):
        return f"HTTP {exc.status_code}"
    return None


def _call(fn: Callable[[], T], *, what: str, url: str, retry: RetryPolicy, before_retry: Optional[Callable[[], None]] = None) -> T:
    """Run ``fn`` with retries; raise E020 (URL and what failed, no secrets) when it gives up."""
    from label_studio_sdk.core.api_error import ApiError

    reason = ""
    for attempt in range(retry.attempts):
        if attempt:
            time.sleep(min(retry.base_delay * 2 ** (attempt - 1), retry.max_delay))
            if before_retry is not None:
                try:
                    before_retry()
                except XxgkError:
                    continue
        try:
            return fn()
        except Exception as exc:  # noqa: BLE001 — classified below
            reason = _transient(exc) or ""
            if not reason:
                if isinstance(exc, ApiError):
                    detail = f"{what}: HTTP {exc.status_code} {_short(exc.body)}"
                    if exc.status_code == 401:
                        detail = f"{what}: HTTP 401, the API token was refused (LABEL_STUDIO_API_KEY or the credentials file)"
                    raise XxgkError(Errors.E020, url=url, detail=detail) from None
                raise
    raise XxgkError(
        Errors.E020,
        url=url,
        detail=f"{what} failed after {retry.attempts} tries ({reason}); is it running? (xxgk ls start)",
    )


def _short(body: Any) -> str:
    s = body if isinstance(body, str) else json.dumps(body, ensure_ascii=False, default=str)
    return s[:200]
