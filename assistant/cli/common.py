"""What the commands share: settings from the flags, the Assistant they open, where the index is, and the
questions and filters a command was given."""
from __future__ import annotations

import argparse
from typing import Any

from ..assistant import Assistant
from ..config import Settings
from ..errors import UsageError
from ..pgstore import redact
from ..progress import progress_bar


def settings_from(args: argparse.Namespace, **extra: Any) -> Settings:
    """Settings from flags → environment → defaults."""
    return Settings.from_env(
        documents_dir=getattr(args, "documents", None),
        index_dir=getattr(args, "index", None),
        embedding_model=getattr(args, "model", None),
        store=getattr(args, "store", None),
        **extra,
    )


def make_assistant(args: argparse.Namespace, **extra: Any) -> Assistant:
    """An Assistant for the parsed arguments, with a progress bar while the index builds."""
    bot = Assistant(settings_from(args, **extra))
    bot.warm_up(progress=progress_bar())
    return bot


def where(settings: Settings) -> str:
    """Where the index went: the folder, or the database (without its password)."""
    return redact(settings.store) if settings.store else str(settings.index_dir)


def filters(args: argparse.Namespace) -> dict:
    """The --document/--province/--year filters of `search` and `ask`."""
    return {"document": args.document or None, "province": args.province, "year": args.year}


def questions(args: argparse.Namespace) -> list[str]:
    """The question, or the lines of --batch FILE."""
    if args.batch and args.question:
        raise UsageError("Give either a question or --batch FILE, not both.")
    if args.batch:
        try:
            text = args.batch.read_text(encoding="utf-8-sig")
        except OSError as exc:
            raise UsageError(f"Cannot read {args.batch}: {exc.strerror}.") from exc
        except UnicodeDecodeError as exc:
            raise UsageError(f"{args.batch} is not UTF-8 text.") from exc
        questions = [line.strip() for line in text.splitlines() if line.strip()]
        if not questions:  # an empty batch is a usage slip, not a successful run with no output
            raise UsageError(f"{args.batch} holds no questions — put one question per line.")
        return questions
    if not args.question or not args.question.strip():
        raise UsageError('Type a question, e.g. assistant ask "Ai chủ trì hỗ trợ nạn nhân?"')
    return [args.question]
