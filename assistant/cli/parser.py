"""Command line: argument parsing and rendering only; the work is done by Assistant.

Examples::

    assistant index
    assistant search "ai chủ trì hỗ trợ nạn nhân" -k 5
    assistant ask "Who leads victim support?" --json
    assistant chat
    assistant serve --host 0.0.0.0 --auth trainer:secret
"""
from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path
from typing import Any, Callable, Sequence

from ..errors import AssistantError, UsageError

EPILOG = """examples:
  assistant index                                  build or update the index from documents/
  assistant search "ai chủ trì hỗ trợ nạn nhân"    top passages with title, section and score
  assistant ask "Who leads victim support?"        a cited answer
  assistant ask --batch questions.txt              one JSON answer per line
  assistant chat                                   a conversation in the terminal
  assistant serve                                  the web app on http://127.0.0.1:7860
"""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # usage errors: one line, exit 2
        self.print_usage(sys.stderr)
        print(f"assistant: error: {message}", file=sys.stderr)
        raise SystemExit(2)


def _common() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("-d", "--documents", type=Path, help="documents folder (default: ASSISTANT_DOCUMENTS_DIR or documents/)")
    common.add_argument("-i", "--index", type=Path, help="index folder (default: ASSISTANT_INDEX_DIR or index/)")
    common.add_argument("-m", "--model", help="embedding model: sentence-transformers id or folder (default: the packaged multilingual-e5-small)")
    common.add_argument("-S", "--store", help="where the index lives: postgresql://user:password@host/db shares it "
                        "between replicas (default: ASSISTANT_STORE, else the index folder)")
    common.add_argument("-v", "--verbose", action="store_true", help="log what happens")
    return common


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser (also used by the docs)."""
    common = _common()
    parser = _Parser(
        prog="assistant",
        description="Cited answers from Vietnam's anti-human-trafficking plans and laws, offline.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=_version())
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser("index", parents=[common], help="build or update the index", description="Build or update the index from the documents folder; only changed documents are re-embedded.")
    p.add_argument("-r", "--rebuild", action="store_true", help="re-embed everything")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_index)

    for name, helptext in (("search", "top passages for a question"), ("ask", "a cited answer to a question")):
        p = sub.add_parser(name, parents=[common], help=helptext, description=helptext.capitalize() + ".",
                           epilog=f'example: assistant {name} "ai chủ trì hỗ trợ nạn nhân"' + (" -k 3" if name == "search" else ""))
        p.add_argument("question", nargs="?", help="the question (omit with --batch)")
        if name == "search":
            p.add_argument("-k", "--top-k", type=int, default=None, help="number of passages (default 5)")
            p.add_argument("--mode", choices=("hybrid", "dense", "keyword"), default="hybrid", help="retriever (default hybrid)")
        p.add_argument("-j", "--json", action="store_true", help="print JSON")
        p.add_argument("-b", "--batch", type=Path, help="file with one question per line; prints one JSON object per line")
        p.add_argument("--document", action="append", help="only this document id (repeatable)")
        p.add_argument("--province", help="only documents of this province")
        p.add_argument("--year", type=int, help="only documents covering this year")
        p.set_defaults(func=cmd_search if name == "search" else cmd_ask)

    p = sub.add_parser("chat", parents=[common], help="a conversation in the terminal", description="Ask questions one after another; follow-ups like \"Còn Quảng Ninh thì sao?\" work.")
    p.set_defaults(func=cmd_chat)

    p = sub.add_parser("documents", parents=[common], help="list indexed documents and problems")
    p.add_argument("-j", "--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_documents)

    _register_optional(sub, common)
    return parser


def _register_optional(sub: Any, common: argparse.ArgumentParser) -> None:
    """Subcommands whose modules are added by later stages (eval, serve, bench, duties, ...)."""
    import importlib

    for module_name in ("evals.harness", "web.app", "evals.bench.suite", "trainer.compare"):
        try:
            module = importlib.import_module(f"..{module_name}", __package__)
        except ImportError as exc:
            if exc.name and exc.name.endswith(module_name):
                continue
            raise
        register = getattr(module, "register_cli", None)
        if register:
            register(sub, common)


def _version() -> str:
    from .. import __version__

    return f"assistant {__version__}"


# --- commands ----------------------------------------------------------------------------
def settings_from(args: argparse.Namespace, **extra: Any):
    """Settings from flags → environment → defaults."""
    from ..config import Settings

    return Settings.from_env(
        documents_dir=getattr(args, "documents", None),
        index_dir=getattr(args, "index", None),
        embedding_model=getattr(args, "model", None),
        store=getattr(args, "store", None),
        **extra,
    )


def make_assistant(args: argparse.Namespace, **extra: Any):
    """An Assistant for the parsed arguments, with a progress bar while the index builds."""
    from ..assistant import Assistant

    bot = Assistant(settings_from(args, **extra))
    bot.warm_up(progress=progress_bar())
    return bot


def progress_bar() -> Callable[[str, int, int], None]:
    """A tqdm progress callback on stderr (stage, done, total)."""
    from tqdm import tqdm

    bars: dict[str, Any] = {}
    labels = {"load": "Đọc tài liệu / loading", "chunk": "Cắt đoạn / chunking", "embed": "Nhúng vector / embedding",
              "keywords": "Từ khóa / keywords"}

    def update(stage: str, done: int, total: int) -> None:
        bar = bars.get(stage)
        if bar is None:
            bar = bars[stage] = tqdm(total=total, desc=labels.get(stage, stage), unit=" items", file=sys.stderr, leave=True)
        bar.total = total
        bar.n = done
        bar.refresh()
        if done >= total:
            bar.close()

    return update


def cmd_index(args: argparse.Namespace) -> int:
    from ..assistant import Assistant

    bot = Assistant(settings_from(args))
    report = bot.reindex(progress=None if args.quiet else progress_bar(), rebuild=args.rebuild)
    print(
        f"Indexed {report.documents} documents, {report.chunks} chunks "
        f"({report.embedded} embedded, {report.reused} reused) in {report.seconds:.1f} s → {_where(bot.settings)}"
    )
    if report.ocr_pages:
        print(f"  OCR: {report.ocr_pages} scanned pages read in {report.ocr_seconds:.1f} s (cached for the next run)")
    for doc_id, warnings in report.warnings.items():
        for w in warnings:
            print(f"  warning: {doc_id}: {w}")
    for problem in report.problems:
        print(f"  skipped: {problem['path']}: {problem['reason']}", file=sys.stderr)
    return 0


def _where(settings: Any) -> str:
    """Where the index went: the folder, or the database (without its password)."""
    if settings.store:
        from ..pgstore import redact

        return redact(settings.store)
    return str(settings.index_dir)


def _filters(args: argparse.Namespace) -> dict:
    return {"document": args.document or None, "province": args.province, "year": args.year}


def _questions(args: argparse.Namespace) -> list[str]:
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


def search_json(bot: Any, question: str, hits: Sequence[Any]) -> dict:
    """The `search --json` contract."""
    docs = bot.store.documents
    return {
        "query": question,
        "results": [
            {
                "rank": h.rank,
                "score": round(h.score, 6),
                "doc_id": h.chunk.doc_id,
                "title": docs[h.chunk.doc_id].title if h.chunk.doc_id in docs else h.chunk.doc_id,
                "section": h.chunk.section,
                "text": h.chunk.text,
                "start": h.chunk.start,
                "end": h.chunk.end,
            }
            for h in hits
        ],
    }


def cmd_search(args: argparse.Namespace) -> int:
    questions = _questions(args)
    bot = make_assistant(args)
    for question in questions:
        hits = bot.search(question, k=args.top_k, filters=_filters(args), mode=args.mode)
        if args.json or args.batch:
            print(json.dumps(search_json(bot, question, hits), ensure_ascii=False), flush=True)
        else:
            print(render_hits(bot, hits))
    return 0


def render_hits(bot: Any, hits: Sequence[Any]) -> str:
    """Passages for a terminal."""
    if not hits:
        return "Không tìm thấy đoạn nào / no passages found."
    out = []
    for h in hits:
        doc = bot.store.documents.get(h.chunk.doc_id)
        label = doc.label if doc else h.chunk.doc_id
        out.append(f"[{h.rank}] {label} — {h.chunk.section or '(mở đầu)'}  (score {h.score:.4f})")
        out.append("    " + h.chunk.text.strip().replace("\n", "\n    "))
        out.append("")
    return "\n".join(out)


def render_answer(answer: Any) -> str:
    """An answer and its sources for a terminal."""
    out = [f"({answer.notice})"] if answer.notice else []
    out += [answer.text, "", render_details(answer)]
    return "\n".join(out)


def render_details(answer: Any) -> str:
    """What follows an answer's text: uncited sentences of an LLM answer, then the sources."""
    out = []
    if getattr(answer, "flagged", ()):
        out.append("Câu không có nguồn, cần kiểm tra / sentences without a source, check them:")
        out.extend(f"  ! {sentence}" for sentence in answer.flagged)
    cites = answer.citations if answer.found else answer.related
    if cites:
        out.append("Nguồn / sources:" if answer.found else "Đoạn liên quan / related passages:")
    for c in cites:
        when = c.period or (str(c.year) if c.year else "")
        page = f", tr. {c.page}" if c.page else ""
        out.append(f"  [{c.n}] {c.title}{f' ({when})' if when else ''} — {c.section or '(mở đầu)'}{page} [{c.start}:{c.end}]")
    return "\n".join(out)


def cmd_ask(args: argparse.Namespace) -> int:
    questions = _questions(args)
    bot = make_assistant(args)
    for question in questions:
        answer = bot.ask(question, filters=_filters(args))
        if args.json or args.batch:
            print(json.dumps(answer.to_json(), ensure_ascii=False), flush=True)
        else:
            print(render_answer(answer))
    return 0


def cmd_chat(args: argparse.Namespace) -> int:
    bot = make_assistant(args)
    conversation = bot.conversation()
    print("Hỏi về các kế hoạch, văn bản phòng, chống mua bán người. Gõ 'mới' để bắt đầu lại, 'thoát' để thoát.")
    print("Ask about the anti-trafficking plans and laws. Type 'new' to start over, 'quit' to leave.\n")
    while True:
        try:
            question = input("? ").strip()
        except (EOFError, KeyboardInterrupt):
            print()
            return 0
        if not question:
            continue
        if question.lower() in ("quit", "exit", "thoát", "thoat", ":q"):
            return 0
        if question.lower() in ("new", "mới", "moi", "/new"):
            conversation.reset()
            print("(cuộc trò chuyện mới / new conversation)\n")
            continue
        try:
            # Tokens are printed as they arrive; the composer streams only validated text
            # (or the deterministic answer that replaces a rejected reply).
            shown: list[str] = []
            answer = None
            for piece in conversation.stream(question):
                if isinstance(piece, str):
                    print(piece, end="", flush=True)
                    shown.append(piece)
                else:
                    answer = piece
            print()
            if answer is not None:
                streamed = "".join(shown)
                if answer.notice and answer.notice not in streamed:
                    print(f"({answer.notice})")
                if answer.text.strip() not in streamed:  # never leave the user with a rejected text alone
                    print(answer.text)
                print(render_details(answer))
        except AssistantError as exc:
            print(f"! {exc}")
        print()


def cmd_documents(args: argparse.Namespace) -> int:
    bot = make_assistant(args)
    docs, problems = bot.documents(), bot.problems()
    if args.json:
        print(json.dumps({"documents": docs, "problems": problems}, ensure_ascii=False, indent=1))
        return 0
    for d in docs:
        when = d.get("period") or d.get("year") or ""
        print(f"{d['doc_id']}: {d['title']} ({when}) — {d['chunks']} chunks")
        for w in d.get("warnings", []):
            print(f"    warning: {w}")
    for p in problems:
        print(f"skipped {p['path']}: {p['reason']}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `assistant` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    logging.basicConfig(level=logging.INFO if getattr(args, "verbose", False) else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    # Commands declared by feature modules open the assistant through the namespace, so that no module
    # below the CLI imports it (looked up at call time: tests replace make_assistant).
    args.make_assistant = lambda **extra: make_assistant(args, **extra)
    try:
        return int(args.func(args) or 0)
    except AssistantError as exc:
        print(f"assistant: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
