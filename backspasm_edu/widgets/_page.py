"""The app page's address parameters and its learner, also under preheated kernels."""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode

from backspasm_edu.progress import ProgressError, ProgressStore, browser_key, clean_name
from backspasm_edu.progress.identity import BROWSER_ID_PATTERN, hub_user
from backspasm_edu.settings import BROWSER_HEADER, SIGNED_LEARNER_HEADER

CONNECT_TIMEOUT = 5.0
"""Seconds to reach Voila's request-info socket, as Voila's own ``wait_for_request`` allows."""


def _request_info_url() -> str:
    """Voila's socket that sends a preheated kernel its page's request, from the kernel's env."""
    base = os.environ.get("VOILA_WS_BASE_URL", os.environ.get("VOILA_SERVER_URL", "/"))
    return (
        f"{os.environ.get('VOILA_WS_PROTOCOL', 'ws')}://"
        f"{os.environ.get('VOILA_APP_IP', '127.0.0.1')}:{os.environ.get('VOILA_APP_PORT', '8866')}"
        f"{base}voila/query/{os.environ.get('VOILA_KERNEL_ID', '')}"
    )


@functools.cache
def _wait_for_the_page() -> None:
    """Under Voila's preheated kernels, wait (once) until a page claims this kernel.

    A preheated kernel runs the notebook before anyone asks for it, so the page's query string
    only arrives with the request, over a websocket that Voila 0.5 writes to once. This does
    what ``voila.utils.wait_for_request`` does without importing Voila and the Jupyter server
    into every kernel (1.5 s and about 20 MiB each). If the socket cannot be reached the page
    works without the parameters: the learner types their name.
    """
    if os.environ.get("VOILA_PREHEAT", "False") != "True":
        return
    from websockets.exceptions import WebSocketException
    from websockets.sync.client import connect

    try:
        with connect(_request_info_url(), open_timeout=CONNECT_TIMEOUT) as socket:
            request = json.loads(socket.recv())
    except (OSError, WebSocketException, ValueError):
        return
    os.environ.update({str(name): str(value) for name, value in request.items()})


def page_parameter(name: str) -> str:
    """The value of ``name`` in the app page's query string, else "".

    Voila hands each page's query string to its kernel as $QUERY_STRING.
    """
    _wait_for_the_page()
    return parse_qs(os.environ.get("QUERY_STRING", "")).get(name, [""])[0]


def _header_env(header: str) -> str:
    """A request header as Voila hands it to the kernel (RFC 3875 names: HTTP_X_...)."""
    _wait_for_the_page()
    return os.environ.get("HTTP_" + header.upper().replace("-", "_"), "")


@dataclass(frozen=True)
class PageLearner:
    """Who this page is for, as far as the server vouches for it.

    ``browser`` is the private id ``serve`` gives each browser ("" elsewhere: JupyterLab,
    Binder, plain Voila, where the computer is the learner's own). ``signed`` says the server
    vouches for the page's name: it came with its class link's code, or, with ``hub`` set, it is
    the JupyterHub user whose own server runs the page.
    """

    name: str
    signed: bool
    browser: str
    hub: bool = False

    @property
    def shared_server(self) -> bool:
        """Whether the page comes from a server many learners share (``serve``)."""
        return bool(self.browser)

    def key(self, typed_name: str | None = None) -> str:
        """The key this learner's records are kept under.

        A class link's name; else, on a shared server, this browser's private key (a typed
        name is only a label there); else the name typed (``typed_name``) or in the link.
        """
        if self.signed:
            return self.name
        if self.browser:
            return browser_key(self.browser)
        return clean_name(self.name if typed_name is None else typed_name)

    def shown_name(self, store: ProgressStore | None) -> str:
        """The learner's name as the page shows it: their link's, else the label they gave.

        On a shared server a browser's label is kept in the store; elsewhere the name is the
        one in the link.
        """
        if self.shared_server and not self.signed and store is not None:
            try:
                return store.names().get(self.key(), self.name)
            except ProgressError:
                return self.name
        return self.name

    def query(self) -> str:
        """The page's learner parameters as a query string ("?learner=...&code=..." or "").

        Under JupyterHub there are none to carry: the hub user is the learner on every page.
        """
        if self.hub:
            return ""
        kept = {name: page_parameter(name) for name in ("learner", "code")}
        kept = {name: value for name, value in kept.items() if value}
        return f"?{urlencode(kept)}" if kept else ""


_fills_waiting: list[Callable[[PageLearner], None]] = []
"""What the app's views fill in once a preheated kernel's page arrives (``when_page_is_known``)."""


def page_is_known() -> bool:
    """Whether the learner can be read without waiting (not so in a preheated kernel, yet)."""
    preheated = os.environ.get("VOILA_PREHEAT", "False") == "True"
    return not preheated or bool(hub_user()) or _wait_for_the_page.cache_info().currsize > 0


def when_page_is_known(fill: Callable[[PageLearner], None]) -> None:
    """Run ``fill(page_learner())`` now, or in a preheated kernel once its page arrives.

    A class pool's kernel runs the app's notebook before anyone opens it: the views build
    their widgets then and leave the learner's own parts to ``fill``, so a student's page
    costs only those. The page arrives at the first ``page_learner()`` after this (the app's
    footer, in its last cell).
    """
    if page_is_known():
        fill(page_learner())
    else:
        _fills_waiting.append(fill)


def page_learner() -> PageLearner:
    """The learner of this page: the hub user, else its ``?learner=`` name and what serve says.

    Under JupyterHub the server is the signed-in user's own, so they are the learner whatever
    the address or a request header says. In a preheated kernel the first call waits for the
    page, then runs what ``when_page_is_known`` kept for it.
    """
    user = hub_user()
    if user:
        page = PageLearner(name=user, signed=True, browser="", hub=True)
    else:
        browser = _header_env(BROWSER_HEADER)
        page = PageLearner(
            name=clean_name(page_parameter("learner")),
            signed=_header_env(SIGNED_LEARNER_HEADER) == "yes",
            browser=browser if BROWSER_ID_PATTERN.fullmatch(browser) else "",
        )
    while _fills_waiting:
        _fills_waiting.pop(0)(page)
    return page
