"""Restore diacritics to questions typed without them, from the corpus's own vocabulary.

"ai chu tri ho tro nan nhan" → "ai chủ trì hỗ trợ nạn nhân": every folded word pair and
word seen in the corpus maps to its most frequent accented form. Pairs win over single
words because they disambiguate ("ho tro" → "hỗ trợ", not "hộ trở"). Overlapping pairs are
weighed against each other by how often the corpus has them (a Viterbi pass), so "va truy to an"
becomes "và truy tố án", not "và truy" followed by the pair "tổ án".
"""
from __future__ import annotations

import json
import math
import re
from collections import Counter, defaultdict
from functools import lru_cache
from importlib import resources
from typing import Iterable

from .text import fold, has_diacritics, normalize_for_matching

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
# Word pairs questions use and the texts may lack ("bao nhiêu năm" in a penal code that writes "từ 05 năm"): they
# weigh as the corpus's most frequent pairs do.
_ASKING_PAIRS = {"bao nhieu": "bao nhiêu", "nhieu nam": "nhiêu năm", "nhieu ngay": "nhiêu ngày", "khi nao": "khi nào",
                 "the nao": "thế nào", "la gi": "là gì", "o dau": "ở đâu", "bao gio": "bao giờ", "ngay nao": "ngày nào",
                 "nam nao": "năm nào", "thang nao": "tháng nào", "co phai": "có phải", "phai khong": "phải không",
                 "lam gi": "làm gì", "thi sao": "thì sao", "bao lau": "bao lâu", "may nam": "mấy năm", "co ban": "cơ bản",
                 "nhu the": "như thế", "ben nao": "bên nào", "ai lo": "ai lo", "so may": "số mấy", "cai do": "cái đó",
                 # words that point back or go on from the last answer ("thế còn ở Lâm Đồng", "có đợt tương tự không")
                 "tuong tu": "tương tự", "the con": "thế còn", "con o": "còn ở", "nhu vay": "như vậy",
                 # "giao cho ai", "được giao": the verb that assigns work (the corpus's commonest "giao" is "giáo dục")
                 "giao cho": "giao cho", "duoc giao": "được giao", "giao nhiem": "giao nhiệm",
                 # "do ai / do sở nào chủ trì": "do" (by) the body asked for (not "độ" of "chế độ", the corpus's commonest)
                 "do ai": "do ai", "do so": "do sở", "do ben": "do bên", "do don": "do đơn", "do nganh": "do ngành",
                 # … and "đó" (that) after the thing a follow-up points back at ("chủ trì việc đó", "quyết định đó")
                 "viec do": "việc đó", "quan do": "quan đó", "hoach do": "hoạch đó", "dinh do": "định đó",
                 "luat do": "luật đó", "dieu do": "điều đó", "vu do": "vụ đó", "khoan do": "khoản đó",
                 # "sau đó", "trước đó": then, before that (not "độ", of "chế độ")
                 "sau do": "sau đó", "truoc do": "trước đó",
                 "ky ngay": "ký ngày"}
# Words questions use and plans rarely do ("bên nào lo", "thì sao"): the corpus's most frequent form of
# "thi" is "thị" (thị xã), of "ben" "bền" (bền vững), of "the" "thể" (có thể, cụ thể, which their pairs restore); a question means these.
_ASKING = {"thi": "thì", "ben": "bên", "nao": "nào", "gi": "gì", "dau": "đâu", "sao": "sao", "lo": "lo",
           "nhieu": "nhiêu", "khong": "không", "chua": "chưa", "nhi": "nhỉ", "vay": "vậy", "tien": "tiền", "co": "có",
           "the": "thế"}


@lru_cache(maxsize=1)
def _users_word_pairs() -> dict[str, str]:
    """The word pairs of the everyday words users type (data/colloquial_vi.json: "nhắn tin", "trường học"),
    folded → accented: a corpus that writes "tin nhắn" has no "nhắn tin" to restore "nhan tin" from."""
    raw = json.loads(resources.files("assistant").joinpath("data/colloquial_vi.json").read_text("utf-8"))
    out: dict[str, str] = {}
    for phrase in raw:
        if phrase.startswith("_"):
            continue
        words = _WORD.findall(normalize_for_matching(phrase).lower())
        for a, b in zip(words, words[1:]):
            if has_diacritics(a + b):
                out.setdefault(fold(f"{a} {b}"), f"{a} {b}")
    return out


def build_restore_table(texts: Iterable[str], max_entries: int = 400_000) -> dict:
    """{"1": {folded word: accented}, "2": {folded pair: accented pair}} from corpus texts."""
    unigrams: dict[str, Counter] = defaultdict(Counter)
    bigrams: dict[str, Counter] = defaultdict(Counter)
    for text in texts:
        for line in normalize_for_matching(text).lower().split("\n"):
            for segment in re.split(r"[.,;:!?()\[\]\"“”'’/]+", line):
                words = _WORD.findall(segment)
                for i, word in enumerate(words):
                    unigrams[fold(word)][word] += 1
                    if i + 1 < len(words):
                        pair = f"{word} {words[i + 1]}"
                        bigrams[fold(pair)][pair] += 1
    uni = {k: c.most_common(1)[0][0] for k, c in unigrams.items() if has_diacritics(c.most_common(1)[0][0])}
    # A pair written without marks is kept too when one of its words is most often written with them: "thanh
    # tra" (inspection) is a pair of its own though "thanh" alone is most often "thành".
    bi = {k: c.most_common(1)[0][0] for k, c in bigrams.items()
          if has_diacritics(c.most_common(1)[0][0]) or any(w in uni for w in k.split(" "))}
    if len(bi) > max_entries:  # keep the most frequent pairs for very large corpora
        keep = sorted(bi, key=lambda k: -bigrams[k].most_common(1)[0][1])[:max_entries]
        bi = {k: bi[k] for k in keep}
    counts = {k: bigrams[k][bi[k]] for k in bi}
    # the pair's other accented forms, with their counts: "tac phong" is most often "tác phòng" (công tác phòng,
    # chống) but also "tắc phòng" (Nguyên tắc phòng, chống), which "nguyen tac phong" needs to be read as it is
    others = {k: {form: n for form, n in bigrams[k].most_common()[1:4] if has_diacritics(form)} for k in bi}
    return {"1": uni, "2": bi, "n2": counts, "alt2": {k: v for k, v in others.items() if v}}


def restore_diacritics(question: str, table: dict) -> str:
    """The question with accents put back where the corpus vocabulary is sure; else unchanged words."""
    if not table or has_diacritics(question):
        return question
    uni, bi, pairs = _with_asking_words(table)
    tokens = re.split(r"([^\W_]+)", question)
    # An acronym ("CA", "LDTBXH") is left as typed and parts the words around it: "CA cap huyen" is the police
    # ("Công an"), not "cá" (fish); a question typed all in capitals is read word by word as usual.
    shouting = question.isupper()
    words = [(i, t) for i, t in enumerate(tokens) if t and _WORD.fullmatch(t) and (shouting or not _is_acronym(t))]
    out = list(tokens)
    if pairs is None:  # an index built before pair counts were kept: pairs taken left to right
        _restore_greedy(tokens, words, uni, bi, out)
        return "".join(out)
    # Runs of words with only spaces between them; each run restored by the best path through its pairs.
    run: list[tuple[int, str]] = []
    for i, word in words:
        if run and "".join(tokens[run[-1][0] + 1 : i]).strip():
            _restore_run(run, uni, pairs, out)
            run = []
        run.append((i, word))
    if run:
        _restore_run(run, uni, pairs, out)
    return "".join(out)


def _is_acronym(token: str) -> bool:
    return len(token) > 1 and token.isupper()


_MERGED: tuple[dict, tuple[dict, dict, dict[str, dict[str, int]] | None]] | None = None


def restore_unmarked_runs(text: str, table: dict, shortest: int = 2) -> str:
    """A text with accents, its runs of `shortest` or more words without any restored as restore_diacritics would
    (a follow-up typed without marks joined to the accented question it follows); acronyms ("KH", "UBND") and
    single unmarked words ("an", "Ninh" beside "Bình") are left alone."""
    if not table or not has_diacritics(text):
        return text
    uni, _bi, pairs = _with_asking_words(table)
    if pairs is None:
        return text
    tokens = re.split(r"([^\W_]+)", text)
    out = list(tokens)
    run: list[tuple[int, str]] = []
    before = ""  # the accented word just before the run, which the run's first word is read after

    def flush(after: str = "") -> None:
        if len(run) >= shortest:
            _restore_run(run, uni, pairs, out, before, after)
        run.clear()

    for i, token in enumerate(tokens):
        if not token or not _WORD.fullmatch(token):
            if token.strip():
                flush()
                before = ""
            continue
        if has_diacritics(token) or token.isdigit() or _is_acronym(token):
            flush(token if has_diacritics(token) else "")
            before = token if has_diacritics(token) else ""
            continue
        run.append((i, token))
    flush()
    return "".join(out)


def _with_asking_words(table: dict) -> tuple[dict, dict, dict[str, dict[str, int]] | None]:
    """The table's words and pairs with the asking words and pairs put in, merged once per table (a large corpus
    has hundreds of thousands of pairs: copying them for every question would be the slowest step): (folded word →
    accented, folded pair → its commonest accented form, folded pair → {each accented form: its count}); the last is
    None for an index built before pair counts were kept."""
    global _MERGED
    if _MERGED is not None and _MERGED[0] is table:
        return _MERGED[1]
    uni, bi, counts = {**table.get("1", {}), **_ASKING}, table.get("2", {}), table.get("n2")
    others = table.get("alt2", {})
    if counts is not None:
        heaviest = max(counts.values(), default=1)
        # users' everyday pairs weigh as a pair the corpus has a few times; the corpus's own pairs keep theirs
        users = {k: v for k, v in _users_word_pairs().items() if k not in bi}
        bi = {**users, **bi, **_ASKING_PAIRS}
        counts = {**{k: 3 for k in users}, **counts, **{k: heaviest for k in _ASKING_PAIRS}}
        # every accented form of a pair the corpus has, with its count ("tác phòng" 7, "tắc phòng" 1)
        pairs = {key: dict(forms) for key, forms in others.items() if key not in _ASKING_PAIRS}
        for key, n in counts.items():
            if key in bi:
                pairs.setdefault(key, {})[bi[key]] = n
    else:
        pairs = None
    _MERGED = (table, (uni, bi, pairs))
    return uni, bi, pairs


def _restore_run(run: list[tuple[int, str]], uni: dict, pairs: dict[str, dict[str, int]], out: list[str],
                 before: str = "", after: str = "") -> None:
    """Viterbi over the accented forms each word can take: a pair the corpus has scores log(1 + its count),
    the word's most frequent form a little, so the best-attested reading of the whole run wins. `before` and
    `after`: the accented words the run stands between, read with it as written ("báo ngay cho" is "báo ngay",
    which the corpus writes "thông báo ngay", not "ngày")."""
    lowered = [w.lower() for _i, w in run]
    before, after = before.lower(), after.lower()

    def beside(left: str, right: str) -> float:  # the pair of an accented word and a run word's form, as written
        return math.log1p(pairs.get(f"{fold(left)} {fold(right)}", {}).get(f"{left} {right}", 0)) if left and right else 0.0

    options: list[list[str]] = []
    for j, word in enumerate(lowered):
        forms = {uni.get(word, word)}
        if j + 1 < len(lowered):
            forms |= {pair.split(" ", 1)[0] for pair in pairs.get(f"{word} {lowered[j + 1]}", ())}
        if j > 0:
            forms |= {pair.split(" ", 1)[1] for pair in pairs.get(f"{lowered[j - 1]} {word}", ())}
        if j == 0 and before:  # (the forms the corpus writes after the accented word before it, as written)
            forms |= {pair.split(" ", 1)[1] for pair in pairs.get(f"{fold(before)} {word}", ())
                      if pair.split(" ", 1)[0] == before}
        if j == len(lowered) - 1 and after:
            forms |= {pair.split(" ", 1)[0] for pair in pairs.get(f"{word} {fold(after)}", ())
                      if pair.split(" ", 1)[1] == after}
        options.append(sorted(forms))
    best = [{form: ((0.1 if form == uni.get(lowered[0]) else 0.0) + beside(before, form), [form]) for form in options[0]}]
    for j in range(1, len(run)):
        written = pairs.get(f"{lowered[j - 1]} {lowered[j]}", {})  # each accented form of the pair, by its count
        step = {}
        for form in options[j]:
            prior = 0.1 if form == uni.get(lowered[j]) else 0.0
            step[form] = max(
                ((score + prior + math.log1p(written.get(f"{prev} {form}", 0)), path + [form])
                 for prev, (score, path) in best[-1].items()),
                key=lambda x: x[0])
        best.append(step)
    _score, path = max(((score + beside(form, after), path) for form, (score, path) in best[-1].items()),
                       key=lambda x: x[0])
    for (i, word), form in zip(run, path):
        out[i] = _keep_case(word, form)


def _restore_greedy(tokens: list[str], words: list[tuple[int, str]], uni: dict, bi: dict, out: list[str]) -> None:
    j = 0
    while j < len(words):
        i, word = words[j]
        if j + 1 < len(words):
            i2, word2 = words[j + 1]
            between = "".join(tokens[i + 1 : i2])
            pair = bi.get(f"{word.lower()} {word2.lower()}") if between.strip() == "" else None
            if pair:
                first, second = pair.split(" ", 1)
                out[i], out[i2] = _keep_case(word, first), _keep_case(word2, second)
                j += 2
                continue
        single = uni.get(word.lower())
        if single:
            out[i] = _keep_case(word, single)
        j += 1


def _keep_case(original: str, accented: str) -> str:
    if original.isupper() and len(original) > 1:
        return accented.upper()
    if original[:1].isupper():
        return accented[:1].upper() + accented[1:]
    return accented
