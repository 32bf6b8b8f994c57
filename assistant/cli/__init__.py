"""The command line: one parser declaring every subcommand (`parser.py`, running `commands.py`), terminal rendering (`render.py`)."""
from .parser import build_parser, main

__all__ = ["build_parser", "main"]
