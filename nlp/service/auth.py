"""The HTTP API's bearer token: generated at the first start into a file only its owner can
read (mode 0600), compared in constant time, never printed or logged."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def token(path: Path) -> str:
    """The token in ``path``, created there (0600, in a 0700 folder it creates) if missing."""
    path = Path(path)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process made it first
            pass
        else:
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_urlsafe(32) + "\n")
    os.chmod(path, 0o600)
    value = path.read_text().strip()
    if not value:
        raise ValueError(f"{path} holds no token: delete it to have a new one made")
    return value


def authorized(header: str, expected: str) -> bool:
    """Whether an ``Authorization`` header carries the expected bearer token."""
    scheme, _, value = (header or "").partition(" ")
    return scheme.lower() == "bearer" and secrets.compare_digest(value.strip().encode(), expected.encode())
