"""Files the bank commands write: whole or not at all, never over a file unless told to."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from backspasm_edu.errors import InputError, show_value

__all__ = ["write_new_file"]


def write_new_file(option: str, dest: str | os.PathLike[str], data: bytes, *, force: bool) -> Path:
    """Write ``data`` to ``dest`` whole or not at all; an existing file only with ``force``.

    Refuses (InputError naming ``option``) a folder, or an existing file unless ``force``.
    Missing parent folders are made.
    """
    path = Path(dest)
    if path.is_dir():
        raise InputError(option, "a file name, not a folder", show_value(str(path)))
    if path.exists() and not force:
        raise InputError(
            option,
            "a file that does not exist yet (--force replaces it)",
            f"{show_value(str(path))}, which exists",
        )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, path)
        except BaseException:
            os.unlink(temporary)
            raise
    except OSError as error:
        raise InputError(
            option, "a file that can be written", f"{show_value(str(path))} ({error.strerror})"
        ) from None
    return path
