"""English → Vietnamese domain terms, so English questions can use the keyword index too."""
from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources

from .text import fold, has_diacritics, normalize_for_matching


@lru_cache(maxsize=1)
def _abbreviations() -> tuple[re.Pattern, dict[str, str]]:
    raw = json.loads(resources.files("assistant").joinpath("data/abbreviations_vi.json").read_text("utf-8"))
    table = {k: v for k, v in raw.items() if not k.startswith("_")}
    # Not inside a document number ("22/KH-BCĐ", "3087/QĐ-UBND", "193/QĐ-TTg") or a longer word.
    edge_before, edge_after = r"(?<![\w/-])", r"(?![\w/-]|-\w)"
    alternatives = []
    for key in sorted(table, key=len, reverse=True):
        letters = re.escape(key)
        alternatives.append(f"(?i:{letters})" if len(key) >= 4 else letters)
    lookup = {k.casefold(): v for k, v in table.items()}
    return re.compile(edge_before + "(" + "|".join(alternatives) + ")" + edge_after), lookup


def expand_abbreviations(text: str) -> str:
    """Abbreviations officials type spelled out as the documents write them: "luật PCMBN" → "luật phòng, chống
    mua bán người", "KH 2026-2030" → "kế hoạch 2026-2030"; document numbers ("22/KH-BCĐ") are left alone."""
    pattern, lookup = _abbreviations()
    return pattern.sub(lambda m: lookup.get(m.group(1).casefold(), m.group(1)), text)


@lru_cache(maxsize=1)
def _shorthand() -> tuple[re.Pattern, dict[str, str]]:
    raw = json.loads(resources.files("assistant").joinpath("data/shorthand_vi.json").read_text("utf-8"))
    table = {k: v for k, v in raw.items() if not k.startswith("_")}
    keys = sorted(table, key=len, reverse=True)
    return re.compile(r"(?<![\w/-])(" + "|".join(re.escape(k) for k in keys) + r")(?![\w/-])"), table


def expand_shorthand(text: str) -> str:
    """Chat shorthand spelled out ("ko" → "không", "dc" → "được"), without marks in a question typed without them,
    so the words around it are restored in their context ("ko noi dc" → "khong noi duoc" → "không nói được")."""
    pattern, table = _shorthand()
    plain = not has_diacritics(text)
    return pattern.sub(lambda m: fold(table[m.group(1)]) if plain else table[m.group(1)], text)


@lru_cache(maxsize=2)
def _colloquial(folded: bool) -> tuple[re.Pattern, dict[str, str]]:
    raw = json.loads(resources.files("assistant").joinpath("data/colloquial_vi.json").read_text("utf-8"))
    table = {(fold(k) if folded else normalize_for_matching(k).lower()): v for k, v in raw.items() if not k.startswith("_")}
    keys = sorted(table, key=len, reverse=True)
    return re.compile(r"(?<!\w)(" + "|".join(re.escape(k) for k in keys) + r")(?!\w)"), table


def formal_words(question: str) -> str:
    """The documents' words for what a question says in everyday words ("tiền" → "kinh phí", "nhà mạng" →
    "doanh nghiệp viễn thông", "xuất khẩu lao động" → "đưa người lao động đi làm việc ở nước ngoài"), or "".

    Matched with their tones when the question has them ("ưu tiên" is not "tiền"), folded only when typed without."""
    return " ".join(formal_phrases(question))


def formal_phrases(question: str) -> list[str]:
    """formal_words() phrase by phrase, each once."""
    return list(dict.fromkeys(formal for _everyday, formal in _everyday_phrases(question)))


def _everyday_phrases(question: str) -> list[tuple[str, str]]:
    """(everyday phrase as matched, the documents' phrase for it) for each everyday phrase of a question, in order."""
    accented = has_diacritics(question)
    pattern, table = _colloquial(not accented)
    probe = normalize_for_matching(question).lower() if accented else fold(question).lower()
    return [(m.group(1), table[m.group(1)]) for m in pattern.finditer(probe)]


def colloquial_senses(text: str) -> list[tuple[str, ...]]:
    """A Vietnamese question as the answer's topic reads it: the words it says in the documents' own terms, then each
    everyday phrase with the documents' phrase for it as its alternative ("buôn người" | "mua bán người"), as
    glossary_senses gives an English word's. `text` may end with the documents' words added for the search
    ("… (mua bán người)"): they are read as those alternatives, not as words of their own, so a passage that says
    "mua bán người" is not counted as missing "buôn người" too."""
    # (the whole question first: its word pairs across an everyday phrase, "mức tiền thưởng", stay words a passage must
    # say; the phrase's own words are weighed once, by the better said of the two ways of saying it)
    added = re.match(r"(?s)^(.*) \(([^()]*)\)$", text)
    if added:
        phrases = _everyday_phrases(added.group(1))
        if " ".join(dict.fromkeys(formal for _everyday, formal in phrases)) == added.group(2):  # (formal_words' own)
            return [(added.group(1),), *dict.fromkeys(phrases)]
    return [(text,), *dict.fromkeys(_everyday_phrases(text))]


@lru_cache(maxsize=1)
def _glossary() -> dict[str, str]:
    raw = json.loads(resources.files("assistant").joinpath("data/glossary_en_vi.json").read_text("utf-8"))
    return {k.lower(): v for k, v in raw.items() if not k.startswith("_")}


def _stem(word: str) -> str:
    # A light English stemmer: enough to meet the glossary's singular/base forms.
    for suffix, repl in (("ies", "y"), ("ing", ""), ("ed", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)] + repl
    if re.search(r"(s|x|z|ch|sh)es$", word) and len(word) >= 6:
        return word[:-2]  # "boxes", "searches"; but "centres" is "centre" + s
    if word.endswith("s") and not word.endswith("ss") and len(word) >= 4:
        return word[:-1]
    return word


@lru_cache(maxsize=1)
def _phrases() -> tuple[tuple[tuple[str, ...], str, tuple[str, ...]], ...]:
    """(stemmed words, Vietnamese, the entry's own words), longest first."""
    out = []
    for english, vietnamese in _glossary().items():
        raw = tuple(re.findall(r"[a-z0-9]+", english.replace("-", " ")))
        if raw:
            out.append((tuple(_stem(w) for w in raw), vietnamese, raw))
    return tuple(sorted(out, key=lambda kv: -len(kv[0])))


@lru_cache(maxsize=1)
def _senses() -> dict[tuple[str, ...], list[str]]:
    """Every meaning of each stemmed phrase, in glossary order."""
    out: dict[tuple[str, ...], list[str]] = {}
    for phrase, vietnamese, _own in _phrases():
        if vietnamese not in out.setdefault(phrase, []):
            out[phrase].append(vietnamese)
    return out


def expand_english(question: str) -> str:
    """Vietnamese terms for the English domain words and phrases in a question, as one string ("" if none)."""
    return " ".join(glossary_terms(question))


def glossary_terms(question: str) -> list[str]:
    """Vietnamese terms for the English domain words and phrases in a question, every alternative on its own."""
    return list(dict.fromkeys(term for sense in glossary_senses(question) for term in sense))


def glossary_senses(question: str) -> list[tuple[str, ...]]:
    """The Vietnamese terms of each English domain word or phrase in a question, one tuple per phrase found: its
    alternatives ("targets" → ("chỉ tiêu", "mục tiêu")).

    Words are matched as written first, then by their stem: "report" is báo cáo and "reports" a crime
    report (tố giác tin báo); a form the glossary does not list ("reported") takes every meaning its stem has."""
    text = re.sub(r"['’]s\b", "", question.lower()).replace("-", " ")
    raw = re.findall(r"[a-z0-9]+", text)
    words = [_stem(w) for w in raw]
    used = [False] * len(words)
    found: list[tuple[str, ...]] = []
    # Longest phrase first ("mobile courts" before "courts"), as written before by its stem; a word serves one
    # phrase only.
    for phrase, vietnamese, own in _phrases():
        for exact in (True, False):
            n = len(phrase)
            for i in range(len(words) - n + 1):
                if any(used[i : i + n]):
                    continue
                if (tuple(raw[i : i + n]) == own) if exact else (tuple(words[i : i + n]) == phrase):
                    senses = [vietnamese] if exact else _senses()[phrase]
                    # "chỉ tiêu | mục tiêu": the alternatives of one word, each a term of its own
                    found.append(tuple(dict.fromkeys(a.strip() for sense in senses for a in sense.split("|"))))
                    for j in range(i, i + n):
                        used[j] = True
    # Numbers ("Project 2", "2024") carry over as they are.
    found.extend((w,) for w in words if w.isdigit())
    return list(dict.fromkeys(found))


_STOP = set("a an the of in on at to for from by with about is are was were be do does did what which who whom when where why how "
            "many much this that these those it its their there and or not no s".split())


def content_terms(terms: list[str]) -> list[str]:
    """Keyword terms of an English question without its function words ("the", "is", "who_is", "~the").

    English has no diacritics, so a function word's folded form collides with Vietnamese syllables
    ("the" ~ thể, "to" ~ tổ, "do" ~ độ) and would match half the corpus; names, numbers and content
    words stay."""
    def keep(term: str) -> bool:
        return not any(part in _STOP for part in term.lstrip("~").split("_"))

    return [t for t in terms if keep(t)]


def glossary_share(question: str) -> float:
    """Share of an English question's content words that the domain glossary knows (1.0 if none)."""
    text = re.sub(r"['’]s\b", "", question.lower()).replace("-", " ")
    words = [w for w in re.findall(r"[a-z]+", text) if w not in _STOP and len(w) > 2]
    if not words:
        return 1.0
    known = {w for phrase, _vi, _own in _phrases() for w in phrase}
    return sum(1 for w in words if _stem(w) in known) / len(words)
