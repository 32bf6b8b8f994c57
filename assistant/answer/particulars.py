"""A document's own particulars (number, date of issue, signer, issuer), quoted from its header or
signature block (metadata.py finds the line)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..metadata import all_meta, describe, find_reference_docs, meta_kind
from ..query import Query
from ..retrieve import Filters
from .refusal import missing_part, names_missing
from .types import Answer, document_label

if TYPE_CHECKING:
    from .context import Context


def answer_particular(composer: "Context", query: Query, filters: Filters) -> Answer | None:
    """Number, date, signer or issuer of a document, quoted from its header or signature."""
    question, language = query.question, query.language

    kind = meta_kind(query.text)
    if kind is None:
        return None
    allowed = composer.retriever.allowed_rows(filters)
    allowed_docs = None if allowed is None else composer.retriever.documents_of(allowed)
    docs = find_reference_docs(query.text, composer.store.documents, allowed_docs)
    if not docs:
        return None
    # "Luật … năm 2024 có bao nhiêu điều?" over the 2011 law: a year or number the question names that the
    # document does not carry means it is another document.

    named = [d for d in docs if not names_missing(composer, query, composer.store.documents[d],
                                                   composer.store.documents[d].text[:3000])]
    if not named:
        return Answer(question, missing_part("number_named", language), False, (), language, "meta", query.text,
                      query.scope.as_dict())
    docs = named
    found = all_meta(kind, docs, composer.store.documents)
    if not found and kind in ("basis", "effect", "period", "adoption"):
        return None  # not in a line of its own: a sentence of the text may still say it ("… triển khai Quyết định số …")
    if not found:
        label = ", ".join(document_label(composer.store.documents[d], language) for d in docs)
        what = {"number": ("a document number", "số hiệu"), "date": ("a date of issue", "ngày ban hành"),
                "signer": ("who signed it", "người ký"), "issuer": ("who issued it", "cơ quan ban hành"),
                "proposer": ("on whose proposal it was issued", "cơ quan đề nghị ban hành"),
                "author": ("who wrote it", "người viết"),
                "recipients": ("whom it is sent to", "nơi nhận"),
                "period": ("the period it covers", "giai đoạn thực hiện")}.get(kind, ("this", "thông tin này"))
        text = (f"{label[:1].upper() + label[1:]} does not state {what[0]}." if language == "en"
                else f"{label[:1].upper() + label[1:]} không ghi {what[1]}.")
        return Answer(question, text, False, (), language, "meta", query.text, query.scope.as_dict())
    lines, cites = [], []
    for n, (doc_id, line, start, end) in enumerate(found, start=1):
        cites.append(composer.span_citation(n, doc_id, start, end, "", [(start, end)]))
        doc = composer.store.documents[doc_id]
        said = describe(kind, doc, line, language)
        # the document named as every answer names it (in English for an English question), its line verbatim
        said = said.replace(doc.label, document_label(doc, language), 1)
        said = said[:1].upper() + said[1:]
        lines.append(f"{said} [{n}]")
    # (a number left blank, "Số: /KH-UBND", is an answer too: it says so and quotes the line)
    return Answer(question, "\n".join(lines), True, tuple(cites), language, "meta", query.text, query.scope.as_dict())

