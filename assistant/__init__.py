"""Cited question answering over Vietnam's anti-human-trafficking plans and laws.

Usage::

    from assistant import Assistant, Settings
    bot = Assistant(Settings.from_env())
    answer = bot.ask("Ai chủ trì hỗ trợ nạn nhân?")

Importing this package is cheap: models, torch, faiss and gradio load on first use.
"""
from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["Assistant", "Settings", "__version__"]


def __getattr__(name: str):
    # Lazy re-exports keep `import assistant` (and `assistant --help`) instant.
    if name == "Assistant":
        from .assistant import Assistant

        return Assistant
    if name == "Settings":
        from .config import Settings

        return Settings
    raise AttributeError(name)
