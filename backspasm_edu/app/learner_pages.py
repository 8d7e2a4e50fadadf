"""Each app page, checked by serve before its kernel starts: learner, instructor key, limits.

Every app page request passes through ``vouch_for_learner`` before Voila starts its kernel.
It gives a browser with no (valid) cookie a private random id in a signed cookie, and hands
the kernel two request headers it sets itself (any a browser sent are removed): the browser's
id, and "yes" when the page's ``?learner=`` came with the right ``code`` for that name. Then
the class results page is refused (403) without the instructor key, and any page is refused
when its client has opened too many pages this minute (429) or the class is full (503): a
plain page, and no kernel started.
"""

from __future__ import annotations

import hmac
import inspect
import ipaddress
import os
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from backspasm_edu.errors import InputError
from backspasm_edu.progress import clean_name, code_matches, course_secret, learner_code
from backspasm_edu.progress.identity import BROWSER_ID_PATTERN, new_browser_id
from backspasm_edu.settings import (
    BROWSER_HEADER,
    INSTRUCTOR_KEY_HEADER,
    RETRY_AFTER_SECONDS,
    SIGNED_LEARNER_HEADER,
)

BROWSER_COOKIE = "backspasm_browser"
COOKIE_DAYS = 365
"""A browser keeps its id (and so its progress) this long after its last visit."""
SECRET_SETTING = "backspasm_course_secret"
"""The Tornado setting holding the course secret that class link codes are checked against."""
START_PAGE = "voila/render/00_start_here.ipynb"
ADMISSION_SETTING = "backspasm_page_admission"
"""The Tornado setting holding the PageAdmission that limits new pages' kernels."""
INSTRUCTOR_KEY_SETTING = "backspasm_instructor_key"
"""The Tornado setting holding the instructor key (kept out of every kernel's environment)."""
DASHBOARD_SETTING = "backspasm_dashboard_file"
"""The Tornado setting holding the class results notebook's file, which needs the key."""
_BUCKETS_KEPT = 1024
"""Client addresses remembered before those with a full allowance again are forgotten."""


@dataclass
class PageAdmission:
    """Which new app pages may start a kernel: a cap on live kernels and a rate per client.

    ``pages_per_minute`` is a token bucket per client address (0: no limit): a client may open
    that many pages at once, then one more each 60/N seconds. ``starting`` counts pages let in
    whose kernel has not started yet, so a burst of requests cannot pass the cap together.
    """

    max_kernels: int
    pages_per_minute: int
    starting: int = 0
    _allowance: dict[str, tuple[float, float]] = field(default_factory=dict)

    def client_may_open(self, address: str, now: float) -> bool:
        """Take one page from this client's allowance; False when it has none left."""
        if self.pages_per_minute <= 0:
            return True
        per_second = self.pages_per_minute / 60
        tokens, then = self._allowance.get(address, (float(self.pages_per_minute), now))
        tokens = min(float(self.pages_per_minute), tokens + (now - then) * per_second)
        if len(self._allowance) >= _BUCKETS_KEPT:
            self._forget_full_allowances(now)
        if tokens < 1:
            self._allowance[address] = (tokens, now)
            return False
        self._allowance[address] = (tokens - 1, now)
        return True

    def _forget_full_allowances(self, now: float) -> None:
        """Drop clients whose allowance has refilled: they are as good as new ones."""
        full_after = 60.0
        self._allowance = {
            address: (tokens, then)
            for address, (tokens, then) in self._allowance.items()
            if now - then < full_after
        }

    def has_room(self, live_kernels: int) -> bool:
        """Whether one more page's kernel stays within the cap."""
        return live_kernels + self.starting < self.max_kernels


def plain_page(title: str, message: str) -> str:
    """A small HTML page with a heading and one paragraph, for an answer that is not an app."""
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title></head>"
        '<body style="font-family:sans-serif;max-width:40em;margin:3em auto;padding:0 1em">'
        f"<h1>{escape(title)}</h1><p>{escape(message)}</p></body></html>\n"
    )


def refuse_page(handler: Any, status: int, title: str, message: str, retry: bool) -> None:
    """Answer the request with a plain page and ``status`` (Retry-After when ``retry``)."""
    handler.set_status(status)
    handler.set_header("Content-Type", "text/html; charset=UTF-8")
    handler.set_header("Cache-Control", "no-store")
    if retry:
        handler.set_header("Retry-After", str(RETRY_AFTER_SECONDS))
    handler.finish(plain_page(title, message))


def is_dashboard(handler: Any) -> bool:
    """Whether the page asked for is the class results notebook, however its path is spelled."""
    dashboard = handler.settings.get(DASHBOARD_SETTING)
    requested = handler.path_args[0] if handler.path_args else None
    if dashboard is None or not requested:
        return False
    # Voila's contents manager reads "/name", "./name" and "a/../name" as "name" too.
    inside = os.path.normpath("/" + requested).lstrip("/")
    try:
        return os.path.samefile(Path(handler.contents_manager.root_dir, inside), dashboard)
    except (OSError, ValueError):
        return False


def check_instructor(handler: Any) -> bool:
    """Let the class results page through only with the key; hand its kernel the key alone.

    Any other page passes. A missing or wrong ``?key=`` gets a plain 403 page, and no kernel.
    """
    if not is_dashboard(handler):
        return True
    key = handler.settings.get(INSTRUCTOR_KEY_SETTING, "")
    given = handler.get_query_arguments("key")
    if key and len(given) == 1 and hmac.compare_digest(given[0].encode(), key.encode()):
        handler.request.headers[INSTRUCTOR_KEY_HEADER] = key
        return True
    refuse_page(
        handler,
        403,
        "This page is for the instructor",
        "It shows every learner's answers, so it opens only with the instructor link that "
        "backspasm-edu serve printed when it started.",
        retry=False,
    )
    return False


def client_address(request: Any) -> str:
    """The address of the device asking, as far as this computer can tell.

    That is the peer's address, or, when the peer is this computer (an HTTPS proxy in front of
    serve), the one the proxy names in X-Real-Ip or X-Forwarded-For. Forwarding headers from any
    other peer are ignored: a device cannot pose as many.
    """
    peer = str(request.remote_ip or "")
    try:
        if not ipaddress.ip_address(peer).is_loopback:
            return peer
    except ValueError:
        return peer
    headers = request.headers
    forwarded = headers.get("X-Real-Ip") or headers.get("X-Forwarded-For", "").split(",")[-1]
    try:
        return str(ipaddress.ip_address(forwarded.strip()))
    except ValueError:
        return peer


def admit_page(handler: Any, admission: PageAdmission) -> bool:
    """Whether a new page may start a kernel; if not, answer 429 or 503 with a plain page."""
    if not admission.client_may_open(client_address(handler.request), time.monotonic()):
        refuse_page(
            handler,
            429,
            "Too many pages at once",
            f"This device opened more than {admission.pages_per_minute} app pages in a minute. "
            "Wait a minute, then reload this page.",
            retry=True,
        )
        return False
    if not admission.has_room(len(handler.settings["kernel_manager"].list_kernel_ids())):
        refuse_page(
            handler,
            503,
            "The class is full - try again in a minute",
            "Every place on this server is taken. Wait a minute, then reload this page; "
            "closing app pages you no longer use frees places.",
            retry=True,
        )
        return False
    admission.starting += 1
    return True


class _ReleasingKernelManager:
    """Voila's kernel manager, releasing a page's place in ``starting`` once its kernel is in."""

    def __init__(self, manager: Any, release: Callable[[], None]) -> None:
        self._manager, self._release = manager, release

    def __getattr__(self, name: str) -> Any:
        return getattr(self._manager, name)

    async def start_kernel(self, **kwargs: Any) -> Any:
        try:
            return await self._manager.start_kernel(**kwargs)
        finally:
            self._release()

    async def get_rendered_notebook(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return await self._manager.get_rendered_notebook(*args, **kwargs)
        finally:
            self._release()


def vouch_for_learner(handler: Any) -> None:
    """Set the browser's id cookie and the two learner headers the kernel trusts."""
    raw = handler.get_signed_cookie(BROWSER_COOKIE, max_age_days=COOKIE_DAYS)
    browser = raw.decode("ascii", "replace") if raw else ""
    if not BROWSER_ID_PATTERN.fullmatch(browser):
        browser = new_browser_id()
    # Set on every page, so the cookie lasts COOKIE_DAYS from the learner's last visit.
    handler.set_signed_cookie(
        BROWSER_COOKIE,
        browser,
        expires_days=COOKIE_DAYS,
        httponly=True,
        samesite="Lax",
        path=handler.base_url,
    )
    headers = handler.request.headers
    for header in (BROWSER_HEADER, SIGNED_LEARNER_HEADER, INSTRUCTOR_KEY_HEADER):
        if header in headers:
            del headers[header]
    headers[BROWSER_HEADER] = browser
    name = handler.get_query_argument("learner", "")
    code = handler.get_query_argument("code", "")
    if name and code and code_matches(handler.settings[SECRET_SETTING], name, code):
        headers[SIGNED_LEARNER_HEADER] = "yes"


def learner_page_handler() -> type:
    """Voila's page handler, checking the page and vouching for the learner before its kernel."""
    from voila.tornado.handler import TornadoVoilaHandler

    class LearnerPageHandler(TornadoVoilaHandler):  # type: ignore[misc]  # voila is untyped
        """An app page whose kernel knows which browser and which class link asked for it."""

        _admitted_by: PageAdmission | None = None

        async def prepare(self, **kwargs: Any) -> None:
            prepared = super().prepare(**kwargs)
            if inspect.isawaitable(prepared):
                await prepared
            if self._finished:
                return
            vouch_for_learner(self)
            if not check_instructor(self):
                return
            admission = self.settings.get(ADMISSION_SETTING)
            if admission is not None and admit_page(self, admission):
                self._admitted_by = admission

        @property
        def kernel_manager(self) -> Any:
            manager = super().kernel_manager
            if self._admitted_by is None:
                return manager
            return _ReleasingKernelManager(manager, self._release_place)

        def _release_place(self) -> None:
            if self._admitted_by is not None:
                self._admitted_by.starting -= 1
                self._admitted_by = None

        def on_finish(self) -> None:
            self._release_place()
            super().on_finish()

        def on_connection_close(self) -> None:
            self._release_place()
            super().on_connection_close()

    return LearnerPageHandler


def with_learner_pages(handlers: Iterable[Any]) -> list[Any]:
    """Voila's handlers, with its page handler replaced by the one that vouches for learners."""
    from voila.tornado.handler import TornadoVoilaHandler

    page_handler = learner_page_handler()
    return [
        (handler[0], page_handler, *handler[2:])
        if isinstance(handler, tuple) and handler[1] is TornadoVoilaHandler
        else handler
        for handler in handlers
    ]


def read_class_list(path: Path) -> list[str]:
    """The names in a class list: one per line (blank lines and ``#`` comments skipped)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise InputError(
            "--class-list", "a text file with one name per line", f"{path} ({error.strerror})"
        ) from None
    except UnicodeDecodeError:
        raise InputError(
            "--class-list", "UTF-8 text", f"bytes that are not text in {path}"
        ) from None
    names = [clean_name(line) for line in text.splitlines() if not line.lstrip().startswith("#")]
    return check_class_names([name for name in names if name], f"--class-list {path}")


def check_class_names(names: Sequence[str], where: str = "names") -> list[str]:
    """The names, cleaned, once checked: at least one, and each only once."""
    cleaned = [clean_name(name) for name in names]
    if not any(cleaned):
        raise InputError(where, "at least one learner's name", "none")
    duplicates = sorted({name for name in cleaned if cleaned.count(name) > 1})
    if duplicates:
        raise InputError(
            where,
            "each learner's name once (add an initial to tell two apart)",
            ", ".join(duplicates) + " more than once",
        )
    return [name for name in cleaned if name]


def class_links(base_url: str, names: Sequence[str], store: Path | str) -> list[tuple[str, str]]:
    """Each learner's own link to the course: their name and a code made with the secret."""
    secret = course_secret(store)
    return [
        (
            name,
            f"{base_url.rstrip('/')}/{START_PAGE}?"
            + urlencode({"learner": name, "code": learner_code(secret, name)}),
        )
        for name in check_class_names(names)
    ]
