"""The app page's address parameters (``?learner=``, ``?key=``), also under preheated kernels."""

from __future__ import annotations

import functools
import json
import os
from urllib.parse import parse_qs

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
