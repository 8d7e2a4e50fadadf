"""Run `backspasm-edu serve` over another folder of notebooks (for bench_apps.py's baseline).

    python benchmarks/_serve_folder.py FOLDER [serve options...]

Everything but the folder is `backspasm-edu serve` itself: the same code builds the same
Voila configuration (template, extensions, stripped sources, ipc kernels, culling).
"""

from __future__ import annotations

import sys
from pathlib import Path

from backspasm_edu import cli, serve

if __name__ == "__main__":
    folder = Path(sys.argv[1]).resolve()
    serve.notebooks_dir = lambda: folder  # type: ignore[assignment]  # the only change
    sys.exit(cli.main(["serve", *sys.argv[2:]]))
