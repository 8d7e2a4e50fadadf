"""Run `backspasm-edu serve` with one change, for side-by-side benchmarks of the two.

    python benchmarks/_serve_folder.py FOLDER [serve options...]    another folder of notebooks
    python benchmarks/_serve_folder.py --uncompressed [serve options...]    responses not gzipped

Everything else is `backspasm-edu serve` itself: the same code builds the same Voila
configuration (template, extensions, stripped sources, ipc kernels, culling).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from backspasm_edu.app import cli, serve


def uncompressed_config(options: serve.ServeOptions, folder: Path) -> Any:
    """Serve's own configuration, with gzip of responses turned off."""
    config = original_config(options, folder)
    config.Voila.tornado_settings["compress_response"] = False
    return config


original_config = serve.voila_config

if __name__ == "__main__":
    change, *options = sys.argv[1:]
    if change == "--uncompressed":
        serve.voila_config = uncompressed_config  # type: ignore[assignment]  # the only change
    else:
        folder = Path(change).resolve()
        serve.notebooks_dir = lambda: folder  # type: ignore[assignment]  # the only change
    sys.exit(cli.main(["serve", *options]))
