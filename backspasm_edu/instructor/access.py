"""Who may see class results: a hub's instructors, the instructor key holder, or one person."""

from __future__ import annotations

import hmac
import json
import os
import urllib.request

from backspasm_edu.progress.identity import HUB_USER_ENV, hub_user
from backspasm_edu.settings import INSTRUCTOR_KEY_ENV, INSTRUCTOR_KEY_HEADER, SINGLE_USER_ENV

VOUCHED_KEY_ENV = "HTTP_" + INSTRUCTOR_KEY_HEADER.upper().replace("-", "_")
"""The instructor key as Voila hands serve's header to the class results page's kernel."""
BINDER_ENV = "BINDER_LAUNCH_HOST"
"""Set by Binder in every session it launches."""
HUB_API_URL_ENV = "JUPYTERHUB_API_URL"
HUB_API_TOKEN_ENV = "JUPYTERHUB_API_TOKEN"
"""The hub's REST API and this single-user server's token for it, set by JupyterHub."""
INSTRUCTOR_GROUP_ENV = "BACKSPASM_EDU_INSTRUCTOR_GROUP"
"""The JupyterHub group whose members see class results (set in jupyterhub_config.py)."""
DEFAULT_INSTRUCTOR_GROUP = "instructors"
HUB_TIMEOUT = 10.0
"""Seconds to wait for the hub's answer about this server's user."""


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


def hub_instructor() -> bool:
    """Whether the hub says this server's user is an admin or in the instructors group.

    Asked of the hub's API with this server's own token (its scopes include reading the user's
    name, admin flag and groups), so nothing a browser sends takes part. No answer means no.
    """
    url = os.environ.get(HUB_API_URL_ENV, "")
    token = os.environ.get(HUB_API_TOKEN_ENV, "")
    if not (url.startswith(("http://", "https://")) and token):
        return False
    request = urllib.request.Request(
        url.rstrip("/") + "/user", headers={"Authorization": f"token {token}"}
    )
    no_proxy = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with no_proxy.open(request, timeout=HUB_TIMEOUT) as response:
            user = json.load(response)
    except (OSError, ValueError):
        return False
    if not isinstance(user, dict) or user.get("name") != os.environ.get(HUB_USER_ENV):
        return False
    group = os.environ.get(INSTRUCTOR_GROUP_ENV) or DEFAULT_INSTRUCTOR_GROUP
    groups = user.get("groups")
    return user.get("admin") is True or (isinstance(groups, list) and group in groups)


def may_see_class_results(given_key: str) -> bool:
    """Whether a page given this key may show class results.

    Under JupyterHub ($JUPYTERHUB_USER set) the hub decides, never a key: its admins and the
    members of the instructors group (``hub_instructor``). Elsewhere, yes when ``given_key``
    matches the instructor key, compared in constant time. The key comes
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
    if hub_user():
        return hub_instructor()
    key = os.environ.get(INSTRUCTOR_KEY_ENV) or os.environ.get(VOUCHED_KEY_ENV, "")
    if not key:
        return single_user()
    return hmac.compare_digest(given_key.encode(), key.encode())
