"""Run the command line as ``python -m backspasm_edu``."""

from .cli import main

raise SystemExit(main())
