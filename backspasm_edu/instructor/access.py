"""Who may see class results: the instructor key holder, else one person on their own machine."""

from __future__ import annotations

import hmac
import os

from backspasm_edu.settings import INSTRUCTOR_KEY_ENV, INSTRUCTOR_KEY_HEADER, SINGLE_USER_ENV

VOUCHED_KEY_ENV = "HTTP_" + INSTRUCTOR_KEY_HEADER.upper().replace("-", "_")
"""The instructor key as Voila hands serve's header to the class results page's kernel."""
BINDER_ENV = "BINDER_LAUNCH_HOST"
"""Set by Binder in every session it launches."""


def _rendered_by_voila() -> bool:
    """Whether this kernel runs a page Voila serves (Voila sets these for its kernels)."""
    return os.environ.get("SERVER_SOFTWARE", "").startswith("voila/") or bool(
        os.environ.get("VOILA_BASE_URL")
    )


def single_user() -> bool:
    """Whether this kernel serves one person only: JupyterLab, Binder, or the explicit setting."""
    return (
        os.environ.get(SINGLE_USER_ENV) == "1"
        or bool(os.environ.get(BINDER_ENV))
        or not _rendered_by_voila()
    )


def may_see_class_results(given_key: str) -> bool:
    """Whether a page given this key may show class results.

    Yes when ``given_key`` matches the instructor key, compared in constant time. The key comes
    from $BACKSPASM_EDU_INSTRUCTOR_KEY, or, under ``backspasm-edu serve``, from the header serve
    sets on the class results page alone once it has checked the key itself (so no learner's
    kernel ever holds it). With no key anywhere, class results fail closed: they open only where
    one person is the only user (``single_user``), namely

    - a notebook run in JupyterLab or Jupyter Notebook, not rendered by Voila (whoever runs it
      can run any code and read the store anyway);
    - a Binder session ($BINDER_LAUNCH_HOST set: a private container for one visitor);
    - $BACKSPASM_EDU_SINGLE_USER=1, set by the person starting Voila on their own computer.

    So a bare ``voila notebooks/`` with no key and neither of the last two shows no results.
    """
    key = os.environ.get(INSTRUCTOR_KEY_ENV) or os.environ.get(VOUCHED_KEY_ENV, "")
    if not key:
        return single_user()
    return hmac.compare_digest(given_key.encode(), key.encode())
