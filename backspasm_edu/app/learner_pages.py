"""Each app page's learner, vouched for by serve: a private browser id and signed class links.

Every app page request passes through ``vouch_for_learner`` before Voila starts its kernel.
It gives a browser with no (valid) cookie a private random id in a signed cookie, and hands
the kernel two request headers it sets itself (any a browser sent are removed): the browser's
id, and "yes" when the page's ``?learner=`` came with the right ``code`` for that name.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from backspasm_edu.errors import InputError
from backspasm_edu.progress import clean_name, code_matches, course_secret, learner_code
from backspasm_edu.progress.identity import BROWSER_ID_PATTERN, new_browser_id
from backspasm_edu.settings import BROWSER_HEADER, SIGNED_LEARNER_HEADER

BROWSER_COOKIE = "backspasm_browser"
COOKIE_DAYS = 365
"""A browser keeps its id (and so its progress) this long after its last visit."""
SECRET_SETTING = "backspasm_course_secret"
"""The Tornado setting holding the course secret that class link codes are checked against."""
START_PAGE = "voila/render/00_start_here.ipynb"


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
    for header in (BROWSER_HEADER, SIGNED_LEARNER_HEADER):
        if header in headers:
            del headers[header]
    headers[BROWSER_HEADER] = browser
    name = handler.get_query_argument("learner", "")
    code = handler.get_query_argument("code", "")
    if name and code and code_matches(handler.settings[SECRET_SETTING], name, code):
        headers[SIGNED_LEARNER_HEADER] = "yes"


def learner_page_handler() -> type:
    """Voila's page handler, vouching for the learner before the page's kernel starts."""
    from voila.tornado.handler import TornadoVoilaHandler

    class LearnerPageHandler(TornadoVoilaHandler):  # type: ignore[misc]  # voila is untyped
        """An app page whose kernel knows which browser and which class link asked for it."""

        async def prepare(self, **kwargs: Any) -> None:
            prepared = super().prepare(**kwargs)
            if inspect.isawaitable(prepared):
                await prepared
            vouch_for_learner(self)

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


def class_links(base_url: str, names: Sequence[str], store: Path) -> list[tuple[str, str]]:
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
