"""Vietnamese text: Unicode normalisation, tone placement, folding, tokens for keyword search.

Two forms of every text exist in the pipeline:

* display text (``clean_display``): what the user sees and what citation spans index into;
  it keeps the author's spelling, including old-style tone placement ("Uỷ ban", "hoà").
* matching text (``normalize_for_matching``): one spelling per word, used for keyword
  terms and embedding input, so "Uỷ ban" and "Ủy ban" meet in the index.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Literal

__all__ = [
    "nfc",
    "clean_display",
    "normalize_tones",
    "normalize_for_matching",
    "fold",
    "has_diacritics",
    "is_vietnamese_syllable",
    "tokenize",
    "keyword_terms",
    "detect_language",
    "continues_over_break",
]

# The five Vietnamese tone marks as combining characters (NFD): huyền, sắc, ngã, hỏi, nặng.
GRAVE, ACUTE, TILDE, HOOK, DOT = "\u0300", "\u0301", "\u0303", "\u0309", "\u0323"
TONE_MARKS = frozenset((GRAVE, ACUTE, TILDE, HOOK, DOT))

# Vowel letters without tone (shape marks kept: â ă ê ô ơ ư are distinct vowels).
_VOWELS = frozenset("aăâeêioôơuưy")
_BASE_LETTERS = "aăâeêioôơuưy"

# Every non-ASCII Vietnamese letter, both cases: 12 vowels x 6 tones + đ, minus plain ASCII.
_VIET_LETTERS: frozenset[str] = frozenset(
    ch
    for base in _BASE_LETTERS
    for tone in ("",) + tuple(sorted(TONE_MARKS))
    for ch in (
        unicodedata.normalize("NFC", base + tone),
        unicodedata.normalize("NFC", base + tone).upper(),
    )
    if not ch.isascii()
) | frozenset("đĐ")


def nfc(s: str) -> str:
    """Return ``s`` in Unicode NFC (precomposed) form."""
    return unicodedata.normalize("NFC", s)


# A sentence broken across lines (a PDF's page or column break: "Tăng\n\ncường", "vắng mặt tại địa
# phương\n\nlâu ngày"): the line before ends in a letter or comma and the next starts in lower case, and
# is not an item's marker ("a) …", "đ. …").
_BROKEN_BEFORE = re.compile(r"(?:[^\W\d_]|,)\s*$")
_BROKEN_AFTER = re.compile(r"[a-zà-ỹđ](?![).]\s)")


def continues_over_break(before: str, after: str) -> bool:
    """Whether the text after a line break continues the sentence before it (the break is not an end)."""
    return bool(_BROKEN_BEFORE.search(before[-3:])) and bool(_BROKEN_AFTER.match(after[:3]))


def _fix_eth(s: str) -> str:
    # U+00D0/U+00F0 (Icelandic eth) look exactly like Đ/đ and are a common typing slip in
    # Vietnamese documents (the Penal Code has "Ðiều 317"); Icelandic never occurs here.
    return s.replace("\u00d0", "\u0110").replace("\u00f0", "\u0111")


# Page and line breaks typed as control characters (Word's form feed between pages, vertical tab for a manual
# line break, NEL) keep their meaning as structure; every other C0/C1 control character but tab and newline is
# dropped: XML writers (DOCX, XLSX) refuse them, and they carry no text.
_BREAKS = str.maketrans({"\f": "\n\n", "\v": "\n", "\x85": "\n"})
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")
# What an XML 1.0 writer cannot take at all: control characters, lone surrogates, the two non-characters.
_NOT_PRINTABLE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def clean_display(s: str) -> str:
    """Return the display form: NFC, Ð/ð fixed to Đ/đ, line endings as "\\n", page breaks as a blank line,
    no other control characters; tone placement untouched."""
    s = s.replace("\r\n", "\n").replace("\r", "\n").translate(_BREAKS)
    return _fix_eth(nfc(_CONTROL.sub("", s)))


def spreadsheet_safe(value: object) -> object:
    """A CSV cell Excel will not run: text starting with = + - @ (or a tab/CR) gets a leading apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def printable(s: str) -> str:
    """`s` safe for any file writer (DOCX, XLSX, CSV, JSON): page breaks as spaces, no control characters,
    no lone surrogates; tabs and newlines kept."""
    return _NOT_PRINTABLE.sub("", s.replace("\f", " ").replace("\v", " "))


# ---------------------------------------------------------------------------
# Tone placement


@lru_cache(maxsize=4096)  # a few hundred distinct letters carry almost all text
def _split_tone(ch: str) -> tuple[str, str] | None:
    """Split one letter into (toneless NFC letter, tone mark or ""), or None if it is not one letter."""
    decomposed = unicodedata.normalize("NFD", ch)
    tones = [c for c in decomposed if c in TONE_MARKS]
    if len(tones) > 1:
        return None
    base = nfc("".join(c for c in decomposed if c not in TONE_MARKS))
    if len(base) != 1:
        return None
    return base, (tones[0] if tones else "")


def _with_tone(letter: str, tone: str) -> str:
    """Put ``tone`` on a toneless letter, keeping its case."""
    return nfc(letter + tone) if tone else letter


def _onset_length(lower: str) -> int:
    """Length of the consonant onset of a lower-case word, treating "qu" and "gi" as onsets."""
    i = 0
    while i < len(lower) and lower[i] not in _VOWELS:
        i += 1
    # "qu" + vowel and "gi" + vowel: the u / i belongs to the onset, not the nucleus
    # (quý, quả, già), so "quý" is never treated as a "uy" nucleus.
    if i < len(lower) - 1 and lower[i] in "ui" and lower[i + 1] in _VOWELS:
        if (lower[i] == "u" and lower[:i] == "q") or (lower[i] == "i" and lower[:i] == "g"):
            i += 1
    return i


# Nuclei where old style puts the tone on the 2nd vowel (hoà, khoẻ, thuỷ) and new style on the 1st.
_MOVABLE_NUCLEI = frozenset(("oa", "oe", "uy"))


def _normalize_syllable(word: str) -> str:
    """Move the tone of one syllable to the 1st vowel of an open "oa"/"oe"/"uy" nucleus."""
    parts = [_split_tone(c) for c in word]
    if any(p is None for p in parts):
        return word
    letters = [p[0] for p in parts if p is not None]
    tones = [p[1] for p in parts if p is not None]
    lower = "".join(letters).lower()
    if len(lower) != len(word):  # a letter whose lower case is longer ("İ"): leave it alone
        return word
    start = _onset_length(lower)
    # The nucleus must be the last two letters: anything after it is a coda (closed syllable:
    # "hoàn", "thuyết") and a third vowel makes a triphthong ("ngoài", "khuỷu").
    if len(lower) - start != 2 or lower[start:] not in _MOVABLE_NUCLEI:
        return word
    if start and lower[:start] not in _ONSETS:
        return word  # not a Vietnamese onset: a foreign word, leave its spelling alone
    first, second = start, start + 1
    if tones[first] or not tones[second]:
        return word
    moved = list(word)
    moved[first] = _with_tone(letters[first], tones[second])
    moved[second] = letters[second]
    return "".join(moved)


def _is_letter_or_mark(c: str) -> bool:
    return c.isalpha() or unicodedata.category(c).startswith("M")


# A plain o/u followed by a toned a/e/y: the only place old-style placement can sit.
_OLD_STYLE = re.compile("[oOuU][àáảãạèéẻẽẹỳýỷỹỵÀÁẢÃẠÈÉẺẼẸỲÝỶỸỴ]")


def normalize_tones(s: str) -> str:
    """Return NFC ``s`` with one tone placement: hoà→hòa, uỷ→ủy, khoẻ→khỏe (length-preserving)."""
    s = nfc(s)
    out: list[str] = []
    last = 0
    for m in _OLD_STYLE.finditer(s):
        end = m.end()
        if end < len(s) and _is_letter_or_mark(s[end]):
            continue  # more letters follow: a closed syllable or a triphthong keeps its tone
        start = m.start()
        while start > 0 and _is_letter_or_mark(s[start - 1]):
            start -= 1
        word = s[start:end]
        # Only plain letter runs are touched; a stray combining mark means the word is
        # not clean Vietnamese and is passed through unchanged.
        if start < last or not all(c.isalpha() for c in word):
            continue
        new = _normalize_syllable(word)
        # Guard the promise: the result must stay NFC and the same length.
        if new != word and len(new) == len(word) and nfc(new) == new:
            out.append(s[last:start])
            out.append(new)
            last = end
    if not out:
        return s
    out.append(s[last:])
    return "".join(out)


# ---------------------------------------------------------------------------
# Matching form

# Spaces that should be an ordinary space for matching (NBSP appears in the corpus).
_SPACES = {
    ord(c): " "
    for c in (
        "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
        "\u202f\u205f\u3000"
    )
}
# Invisible characters that split words for a tokenizer but carry no meaning.
_INVISIBLE = {ord(c): None for c in "\u00ad\u200b\u200c\u200d\u2060\ufeff"}
# Dashes and quotes: "2026 – 2030" and "2026-2030" must meet; length-preserving.
_PUNCT = {ord(c): "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63"} | {
    ord("\u2018"): "'",
    ord("\u2019"): "'",
    ord("\u201c"): '"',
    ord("\u201d"): '"',
}
_MATCH_TABLE = {**_SPACES, **_INVISIBLE, **_PUNCT}
# Fullwidth ASCII variants (U+FF01..U+FF5E) and Latin ligatures (U+FB00..U+FB06): NFKC maps
# them to plain letters safely; full NFKC is not used because it would also rewrite "m²" or "½".
_COMPAT = re.compile("[\uff01-\uff5e\ufb00-\ufb06]")


def normalize_for_matching(s: str) -> str:
    """Return the matching form: NFC, Đ fixed, one tone placement, plain spaces, no invisible characters."""
    s = s.translate(_MATCH_TABLE)
    s = _COMPAT.sub(lambda m: unicodedata.normalize("NFKC", m.group()), s)
    return normalize_tones(_fix_eth(nfc(s)))


def fold(s: str) -> str:
    """Return ``s`` lower-cased without diacritics, đ→d: "Hỗ trợ nạn nhân" → "ho tro nan nhan"."""
    s = normalize_for_matching(s).lower()
    s = unicodedata.normalize("NFD", s)
    s = "".join(c for c in s if unicodedata.category(c) != "Mn")
    return nfc(s.replace("đ", "d").replace("Đ", "d"))


def has_diacritics(s: str) -> bool:
    """Return True if ``s`` contains a Vietnamese letter beyond ASCII (ă, ệ, đ, ...).

    An abbreviation in capitals ("BCĐ", "QĐ", "22/KH-BCĐ") is copied as the documents write it, not typed with marks:
    "KH 22/KH-BCĐ cua NB ky ngay nao" is a question typed without them."""
    s = nfc(s)
    if "Đ" in s:
        s = _CAPITAL_ABBREVIATION.sub(" ", s)
    return any(c in _VIET_LETTERS for c in s)


# A word in capitals whose only letter beyond ASCII is Đ ("BCĐ", "QĐ-TTg", "22/KH-BCĐ138/CP").
_CAPITAL_ABBREVIATION = re.compile(r"(?<!\w)[A-Za-z0-9Đ/-]*[A-ZĐ]{2,}[A-Za-z0-9Đ/-]*(?!\w)")


# ---------------------------------------------------------------------------
# Syllable validity: used to recognise Vietnamese (with or without diacritics) and by the
# legacy-encoding detector to tell real syllables from mojibake.

_ONSETS = frozenset(
    "b c ch d đ g gh gi h k kh l m n ng ngh nh p ph qu r s t th tr v x".split()
)
# Toneless nuclei that may stand alone (open syllable) and those that may take a coda.
_OPEN_NUCLEI = frozenset(
    "a e ê i o ô ơ u ư y ai ao au ay âu ây eo êu ia iu oa oe oi ôi ơi ua ui uê uơ uy ưa ưi ưu "
    "iêu oai oao oay oeo uây uôi uya uyu ươi ươu yêu".split()
)
_CLOSED_NUCLEI = frozenset(
    "a ă â e ê i o ô ơ u ư y iê yê oa oă oe oo uâ uê uô uy ươ uyê".split()
)
_CODAS = frozenset("c ch m n ng nh p t".split())
_FOLDED_OPEN = frozenset(unicodedata.normalize("NFD", n).encode("ascii", "ignore").decode() for n in _OPEN_NUCLEI)
_FOLDED_CLOSED = frozenset(unicodedata.normalize("NFD", n).encode("ascii", "ignore").decode() for n in _CLOSED_NUCLEI)
_STOP_CODAS = frozenset("c ch p t".split())
_FRONT = frozenset("eêiy")


def is_vietnamese_syllable(word: str) -> bool:
    """Return True if ``word`` is a well-formed Vietnamese syllable, with or without diacritics."""
    return _is_syllable(word)


@lru_cache(maxsize=65536)
def is_folded_syllable(word: str) -> bool:
    """Whether an unaccented word is a Vietnamese syllable with its marks taken off: "thieu" (thiếu), "nien"
    (niên), "tuoi" (tuổi) — nuclei that need a mark ("iê", "uô") to be well formed."""
    word = word.lower()
    if not word.isascii() or not word.isalpha():
        return False
    if _is_syllable(word):
        return True
    m = re.fullmatch(r"(ngh|ng|gh|gi|kh|nh|ph|qu|th|tr|ch|[bcdghklmnprstvx])?([aeiouy]+)(ch|ng|nh|[cmnpt])?", word)
    if m is None:
        return False
    nucleus, coda = m.group(2), m.group(3)
    return nucleus in (_FOLDED_CLOSED if coda else _FOLDED_OPEN)


@lru_cache(maxsize=65536)  # words repeat: legacy detection checks thousands per document
def _is_syllable(word: str) -> bool:
    parts = [_split_tone(c) for c in nfc(word).lower()]
    if not parts or any(p is None for p in parts):
        return False
    letters = "".join(p[0] for p in parts if p is not None)
    tones = [p[1] for p in parts if p is not None and p[1]]
    if len(tones) > 1 or not all(c.isalpha() for c in letters):
        return False
    start = _onset_length(letters)
    onset = letters[:start]
    if onset and onset not in _ONSETS:
        return False
    end = start
    while end < len(letters) and letters[end] in _VOWELS:
        end += 1
    nucleus, coda = letters[start:end], letters[end:]
    if not nucleus:
        return False
    if coda:
        if coda not in _CODAS or nucleus not in _CLOSED_NUCLEI:
            return False
        # ch/nh follow only a, ê, i, y; stop codas take only the sắc or nặng tone.
        if coda in ("ch", "nh") and nucleus[-1] not in "aêiy":
            return False
        if coda in _STOP_CODAS and tones and tones[0] not in (ACUTE, DOT):
            return False
    elif nucleus not in _OPEN_NUCLEI:
        return False
    if tones and nucleus in ("ă", "â") and not coda:
        return False
    # Spelling rules: gh/ngh/k only before e ê i (y for k); c/ng never before them.
    head = nucleus[0]
    if onset in ("gh", "ngh") and head not in "eêi":
        return False
    if onset == "k" and head not in _FRONT:
        return False
    if onset in ("c", "ng") and head in _FRONT:
        return False
    if onset == "qu" and head == "u":
        return False
    return True


# ---------------------------------------------------------------------------
# Tokens

_TOKEN = re.compile(r"[^\W_]+")
# What may stand between two tokens of one phrase (so they form a bigram): spaces; a
# "/", "-" or "." glued to both sides ("22/KH-BCĐ", "2026-2030", "0693.545.129"); or a
# "/" with spaces, as typed in "Số: 22 /KH-BCĐ". Anything else (comma, line break, a
# spaced " - " between clauses) ends the phrase.
_JOIN = re.compile(r"[ \t]+|[/.-]|[ \t]*/[ \t]*")


def tokenize(s: str) -> list[str]:
    """Split ``s`` into lower-case letter/digit tokens of its matching form: "3087/QĐ-UBND" → ["3087", "qđ", "ubnd"]."""
    return _TOKEN.findall(normalize_for_matching(s).lower())


def _segments(s: str) -> list[list[str]]:
    """Group the tokens of an already-normalised lower-case text into runs that bigrams may span."""
    segments: list[list[str]] = []
    current: list[str] = []
    last_end = None
    for match in _TOKEN.finditer(s):
        joined = last_end is not None and _JOIN.fullmatch(s, last_end, match.start()) is not None
        if not joined and current:
            segments.append(current)
            current = []
        current.append(match.group())
        last_end = match.end()
    if current:
        segments.append(current)
    return segments


def keyword_terms(s: str, folded: bool = False) -> list[str]:
    """Return BM25 terms: syllable unigrams, then adjacent-syllable bigrams "nạn_nhân" within phrases."""
    return list(_keyword_terms(s, folded))


# Answering one question asks for the terms of the same few passages dozens of times (bench query profile:
# a third of `ask`); the passages repeat across questions too.
@lru_cache(maxsize=4096)
def _keyword_terms(s: str, folded: bool) -> tuple[str, ...]:
    text = fold(s) if folded else normalize_for_matching(s).lower()
    unigrams: list[str] = []
    bigrams: list[str] = []
    for segment in _segments(text):
        unigrams.extend(segment)
        bigrams.extend(f"{a}_{b}" for a, b in zip(segment, segment[1:]))
    return tuple(unigrams + bigrams)


# ---------------------------------------------------------------------------
# Language of a question

# Frequent Vietnamese syllables as typed without diacritics. Words that are also common
# English words ("to", "do", "an", "in", "a") are left out so they vote for neither side.
_VI_UNACCENTED = frozenset(
    """
    ai la gi nao sao bao nhieu khi nhu the thi ma va voi cua cho trong ngoai tren duoi
    co khong chua da dang se duoc bi phai can nen hay hoac nhung cac mot hai ba bon nam
    nguoi nan nhan ho tro mua ban chong phong chu tri phoi hop trach nhiem nhiem vu
    ke hoach quyet dinh luat dieu khoan diem chuong muc so ngay thang giai doan
    tinh huyen xa thanh pho uy ban nhan dan cong an quan doi bien phong toa vien kiem sat
    lao dong thuong binh xa hoi y te giao duc tu phap tai chinh ngoai vu van hoa thong tin
    doan phu nu tre em hoc sinh gia dinh cong dong dia phuong tuyen truyen nhan thuc
    toi pham dieu tra truy to xet xu bao ve tiep nhan xac minh hoi huong kinh phi
    nao dau bao gio tai vi ai nhung gi day kia nay do neu theo ve tu den cung rat nhieu it
    hien thuc trien khai to chuc chi dao huong dan kiem tra bao cao tong hop
    """.split()
)
# Short words of both languages ("do": by, "so": number, "an", "can", "to"), which say nothing of either; "the" and
# "it" ("thế", "ít" typed without marks) are far more often English.
_BOTH_LANGUAGES = frozenset({"an", "can", "do", "so", "to"})
_EN_WORDS = frozenset(
    """
    a an the of in on at to for from by with about into over under between after before
    and or but not no nor if then than so as is are was were be been being am do does did
    done has have had having will would shall should can could may might must
    who whom whose what which when where why how whats whos hows
    i you he she it we they me him her us them my your his its our their this that these those
    there here all any some each every many much more most other such own same
    responsible lead leads leading support supports victim victims plan plans law laws
    province provincial department agency committee role roles task tasks budget
    trafficking human coordinate coordinates coordinating according please tell show list
    explain describe give find summary summarize
    """.split()
)
_ACRONYM = re.compile(r"^[A-ZĐ0-9]{2,}$")


def detect_language(question: str) -> Literal["vi", "en"]:
    """Return "vi" or "en" for a question, Vietnamese recognised with or without diacritics."""
    vi = en = 0.0
    for i, raw in enumerate(_TOKEN.findall(nfc(question))):
        if raw.isdigit() or _ACRONYM.match(raw):
            continue  # numbers and acronyms ("UBND", "ACTIP") say nothing about the language
        word = raw.lower()
        if has_diacritics(word):
            # Proper nouns ("Ninh Bình", "Bà Rịa - Vũng Tàu") carry diacritics inside English questions too: a
            # capitalised word past the first counts as little as an unaccented syllable, another a little more.
            vi += 0.5 if (i and raw[:1].isupper()) or not is_vietnamese_syllable(word) else 1.5
        elif word in _BOTH_LANGUAGES:
            continue  # "de an 3 do so nao chu tri" is Vietnamese, "what do we do so …" English: by their other words
        elif word in _EN_WORDS:
            en += 1.5
        elif word in _VI_UNACCENTED:
            vi += 1.0
        elif is_vietnamese_syllable(word) or is_folded_syllable(word):
            vi += 0.25
        else:
            en += 1.0  # not a possible Vietnamese syllable: "victim", "support", "leads"
    return "en" if en > vi else "vi"
