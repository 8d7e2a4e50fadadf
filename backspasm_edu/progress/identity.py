"""Who a learner is in the store: a private browser id, a signed class link, or a typed name.

A learner's key is what their records are kept under:

- ``#`` and a private random id, for a browser on a shared server (``serve`` gives each browser
  one in a signed cookie). The name the learner types is only a label for the instructor, kept
  beside the key, so typing a classmate's name opens nothing of theirs.
- The name itself, for a learner who opened their own class link (a name with a code that only
  the course's secret can make), for a JupyterHub user (the hub signed them in and runs the
  server as theirs), and on a computer that is the learner's own (JupyterLab, Binder, plain
  Voila), where a name is all there is to tell people apart.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import secrets
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path

from backspasm_edu.progress.store import ProgressError, Record, is_database_url
from backspasm_edu.settings import MAX_NAME_LENGTH

BROWSER_PREFIX = "#"
BROWSER_ID_PATTERN = re.compile(r"[0-9a-f]{32}")
"""A private browser id: 128 random bits as hex, as ``new_browser_id`` makes them."""
NO_NAME = "(no name)"
"""How a learner who gave no name is shown, with the start of their key to tell them apart."""
HUB_USER_ENV = "JUPYTERHUB_USER"
"""Set by JupyterHub in the environment of each single-user server (and so of its kernels)."""
_REKEYED = uuid.UUID("6f9e3a52-3f55-4d1c-9a57-2d8b3c4e1a10")


def clean_name(text: str) -> str:
    """A name as kept: spaces trimmed and at most MAX_NAME_LENGTH characters."""
    return " ".join(str(text).split())[:MAX_NAME_LENGTH]


def hub_user() -> str:
    """The JupyterHub user whose server runs this kernel, else "" (not under a hub)."""
    return clean_name(os.environ.get(HUB_USER_ENV, ""))


def new_browser_id() -> str:
    """A fresh private id for one browser."""
    return secrets.token_hex(16)


def browser_key(browser_id: str) -> str:
    """The key a browser's records are kept under."""
    if not BROWSER_ID_PATTERN.fullmatch(browser_id):
        raise ProgressError(f"expected a private browser id of 32 hex digits, got {browser_id!r}")
    return BROWSER_PREFIX + browser_id


def is_browser_key(key: str) -> bool:
    """Whether ``key`` is a browser's private key rather than a name."""
    return key.startswith(BROWSER_PREFIX) and bool(BROWSER_ID_PATTERN.fullmatch(key[1:]))


def learner_labels(keys: Iterable[str], names: Mapping[str, str]) -> dict[str, str]:
    """How the instructor sees each key: the learner's name, told apart when two share one.

    A browser key shows the name its learner typed, else "(no name)"; either way with the start
    of the key when another learner is shown the same.
    """
    shown = {}
    for key in keys:
        if is_browser_key(key):
            shown[key] = names.get(key) or NO_NAME
        else:
            shown[key] = key or NO_NAME
    counts: dict[str, int] = {}
    for label in shown.values():
        counts[label] = counts.get(label, 0) + 1
    return {
        key: f"{label} ({key[1:7]})" if counts[label] > 1 and is_browser_key(key) else label
        for key, label in shown.items()
    }


def secret_path(store: Path) -> Path:
    """The course secret that signs class links: a file beside the progress store."""
    return store.with_name(store.name + ".secret")


def course_secret(store: Path | str) -> bytes:
    """The course's secret, made on first use and readable by its owner only.

    Kept beside a store file, or in a PostgreSQL store for every server of the class, so class
    links stay valid when a server restarts.
    """
    if is_database_url(store):
        from backspasm_edu.progress.postgres import PostgresStore

        with PostgresStore(store) as database:
            return database.course_secret()
    path = secret_path(Path(store))
    try:
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    except FileNotFoundError:
        pass
    except (OSError, ValueError) as error:
        raise ProgressError(
            f"{path}: expected the course secret (64 hex digits), got a file that cannot be "
            f"used ({error}); delete it to make a new one (old class links stop working)"
        ) from None
    secret = secrets.token_bytes(32)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return course_secret(store)  # another process made it first: use theirs
    except OSError as error:
        raise ProgressError(f"{path}: cannot write the course secret ({error.strerror})") from None
    with os.fdopen(handle, "w", encoding="ascii") as file:
        file.write(secret.hex() + "\n")
    return secret


def learner_code(secret: bytes, name: str) -> str:
    """The code in a learner's own class link: only the course secret can make it."""
    digest = hmac.new(secret, b"learner:" + clean_name(name).encode("utf-8"), hashlib.sha256)
    return base64.urlsafe_b64encode(digest.digest()[:15]).decode("ascii")


def code_matches(secret: bytes, name: str, code: str) -> bool:
    """Whether ``code`` is the one ``learner_code`` makes for ``name``."""
    return bool(clean_name(name)) and hmac.compare_digest(
        learner_code(secret, name).encode("ascii"), code.encode("utf-8", "replace")
    )


def rekeyed(records: Iterable[Record], key: str) -> list[Record]:
    """Records made this learner's: their key, and ids that stay the same on a second restore.

    Records restored from a file always become the restoring learner's own, so nobody can
    plant answers under another learner's key.
    """
    return [
        replace(
            record,
            learner=key,
            record_id=uuid.uuid5(_REKEYED, f"{record.record_id}|{key}").hex
            if record.learner != key
            else record.record_id,
        )
        for record in records
    ]
