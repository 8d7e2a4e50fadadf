"""Stop at once, with one line, when this Python cannot run backspasm-edu or make its .venv.

make runs it with $(PYTHON) before creating .venv: `python3 requirements/check_python.py`.
It reads the supported range from pyproject.toml's requires-python, so that is the one place it
is written. It must run on any Python a newcomer might have, old ones included, so it uses no
f-strings, no annotations and nothing outside the standard library. Exit 0: fine; exit 2: not.
"""

import os
import re
import sys

PYPROJECT = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "pyproject.toml")
HOW_TO_GET_ONE = (
    "install one (on Debian 12: sudo apt-get install python3 python3-venv) "
    "and run make again with PYTHON=/path/to/python3"  # make's error line adds the full stop
)


def supported_range():
    """The lowest supported X.Y and the first X.Y that is too new, from requires-python."""
    with open(PYPROJECT) as handle:
        text = handle.read()
    found = re.search(r'^requires-python\s*=\s*">=(\d+)\.(\d+)\s*,\s*<(\d+)\.(\d+)"', text, re.M)
    if found is None:
        sys.stderr.write('pyproject.toml: make needs requires-python = ">=X.Y,<X.Z"\n')
        sys.exit(2)
    low_major, low_minor, high_major, high_minor = (int(part) for part in found.groups())
    return (low_major, low_minor), (high_major, high_minor)


def problem():
    """What is wrong with this interpreter, in one line, or None when it will do."""
    low, high = supported_range()
    found = "%d.%d.%d" % sys.version_info[:3]
    supported = "%d.%d to %d.%d" % (low[0], low[1], high[0], high[1] - 1)
    if not low <= tuple(sys.version_info[:2]) < high:
        return "%s is Python %s; backspasm-edu supports Python %s: %s" % (
            sys.executable,
            found,
            supported,
            HOW_TO_GET_ONE,
        )
    try:
        import ensurepip  # noqa: F401  (Debian splits it out of python3 into python3-venv)
        import venv  # noqa: F401
    except ImportError:
        return (
            "%s (Python %s) cannot create a virtual environment: "
            "install Debian's python3-venv (sudo apt-get install python3-venv) and run make again"
            % (sys.executable, found)
        )
    return None


if __name__ == "__main__":
    message = problem()
    if message:
        sys.stderr.write(message + "\n")
        sys.exit(2)
