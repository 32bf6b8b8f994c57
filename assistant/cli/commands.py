"""The commands: each reads its parsed arguments, asks the Assistant (or a wing) and renders the result."""
from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from pathlib import Path
from typing import Any

from ..assistant import Assistant
from ..comparison import compare
from ..config import check_password
from ..contracts import search_json
from ..document import when_label
from ..errors import AssistantError, UsageError
from ..evals.alqac import format_alqac, run_alqac
from ..evals.bench import NAMES
from ..evals.bench.suite import run_benchmarks
from ..evals.harness import EVAL_SETS, format_answers, format_retrieval, legal_settings, run_eval
from ..progress import progress_bar
from ..trainer import matrix
from ..trainer.compare import render_comparison
from ..trainer.quiz import make_quiz, write_quiz
from ..web.access import hash_password, read_users
from ..web.app import serve
from .common import filters, questions, settings_from, where
from .render import render_answer, render_details, render_hits


def cmd_index(args: argparse.Namespace) -> int:
    """`assistant index`: build or update the index."""
    bot = Assistant(settings_from(args))
    report = bot.reindex(progress=None if args.quiet else progress_bar(), rebuild=args.rebuild)
    print(
        f"Indexed {report.documents} documents, {report.chunks} chunks "
        f"({report.embedded} embedded, {report.reused} reused) in {report.seconds:.1f} s → {where(bot.settings)}"
    )
    if report.ocr_pages:
        print(f"  OCR: {report.ocr_pages} scanned pages read in {report.ocr_seconds:.1f} s (cached for the next run)")
    for doc_id, warnings in report.warnings.items():
        for w in warnings:
            print(f"  warning: {doc_id}: {w}")
    for problem in report.problems:
        print(f"  skipped: {problem['path']}: {problem['reason']}", file=sys.stderr)
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    """`assistant search`: the top passages."""
    asked = questions(args)
    bot = args.make_assistant()
    for question in asked:
        hits = bot.search(question, k=args.top_k, filters=filters(args), mode=args.mode)
        if args.json or args.batch:
            print(json.dumps(search_json(bot, question, hits), ensure_ascii=False), flush=True)
        else:
            print(render_hits(bot, hits))
    return 0


def cmd_ask(args: argparse.Namespace) -> int:
    """`assistant ask`: a cited answer."""
    asked = questions(args)
    bot = args.make_assistant()
    for question in asked:
        answer = bot.ask(question, filters=filters(args))
        if args.json or args.batch:
            print(json.dumps(answer.to_json(), ensure_ascii=False), flush=True)
        else:
            print(render_answer(answer))
    return 0


def cmd_chat(args: argparse.Namespace) -> int:
    """`assistant chat`: a conversation in the terminal."""
    bot = args.make_assistant()
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
    """`assistant documents`: the indexed documents and the files skipped."""
    bot = args.make_assistant()
    docs, problems = bot.documents(), bot.problems()
    if args.json:
        print(json.dumps({"documents": docs, "problems": problems}, ensure_ascii=False, indent=1))
        return 0
    for d in docs:
        when = when_label(d.get("year"), d.get("period"))
        print(f"{d['doc_id']}: {d['title']} ({when}) — {d['chunks']} chunks")
        for w in d.get("warnings", []):
            print(f"    warning: {w}")
    for p in problems:
        print(f"skipped {p['path']}: {p['reason']}")
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    """`assistant eval`: retrieval and answer evals on the question sets."""
    bot = args.make_assistant()
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    if args.questions:
        runs = [(args.questions.name, args.questions, ())]
    else:
        names = [n.strip() for n in args.sets.split(",") if n.strip()]
        unknown = [n for n in names if n not in EVAL_SETS]
        if unknown:
            raise UsageError(f"Unknown question set {unknown[0]!r} — choose from {', '.join(EVAL_SETS)}.")
        runs = [(n, *EVAL_SETS[n]) for n in names]
    out: dict[str, Any] = {}
    for name, path, files in runs:
        target = Assistant(legal_settings(bot.settings, files), embedder=bot.embedder) if files else bot
        report = run_eval(target, path, modes, answers=not args.no_answers)
        given = report.answers.pop("given", []) if report.answers else []
        out[name] = report.to_json()
        if args.dump:
            dump = args.dump.with_name(f"{args.dump.stem}.{name}.jsonl")
            dump.write_text("".join(json.dumps(g, ensure_ascii=False) + "\n" for g in given), encoding="utf-8")
        if args.json:
            continue
        print(format_retrieval(report.retrieval, f"Retrieval on {name} ({path.name})"))
        print()
        if report.answers:
            print(format_answers(report.answers))
            if args.failures:
                for f in report.answers["failures"]:
                    print(f"  ✗ {f['id']} [{f.get('kind', '')}] {f['question']}\n      found={f['found']} {f['answer'][:160]!r}")
        print(f"\n({report.seconds:.1f} s)\n")
    if args.alqac:
        out["alqac"] = run_alqac(bot.settings, args.alqac, embedder=bot.embedder)
        if not args.json:
            print(format_alqac(out["alqac"]))
    if args.json:
        print(json.dumps(out, ensure_ascii=False, indent=1))
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """`assistant serve`: the web app and the HTTP API."""
    settings = settings_from(args, host=args.host, port=args.port, auth=args.auth,
                             insecure=True if args.insecure else None, admin_password=args.admin_password,
                             trainer_password=args.trainer_password, users_file=args.users)
    serve(settings)
    return 0


def cmd_users(args: argparse.Namespace) -> int:
    """Write one account into a users file, replacing an older line for the same name."""


    if not args.name or any(c.isspace() for c in args.name):
        raise UsageError("the user name must be one word")
    if sys.stdin.isatty():
        password = getpass.getpass(f"password for {args.name}: ")
        if getpass.getpass("again: ") != password:
            raise UsageError("the two passwords differ")
    else:
        password = sys.stdin.readline().rstrip("\n")
    check_password(password, args.name)
    path = Path(args.file)
    users = read_users(path) if path.exists() else {}
    users[args.name] = (args.role, hash_password(password))
    lines = ["# accounts for assistant serve --users: name role scrypt$n$r$p$salt$hash"]
    lines += [f"{name} {role} {entry}" for name, (role, entry) in users.items()]
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    print(f"{args.name} ({args.role}) → {path}", file=sys.stderr)
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    """`assistant bench`: run benchmarks and write their results."""
    names = list(NAMES) if args.which == "all" else [args.which]
    sizes = None
    if args.sizes:
        try:
            sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
        except ValueError:
            raise UsageError(f"--sizes takes numbers separated by commas, not {args.sizes!r}") from None
    settings = settings_from(args, auth=args.auth, trainer_password=args.trainer_password,
                             admin_password=args.admin_password)
    if args.repeats is not None and args.repeats < 1:
        raise UsageError("--repeats must be at least 1")
    results = run_benchmarks(names, settings, quick=args.quick, out=args.out, json_out=args.json_out,
                             questions_path=args.questions, sizes=sizes, repeats=args.repeats)
    for r in results:
        print(r.markdown())
        print()
    print(f"→ {args.out}, {args.json_out}")
    return 0


def cmd_duties(args: argparse.Namespace) -> int:
    """`assistant duties`: the responsibility matrix."""
    bot = args.make_assistant()
    rows = matrix.duty_rows(bot.store, agency=args.agency, document=args.document)
    return matrix.write_matrix(rows, args.format, args.out)


def cmd_compare(args: argparse.Namespace) -> int:
    """`assistant compare`: who leads a topic in each plan."""
    if not (args.topic and args.topic.strip()) and not args.agency:
        raise UsageError('Give a topic or an agency, e.g. assistant compare "hỗ trợ nạn nhân" or --agency "Sở Y tế".')
    bot = args.make_assistant()
    result = compare(bot, topic=args.topic, agency=args.agency, lang=args.lang)
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=1))
    else:
        print(render_comparison(result))
    return 0


def cmd_quiz(args: argparse.Namespace) -> int:
    """`assistant quiz`: a printable quiz with its answer key."""
    if args.n < 1 or args.n > 200:
        raise UsageError("--n must be between 1 and 200.")
    if args.out and Path(args.out).suffix.lower() not in (".docx", ".md", ".markdown", ".json"):
        raise UsageError(f"Cannot write a quiz as '{args.out}' — name the file .docx, .md or .json.")
    bot = args.make_assistant()
    quiz = make_quiz(bot, n=args.n, document=args.document, lang=args.lang, seed=args.seed)
    if len(quiz) < args.n:
        print(f"({len(quiz)} câu hỏi / questions: the documents do not support more)", file=sys.stderr)
    return write_quiz(quiz, args.out, args.lang)
