"""Legacy Vietnamese font encodings: detect and convert TCVN3 (ABC, .VnTime) and VNI (VNI-Times).

Before Unicode, Vietnamese documents were typed with 8-bit fonts that draw Vietnamese
letters at byte values Windows-1252 uses for other characters. Such a file, read as
Windows-1252 (or Latin-1, or pasted into a UTF-8 file), shows mojibake:

    TCVN3: "Céng hoµ x· héi chñ nghÜa ViÖt Nam"
    VNI:   "Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam"

Sources of the tables:

* TCVN3 follows TCVN 5712:1993 (VN1) as glibc's iconv ``TCVN5712-1`` decodes single
  bytes (checked byte by byte against the system ``iconv`` in tests/test_legacy.py). The
  ABC fonts (.VnTime) use its VN3 subset: lower-case letters plus Ă Â Ê Ô Ơ Ư Đ at
  0xA1–0xFF. VN1 adds the other capitals at 0x80–0x9F and in control-code slots; twelve of
  those bytes are Windows punctuation in real .VnTime files (“ ” ‘ ’ – — … •), so they
  decode as capitals only inside a word, and ``to_legacy`` writes those twelve capitals
  with lower-case codes. .VnTimeH fonts draw capitals from the lower-case codes too, so
  ``convert_legacy`` restores upper case in all-caps words and headings. The combining
  marks VN1 puts at 0xB0–0xB4 are not used (Windows-1252 "°±²³´").
* VNI follows the VNI-Windows table of xvnkb (Dao Hai Lam, VISC, vni.h), cross-checked
  with the vietnamese-conversion package's charset table. VNI writes a base letter
  followed by a mark byte ("a" + "ø" = "à"), so it is decoded with a pair lookup.

No maintained Python package converts these encodings (none on PyPI matches "tcvn" or
"vni"), hence the tables here.
"""

from __future__ import annotations

import re

from assistant.text import is_vietnamese_syllable, nfc

__all__ = [
    "LEGACY_ENCODINGS",
    "detect_legacy",
    "convert_legacy",
    "to_legacy",
    "bytes_as_cp1252",
    "cp1252_bytes",
]

LEGACY_ENCODINGS: tuple[str, ...] = ("tcvn3", "vni")

# ---------------------------------------------------------------------------
# TCVN3: byte -> Unicode, TCVN 5712:1993 VN1 as glibc's iconv TCVN5712-1 decodes single
# bytes. The combining tone marks VN1 puts at 0xB0-0xB4 are left out: ABC fonts never use
# them and Windows-1252 text uses those bytes for "°±²³´".
_TCVN3_BYTES: dict[int, str] = {
    # VN1 capitals in control-code slots: never legitimate text, so always letters.
    0x01: "Ú", 0x02: "Ụ", 0x04: "Ừ", 0x05: "Ử", 0x06: "Ữ", 0x11: "Ứ", 0x12: "Ự", 0x13: "Ỳ",
    0x14: "Ỷ", 0x15: "Ỹ", 0x16: "Ý", 0x17: "Ỵ",
    # VN1 capitals in the Windows-1252 C1 area.
    0x80: "À", 0x81: "Ả", 0x82: "Ã", 0x83: "Á", 0x84: "Ạ", 0x85: "Ặ", 0x86: "Ậ", 0x87: "È",
    0x88: "Ẻ", 0x89: "Ẽ", 0x8A: "É", 0x8B: "Ẹ", 0x8C: "Ệ", 0x8D: "Ì", 0x8E: "Ỉ", 0x8F: "Ĩ",
    0x90: "Í", 0x91: "Ị", 0x92: "Ò", 0x93: "Ỏ", 0x94: "Õ", 0x95: "Ó", 0x96: "Ọ", 0x97: "Ộ",
    0x98: "Ờ", 0x99: "Ở", 0x9A: "Ỡ", 0x9B: "Ớ", 0x9C: "Ợ", 0x9D: "Ù", 0x9E: "Ủ", 0x9F: "Ũ",
    # VN3, the repertoire of the ABC (.VnTime) fonts, plus a few VN1 capitals.
    0xA1: "Ă", 0xA2: "Â", 0xA3: "Ê", 0xA4: "Ô", 0xA5: "Ơ", 0xA6: "Ư", 0xA7: "Đ", 0xA8: "ă",
    0xA9: "â", 0xAA: "ê", 0xAB: "ô", 0xAC: "ơ", 0xAD: "ư", 0xAE: "đ", 0xAF: "Ằ",
    0xB5: "à", 0xB6: "ả", 0xB7: "ã", 0xB8: "á", 0xB9: "ạ", 0xBA: "Ẳ", 0xBB: "ằ", 0xBC: "ẳ",
    0xBD: "ẵ", 0xBE: "ắ", 0xBF: "Ẵ", 0xC0: "Ắ", 0xC1: "Ầ", 0xC2: "Ẩ", 0xC3: "Ẫ", 0xC4: "Ấ",
    0xC5: "Ề", 0xC6: "ặ", 0xC7: "ầ", 0xC8: "ẩ", 0xC9: "ẫ", 0xCA: "ấ", 0xCB: "ậ", 0xCC: "è",
    0xCD: "Ể", 0xCE: "ẻ", 0xCF: "ẽ", 0xD0: "é", 0xD1: "ẹ", 0xD2: "ề", 0xD3: "ể", 0xD4: "ễ",
    0xD5: "ế", 0xD6: "ệ", 0xD7: "ì", 0xD8: "ỉ", 0xD9: "Ễ", 0xDA: "Ế", 0xDB: "Ồ", 0xDC: "ĩ",
    0xDD: "í", 0xDE: "ị", 0xDF: "ò", 0xE0: "Ổ", 0xE1: "ỏ", 0xE2: "õ", 0xE3: "ó", 0xE4: "ọ",
    0xE5: "ồ", 0xE6: "ổ", 0xE7: "ỗ", 0xE8: "ố", 0xE9: "ộ", 0xEA: "ờ", 0xEB: "ở", 0xEC: "ỡ",
    0xED: "ớ", 0xEE: "ợ", 0xEF: "ù", 0xF0: "Ỗ", 0xF1: "ủ", 0xF2: "ũ", 0xF3: "ú", 0xF4: "ụ",
    0xF5: "ừ", 0xF6: "ử", 0xF7: "ữ", 0xF8: "ứ", 0xF9: "ự", 0xFA: "ỳ", 0xFB: "ỷ", 0xFC: "ỹ",
    0xFE: "ỵ", 0xFF: "Ố",
}
# VN1 capitals sitting on Windows-1252 punctuation (‚ „ … ‹ ‘ ’ “ ” • – — ›). Real .VnTime
# documents use these bytes as punctuation, so they decode as letters only inside a word.
_TCVN3_PUNCT_SLOTS = frozenset((0x82, 0x84, 0x85, 0x8B, 0x91, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x9B))

# Windows-1252 view of raw bytes: the 5 bytes cp1252 leaves undefined fall back to Latin-1
# (U+0081 ...), so every byte has exactly one character and nothing raises.
_CP1252_C1: dict[int, str] = {
    b: bytes([b]).decode("cp1252")
    for b in range(0x80, 0xA0)
    if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)
}


def _mojibake_char(b: int) -> str:
    """The character byte ``b`` shows as when the file is read as Windows-1252."""
    return _CP1252_C1.get(b, chr(b))


# Mojibake character -> Unicode. C1 bytes are reachable both through Windows-1252 ("“")
# and through Latin-1 (U+0093), depending on how the text was read.
_TCVN3_DECODE: dict[str, str] = {}
for _b, _u in _TCVN3_BYTES.items():
    _TCVN3_DECODE[_mojibake_char(_b)] = _u
    _TCVN3_DECODE[chr(_b)] = _u
_TCVN3_PUNCT = frozenset(
    c for b in _TCVN3_PUNCT_SLOTS for c in (_mojibake_char(b), chr(b))
)
# Capitals on punctuation slots are written with their lower-case code instead, as a
# .VnTimeH font would: the decoder cannot tell "Ộ" from "—" at the end of a word.
_TCVN3_ENCODE: dict[str, str] = {
    u: _mojibake_char(b) for b, u in _TCVN3_BYTES.items() if b not in _TCVN3_PUNCT_SLOTS
}
for _b in _TCVN3_PUNCT_SLOTS:
    _upper = _TCVN3_BYTES[_b]
    _TCVN3_ENCODE[_upper] = _TCVN3_ENCODE[_upper.lower()]
# Lower-case letters a .VnTimeH (all-caps) font would draw as capitals.
_TCVN3_CASELESS = frozenset(u for u in _TCVN3_BYTES.values() if u.islower())

# ---------------------------------------------------------------------------
# VNI-Windows. A toned vowel is a base byte plus one mark byte; the mark bytes below are
# listed in the order no tone, sắc, huyền, hỏi, ngã, nặng (xvnkb vni.h order).
_TONES = ("", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323")
_VNI_TONE_MARKS = ("", "ù", "ø", "û", "õ", "ï")  # plain vowel + tone
_VNI_CIRCUMFLEX = ("â", "á", "à", "å", "ã", "ä")  # â ê ô + tone
_VNI_BREVE = ("ê", "é", "è", "ú", "ü", "ë")  # ă + tone
# (Unicode base letter, VNI base byte, marks row)
_VNI_ROWS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("a", "a", _VNI_TONE_MARKS),
    ("â", "a", _VNI_CIRCUMFLEX),
    ("ă", "a", _VNI_BREVE),
    ("e", "e", _VNI_TONE_MARKS),
    ("ê", "e", _VNI_CIRCUMFLEX),
    ("o", "o", _VNI_TONE_MARKS),
    ("ô", "o", _VNI_CIRCUMFLEX),
    ("ơ", "ô", _VNI_TONE_MARKS),  # ơ is the single byte "ô"
    ("u", "u", _VNI_TONE_MARKS),
    ("ư", "ö", _VNI_TONE_MARKS),  # ư is the single byte "ö"
    ("y", "y", ("", "ù", "ø", "û", "õ", "î")),  # ỵ is the single byte "î"
)
# i and its tones are single bytes; so are đ and the ỵ above.
_VNI_I = ("i", "í", "ì", "æ", "ó", "ò")


def _build_vni() -> tuple[dict[str, str], dict[str, str]]:
    """Return (VNI sequence -> Unicode letter, Unicode letter -> VNI sequence), both cases."""
    encode: dict[str, str] = {}
    for letter, base, marks in _VNI_ROWS:
        for tone, mark in zip(_TONES, marks):
            uni = nfc(letter + tone)
            # ỵ ("î") replaces the whole y + dot pair, like i's single bytes.
            vni = mark if mark == "î" else base + mark
            if uni != vni:
                encode[uni] = vni
                encode[uni.upper()] = vni.upper()
    for tone, single in zip(_TONES, _VNI_I):
        uni = nfc("i" + tone)
        if uni != single:
            encode[uni] = single
            encode[uni.upper()] = single.upper()
    encode["đ"], encode["Đ"] = "ñ", "Ñ"
    decode = {vni: uni for uni, vni in encode.items()}
    # Typists mixed cases ("Aù" for "Á"); the base letter decides the case.
    for vni, uni in list(decode.items()):
        if len(vni) == 2:
            for variant in (vni[0] + vni[1].lower(), vni[0] + vni[1].upper()):
                decode.setdefault(variant, uni)
    return decode, encode


_VNI_DECODE, _VNI_ENCODE = _build_vni()
_VNI_PAIRS = {k: v for k, v in _VNI_DECODE.items() if len(k) == 2}
_VNI_SINGLES = {k: v for k, v in _VNI_DECODE.items() if len(k) == 1}

def bytes_as_cp1252(data: bytes) -> str:
    """Decode bytes as Windows-1252, undefined bytes as Latin-1: the view legacy mojibake is seen in."""
    return data.decode("latin-1").translate(_CP1252_C1)


_CP1252_C1_BYTES = {c: b for b, c in _CP1252_C1.items()}


def cp1252_bytes(text: str) -> bytes:
    """Inverse of bytes_as_cp1252: the bytes a legacy file holds for its Windows-1252 view. Raises ValueError."""
    out = bytearray()
    for c in text:
        b = _CP1252_C1_BYTES.get(c, ord(c))
        if b > 0xFF:
            raise ValueError(f"character {c!r} has no single-byte form")
        out.append(b)
    return bytes(out)


# ---------------------------------------------------------------------------
# Conversion


def _convert_tcvn3(text: str) -> tuple[str, list[bool]]:
    """Decode TCVN3 mojibake; also return which output characters are case-ambiguous."""

    def letter_like(k: int) -> bool:
        return 0 <= k < len(text) and (text[k].isalpha() or text[k] in _TCVN3_DECODE)

    out: list[str] = []
    ambiguous: list[bool] = []
    for k, ch in enumerate(text):
        new = _TCVN3_DECODE.get(ch, ch)
        if ch in _TCVN3_PUNCT and not (letter_like(k - 1) and letter_like(k + 1)):
            new = ch
        out.append(new)
        ambiguous.append(new != ch and new in _TCVN3_CASELESS)
    return "".join(out), ambiguous


def _restore_caps(chars: list[str], ambiguous: list[bool]) -> str:
    """Upper-case decoded lower-case letters in all-caps words and headings (.VnTimeH fonts)."""
    n = len(chars)
    start = 0
    while start < n:
        end = start
        while end < n and chars[end] != "\n":
            end += 1
        if any(ambiguous[start:end]):
            _restore_line_caps(chars, ambiguous, start, end)
        start = end + 1
    return "".join(chars)


def _restore_line_caps(chars: list[str], ambiguous: list[bool], start: int, end: int) -> None:
    # Words as (first, last+1, capitals, small letters), counting only letters whose case is
    # known: ASCII and the capitals TCVN3 does encode.
    words: list[tuple[int, int, int, int]] = []
    k = start
    while k < end:
        if chars[k].isspace():
            k += 1
            continue
        w = k
        upper = lower = 0
        while w < end and not chars[w].isspace():
            c = chars[w]
            if not ambiguous[w] and c.isalpha():
                upper += c.isupper()
                lower += c.islower()
            w += 1
        words.append((k, w, upper, lower))
        k = w
    caps_words = sum(1 for _, _, u, lo in words if u >= 2 and lo == 0)
    line_has_small = any(lo for _, _, _, lo in words)
    for first, last, upper, lower in words:
        if lower:
            continue
        # A word of capitals is a capital word; a short one ("X·" = "XÃ") only inside a
        # heading of several capital words with no small letter anywhere ("Số: 22/KH" stays).
        if upper >= 2 or (caps_words >= 2 and not line_has_small):
            for m in range(first, last):
                if ambiguous[m]:
                    chars[m] = chars[m].upper()


def _convert_vni(text: str) -> str:
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        pair = _VNI_PAIRS.get(text[i : i + 2])
        if pair is not None:
            out.append(pair)
            i += 2
            continue
        out.append(_VNI_SINGLES.get(text[i], text[i]))
        i += 1
    return "".join(out)


def convert_legacy(text: str, encoding: str) -> str:
    """Convert TCVN3 or VNI mojibake (read as Windows-1252 or Latin-1) to Unicode NFC; other characters pass through."""
    if encoding == "tcvn3":
        converted, ambiguous = _convert_tcvn3(text)
        return nfc(_restore_caps(list(converted), ambiguous))
    if encoding == "vni":
        return nfc(_convert_vni(text))
    raise ValueError(f"unknown legacy encoding {encoding!r}: use one of {LEGACY_ENCODINGS}")


def to_legacy(text: str, encoding: str) -> str:
    """Encode Unicode text as TCVN3 or VNI mojibake (the Windows-1252 view); letters outside the table pass through."""
    if encoding == "tcvn3":
        table = _TCVN3_ENCODE
    elif encoding == "vni":
        table = _VNI_ENCODE
    else:
        raise ValueError(f"unknown legacy encoding {encoding!r}: use one of {LEGACY_ENCODINGS}")
    return "".join(table.get(c, c) for c in nfc(text))


# ---------------------------------------------------------------------------
# Detection: convert, then count words that became real Vietnamese syllables. Mojibake
# words are almost never valid syllables ("hoµ", "Coäng") and their conversions almost
# always are, while real Unicode Vietnamese, English or French words do not gain validity.

_EDGE = re.compile(r"^[\W\d_]+|[\W\d_]+$")


def _syllable(word: str) -> str:
    return _EDGE.sub("", word)


def _score(text: str, converted: str) -> tuple[int, int, int]:
    """Return (words changed, of them valid syllables before, valid syllables after)."""
    changed = before_ok = after_ok = 0
    for before, after in zip(text.split(), converted.split()):
        # Mojibake of a real word keeps some ASCII letters ("Céng", "hoµ"); a lone symbol
        # ("™", "€") that happens to map to a one-letter word is no evidence.
        if before == after or not any("a" <= c.lower() <= "z" for c in before):
            continue
        changed += 1
        before_ok += is_vietnamese_syllable(_syllable(before))
        after_ok += is_vietnamese_syllable(_syllable(after))
    return changed, before_ok, after_ok


# Vietnamese letters no legacy mojibake can contain (they are outside Windows-1252).
_UNICODE_ONLY = frozenset(
    c for c in set(_TCVN3_BYTES.values()) | set(_VNI_ENCODE) if c > "\u00ff"
)
_WINDOW = 4000


def _sample(text: str) -> str:
    """Start, middle and end of a long text: a legacy encoding covers a whole file, so
    three windows decide as well as the whole and keep detection cheap on 1 MB laws."""
    if len(text) <= 3 * _WINDOW:
        return text
    mid = len(text) // 2
    return "\n".join((text[:_WINDOW], text[mid - _WINDOW // 2 : mid + _WINDOW // 2], text[-_WINDOW:]))


def detect_legacy(text: str) -> str | None:
    """Return "tcvn3" or "vni" if ``text`` is legacy-font mojibake, else None."""
    text = _sample(text)
    if not any(c in _TCVN3_DECODE for c in text):
        return None  # no byte a legacy table maps: pure ASCII or real Unicode is safe
    # Vietnamese letters beyond Latin-1 (ư, ơ, đ, ạ, ệ ...) mean the text is real Unicode.
    unicode_letters = sum(1 for c in text if c > "\u00ff" and c in _UNICODE_ONLY)
    candidates = sum(1 for word in text.split() if any(c in _TCVN3_DECODE or c in _VNI_SINGLES for c in word))
    if unicode_letters >= candidates:
        return None  # the gain can never beat the Unicode evidence (checked below): skip the work
    best: tuple[int, str] | None = None
    for encoding in LEGACY_ENCODINGS:
        converted = convert_legacy(text, encoding)
        # Whitespace is never converted, so split() aligns the words of both texts.
        changed, before_ok, after_ok = _score(text, converted)
        gain = after_ok - before_ok
        # Some mojibake words are valid by accident ("phóc" for "phúc"), so the test is
        # that most changed words end up valid and clearly more than before.
        if after_ok < 2 or after_ok < 0.6 * changed or gain < 2 or gain < 0.25 * changed:
            continue
        if unicode_letters >= gain:
            continue
        if best is None or gain > best[0]:
            best = (gain, encoding)
    return best[1] if best else None
