"""The app page's address parameters (``?learner=``, ``?key=``), also under preheated kernels."""

from __future__ import annotations

import functools
import os
from urllib.parse import parse_qs


@functools.cache
def _wait_for_the_page() -> None:
    """Under Voila's preheated kernels, wait (once) until a page claims this kernel.

    A preheated kernel runs the notebook before anyone asks for it, so the page's query string
    only arrives with the request; Voila's ``wait_for_request`` blocks until then and sets
    $QUERY_STRING. Voila 0.5 sends that request once, so a second wait would never end.
    """
    if os.environ.get("VOILA_PREHEAT", "False") == "True":
        from voila.utils import wait_for_request

        wait_for_request()


def page_parameter(name: str) -> str:
    """The value of ``name`` in the app page's query string, else "".

    Voila hands each page's query string to its kernel as $QUERY_STRING.
    """
    _wait_for_the_page()
    return parse_qs(os.environ.get("QUERY_STRING", "")).get(name, [""])[0]
