"""Run the command line as ``python -m backspasm_edu``."""

from backspasm_edu.app.cli import main

raise SystemExit(main())
