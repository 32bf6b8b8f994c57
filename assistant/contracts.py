"""The JSON shapes the shells promise alike: `assistant search --json` and POST /api/search return the
same object (an answer's shape is `Answer.to_json`)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

if TYPE_CHECKING:
    from .assistant import Assistant
    from .retrieve import Hit


def search_json(bot: Assistant, question: str, hits: Sequence[Hit]) -> dict:
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
