"""The command line's one parser: every subcommand is declared here and dispatched to `commands.py`.

Examples::

    assistant index
    assistant search "ai chủ trì hỗ trợ nạn nhân" -k 5
    assistant ask "Who leads victim support?" --json
    assistant chat
    assistant serve --host 0.0.0.0 --auth trainer:secret
"""
from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import Sequence

from .. import __version__
from ..config import PROJECT_ROOT
from ..errors import AssistantError
from ..evals.bench import DEFAULT_JSON, DEFAULT_OUT, EVALS_DIR
from ..evals.bench import NAMES as BENCHMARKS
from ..evals.harness import EVAL_SETS

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
    p.set_defaults(run="cmd_index")

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
        p.set_defaults(run="cmd_search" if name == "search" else "cmd_ask")

    p = sub.add_parser("chat", parents=[common], help="a conversation in the terminal", description="Ask questions one after another; follow-ups like \"Còn Quảng Ninh thì sao?\" work.")
    p.set_defaults(run="cmd_chat")

    p = sub.add_parser("documents", parents=[common], help="list indexed documents and problems")
    p.add_argument("-j", "--json", action="store_true", help="print JSON")
    p.set_defaults(run="cmd_documents")

    p = sub.add_parser("eval", parents=[common], help="retrieval and answer evals",
                       description="Measure retrieval (hit@1/3/5, MRR per language, against baselines) and answers "
                                   "(per language and kind) on the dev set and the blind test sets.",
                       epilog="example: assistant eval --sets dev,test --modes hybrid --failures")
    p.add_argument("-s", "--sets", default="dev,test", help=f"comma-separated question sets: {', '.join(EVAL_SETS)}")
    p.add_argument("-f", "--questions", type=Path, help="a questions JSONL of your own instead of the sets")
    p.add_argument("--modes", default="hybrid,keyword,dense,langchain", help="comma-separated retrievers to compare")
    p.add_argument("--no-answers", action="store_true", help="retrieval only")
    p.add_argument("--alqac", type=Path, nargs="?", const=PROJECT_ROOT.parent / "shared" / "benchmarks", help="also run the external ALQAC benchmark from this folder")
    p.add_argument("-j", "--json", action="store_true", help="print JSON")
    p.add_argument("--failures", action="store_true", help="list the questions answered wrongly")
    p.add_argument("--dump", type=Path, help="write every answer to this JSONL (one file per set: NAME.SET.jsonl) to diff versions")
    p.set_defaults(run="cmd_eval")

    p = sub.add_parser(
        "serve", parents=[common], help="the web app and HTTP API",
        description="Start the web app (chat with cited sources, documents page) and the HTTP API under /api.",
        epilog="examples:\n  assistant serve\n  assistant serve --host 0.0.0.0 --auth tap-huan:<participants' password> "
               "--trainer-password <trainer's> --admin-password <admin's>",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("-H", "--host", help="address to listen on (default 127.0.0.1)")
    p.add_argument("-p", "--port", type=int, help="port (default 7860)")
    p.add_argument("-a", "--auth", help="require this user:password (page and API)")
    p.add_argument("--insecure", action="store_true", help="allow listening beyond this machine without --auth")
    p.add_argument("--trainer-password", help="password of user 'trainer': trainers' tabs, room feedback "
                   "(ASSISTANT_TRAINER_PASSWORD)")
    p.add_argument("--admin-password", help="password of user 'admin': also upload, delete, re-index "
                   "(ASSISTANT_ADMIN_PASSWORD)")
    p.add_argument("--users", help="a users file (one 'name role scrypt$…' per line; ASSISTANT_USERS_FILE)")
    p.set_defaults(run="cmd_serve")

    p = sub.add_parser(
        "users", parents=[common], help="add or change an account in a users file (for serve --users)",
        description="Add an account, or change its role or password, in a users file: one 'name role scrypt$…' line "
                    "each; the password is asked for (or read from standard input) and only its scrypt hash is stored.",
        epilog="example:\n  assistant users co-lan trainer --file users.txt\n  assistant serve --host 0.0.0.0 --users users.txt",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("name", help="user name (no spaces)")
    p.add_argument("role", choices=("participant", "trainer", "admin"), help="what the account may do")
    p.add_argument("-f", "--file", required=True, help="the users file (created 0600 when missing)")
    p.set_defaults(run="cmd_users")

    p = sub.add_parser(
        "bench", parents=[common], help="benchmarks: indexing, query, imports, cold start, memory, scale, load",
        description="Run the benchmarks and write their sections of evals/RESULTS.md and evals/bench.json. "
        "The index is built in a temporary folder; your index is not touched.",
        epilog="examples:\n  assistant bench all\n  assistant bench indexing --quick\n  assistant bench scale --sizes 10000,100000",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("which", nargs="?", default="all", choices=("all",) + BENCHMARKS, help="which benchmark (default all)")
    p.add_argument("-q", "--quick", action="store_true", help="one repetition, few questions, scale sizes 2k/5k")
    p.add_argument("-o", "--out", type=Path, default=DEFAULT_OUT, help="Markdown results (default evals/RESULTS.md)")
    p.add_argument("--json-out", type=Path, default=DEFAULT_JSON, help="JSON results (default evals/bench.json)")
    p.add_argument("-f", "--questions", type=Path, default=EVALS_DIR / "questions.jsonl", help="questions JSONL")
    p.add_argument("--sizes", help="scale sizes, comma-separated (default 10000,100000,1000000; quick 2000,5000)")
    p.add_argument("-r", "--repeats", type=int, help="repetitions per timing (default 3; 1 with --quick)")
    p.add_argument("-a", "--auth", help="concurrency: the participants' user:password (default: made up for the run)")
    p.add_argument("--trainer-password", help="concurrency: the trainer's password (default: made up for the run)")
    p.add_argument("--admin-password", help="concurrency: the admin's password (default: made up for the run)")
    p.set_defaults(run="cmd_bench")

    p = sub.add_parser("duties", parents=[common], help="the responsibility matrix (who leads what)",
                       description="List every task with its lead and coordinating agencies.",
                       epilog='example: assistant duties --agency "Sở Y tế" --format csv --out y-te.csv')
    p.add_argument("-a", "--agency", help="only tasks this agency leads or coordinates")
    p.add_argument("--document", help="only this document id")
    p.add_argument("-f", "--format", choices=("table", "csv", "xlsx", "json"), default="table", help="output format")
    p.add_argument("-o", "--out", help="write to this file")
    p.set_defaults(run="cmd_duties")
    p = sub.add_parser("compare", parents=[common], help="who leads a topic in each plan, oldest first",
                       description="Show side by side, per plan and year, who leads and coordinates a topic (or what an "
                                   "agency does), with the changes between plans.",
                       epilog='examples:\n  assistant compare "hỗ trợ nạn nhân"\n  assistant compare "victim support" --lang en\n'
                              '  assistant compare --agency "Sở LĐ-TB&XH"',
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("topic", nargs="?", help='the topic, e.g. "hỗ trợ nạn nhân" or "victim support"')
    p.add_argument("-a", "--agency", help="an agency (any alias, with or without diacritics)")
    p.add_argument("-l", "--lang", choices=("vi", "en"), help="output language (default: the topic's language)")
    p.add_argument("-j", "--json", action="store_true", help="print JSON")
    p.set_defaults(run="cmd_compare")

    p = sub.add_parser("quiz", parents=[common], help="a printable quiz with an answer key",
                       description="Make a quiz from the plans: who leads which task (multiple choice) and true/false "
                                   "statements on targets and dates, each with its answer and source.",
                       epilog="examples:\n  assistant quiz -n 10 --out quiz.docx\n  assistant quiz --lang en --seed 3 --out quiz.md",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("-n", "--n", type=int, default=10, help="number of questions (default 10)")
    p.add_argument("--document", help="only this document id")
    p.add_argument("-l", "--lang", choices=("vi", "en"), default="vi", help="question language (default vi)")
    p.add_argument("-s", "--seed", type=int, default=0, help="random seed: the same seed gives the same quiz")
    p.add_argument("-o", "--out", help="write to quiz.docx, quiz.md or quiz.json (default: Markdown on stdout)")
    p.set_defaults(run="cmd_quiz")
    return parser


def _version() -> str:
    return f"assistant {__version__}"


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `assistant` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    logging.basicConfig(level=logging.INFO if getattr(args, "verbose", False) else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    # The commands, and with them the pipeline and the wings, load only once a command is parsed: `--help`
    # and usage errors stay instant. (The one function-level import of the package in cli/, by design.)
    from . import commands, common

    # Commands open the assistant through the namespace (looked up at call time: tests replace make_assistant).
    args.make_assistant = lambda **extra: common.make_assistant(args, **extra)
    try:
        return int(getattr(commands, args.run)(args) or 0)
    except AssistantError as exc:
        print(f"assistant: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
