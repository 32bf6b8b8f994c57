"""A document's numbered structure at a position: the article a question names, the section a quote is in."""
from __future__ import annotations

from functools import lru_cache

from ..chunk import SEP, _Node, parse_structure


@lru_cache(maxsize=64)
def tree(text: str) -> _Node:
    return parse_structure(text)


def path_label(node: _Node) -> str:
    return SEP.join(n.label for n in node.path())


def containing(root: _Node, pos: int) -> list[_Node]:
    """The nodes containing a position, outermost first."""
    chain = []
    node = root
    while True:
        nxt = next((c for c in node.children if c.start <= pos < max(c.end, c.start + 1)), None)
        if nxt is None:
            return chain
        chain.append(nxt)
        node = nxt


def article_node(text: str, number: str) -> _Node | None:
    """The node of "Điều <number>" in a document, or None."""
    wanted = f"Điều {number}"

    def walk(node: _Node) -> _Node | None:
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
