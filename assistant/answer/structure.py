"""A document's numbered structure at a position: the article a question names, the section a quote is in."""
from __future__ import annotations

import re
from functools import lru_cache

from ..chunk import SEP, Node, parse_structure
from ..text import keyword_terms
from .types import sentences


@lru_cache(maxsize=64)
def tree(text: str) -> Node:
    return parse_structure(text)


def path_label(node: Node) -> str:
    return SEP.join(n.label for n in node.path())


def containing(root: Node, pos: int) -> list[Node]:
    """The nodes containing a position, outermost first."""
    chain = []
    node = root
    while True:
        nxt = next((c for c in node.children if c.start <= pos < max(c.end, c.start + 1)), None)
        if nxt is None:
            return chain
        chain.append(nxt)
        node = nxt


def article_node(text: str, number: str) -> Node | None:
    """The node of "Điều <number>" in a document, or None."""
    wanted = f"Điều {number}"

    def walk(node: Node) -> Node | None:
        for child in node.children:
            if child.kind == "dieu" and child.label == wanted:
                return child
            if child.kind in ("phan", "chuong", "muc", "roman", "root"):
                found = walk(child)
                if found is not None:
                    return found
        return None

    return walk(tree(text))


def section_at(text: str, pos: int) -> str:
    """The section path of the innermost numbered part holding a position ("Chương 4 › Mục 1 › Điều 27 › Khoản 1"):
    a chunk may hold several short articles, a quote names the one it comes from."""
    chain = containing(tree(text), pos)
    return SEP.join(node.label for node in chain[-1].path()) if chain else ""


_POINT = re.compile(r"[a-zđ]\)\s")


def task_sentences(text: str, start: int, end: int, points_apart: bool = False) -> list[tuple[int, int, str]]:
    """The sentences of text[start:end] with their spans, a piece that opens in lower case read with the one before
    (a page break after a letter or comma is no sentence's end already, types.sentences; this also joins "…*)\n\ntiếp
    tục …", a task's tail after its assignment); with `points_apart`, a lettered point ("a) Chủ trì …") stands alone."""
    pieces: list[tuple[int, int, str]] = []
    for piece in sentences(text[start:end], start):
        if pieces and piece[2][:1].islower() and not (points_apart and _POINT.match(piece[2])):
            pieces[-1] = (pieces[-1][0], piece[1], text[pieces[-1][0] : piece[1]])
        else:
            pieces.append(piece)
    return pieces


def task_quote(text: str, start: int, end: int) -> tuple[int, int]:
    """The span quoted for a task (text[start:end]): the whole task when it is short, else its first sentences (a
    block of many bullets is not quoted whole)."""
    while start < end and text[start] in " \t\n*_);,.:":  # the tail of the clause before ("…*); tiếp tục …")
        start += 1
    pieces = task_sentences(text, start, end)
    # A label or a heading alone ("Nội dung", "4. Đấu tranh phòng, chống mua bán người") says little:
    # the quote starts at the first sentence that says what to do.
    while len(pieces) > 1 and (CONTENT_LABEL.match(pieces[0][2]) or (len(pieces[0][2]) < 60 and not pieces[0][2].rstrip().endswith(":")
                                                                and pieces[0][2][:1].isdigit())):
        pieces.pop(0)
    if pieces:
        start = pieces[0][0]
        if end - start < 250:
            end = max(end, list_below(text, start, end))
            pieces = list(sentences(text[start:end], start)) or pieces
        if end - start <= TASK_QUOTE_WHOLE:
            return start, pieces[-1][1]
        first_end = pieces[0][1]
        for _s, e, piece in pieces[1:]:
            if e - start > TASK_QUOTE_CHARS:
                break
            first_end = e
        end = first_end
    return start, end


TASK_QUOTE_WHOLE = 900  # a task this short is quoted whole: its later sentences carry tasks too
TASK_QUOTE_CHARS = 700


def list_below(text: str, start: int, end: int) -> int:
    """Where the list a short task heads ends ("ĐỀ ÁN 1: …" or "… chỉ đạo:" above its items), else `end`:
    the items are the task's content."""
    chain = containing(tree(text), start)
    for node in reversed(chain):
        first_line = text.find("\n", node.start)
        if node.start <= start < (node.end if first_line < 0 else first_line):
            items = [c for c in node.children if c.kind in ("arabic", "dotted", "letter", "dash", "plus")]
            if len(items) >= 2 and node.end > end:
                return node.end
            return end
    return end


# An item's own marker at its start ("- ", "a) ", "2.1. "), and a numbered part's ("a) ", "2.1. "): the section path
# says it, a quote need not
_NUMBER = r"[a-zđ]\)|\d+(?:\.\d+)*[.)]"
NUMBER_MARKER = re.compile(rf"(?:{_NUMBER})\s*")
ITEM_MARKER = re.compile(rf"(?:[-+•–]|{_NUMBER})\s*")
# A part's heading that names no work of its own ("a) Nội dung", "Nội dung hoạt động chính:"): a label over the work
CONTENT_LABEL = re.compile(r"(?i)^\W*(?:[a-zđ]\)\s*)?nội dung(?: hoạt động)?(?: chính)?\s*[:\-–]?\s*$")
# A heading's number ("b) ", "2.1. ", "II. ")
HEADING_NUMBER = re.compile(r"^\W*(?:[a-zđ]|\d+(?:\.\d+)*|[IVXLC]+)[.)]\s*")


def heading_words(text: str, pos: int) -> set[str]:
    """Keyword terms of the headings above a position (the titles along its section path)."""

    return set(keyword_terms(" ".join(node.heading(text) for node in containing(tree(text), pos))))


# "… được hưởng chế độ hỗ trợ quy định tại các điểm a, b và c khoản 1 Điều này": points of a clause a provision refers to.
_POINTS_REFERRED = re.compile(r"(?:các )?điểm ((?:[a-zđ], )*[a-zđ](?: và [a-zđ])?) khoản (\d+) "
                              r"(?:Điều này|Điều (\d+)(?! của (?:Bộ luật|Luật|Nghị định) (?!này)))")


def points_referred(text: str, pos: int, quote: str, whole_clause: bool = False) -> list[Node]:
    """The points a quoted provision refers to by letter ("các điểm a, b và c khoản 1 Điều này"), in the article that
    holds `pos` or the one it names in the same document; [] when it refers to none, or to another text's. With
    `whole_clause`, every point of that clause (what the others get that these do not is the comparison asked)."""
    m = _POINTS_REFERRED.search(quote)
    if not m:
        return []
    letters = {f"Điểm {letter}" for letter in re.findall(r"[a-zđ]", m.group(1))}
    if m.group(3):
        article = article_node(text, m.group(3))
    else:
        article = next((n for n in reversed(containing(tree(text), pos)) if n.kind == "dieu"), None)
    clause = next((c for c in article.children if c.label == f"Khoản {m.group(2)}"), None) if article else None
    return [c for c in clause.children if whole_clause or c.label in letters] if clause else []
