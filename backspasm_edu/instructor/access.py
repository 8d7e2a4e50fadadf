"""Who may see class results: the holder of the instructor key that serve gives every kernel."""

from __future__ import annotations

import hmac
import os

from backspasm_edu.settings import INSTRUCTOR_KEY_ENV


def may_see_class_results(given_key: str) -> bool:
    """Whether a page given this key may show class results.

    Yes when no key is set (one user, as in JupyterLab or on Binder), or when the key matches,
    compared in constant time.
    """
    key = os.environ.get(INSTRUCTOR_KEY_ENV, "")
    if not key:
        return True
    return hmac.compare_digest(given_key.encode(), key.encode())
