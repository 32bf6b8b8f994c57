"""Legacy Vietnamese font encodings (TCVN3, VNI): detection and conversion."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.legacy import (
    LEGACY_ENCODINGS,
    bytes_as_cp1252,
    convert_legacy,
    cp1252_bytes,
    detect_legacy,
    to_legacy,
)

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "documents"
SEED_DOCS = sorted(CORPUS.glob("*.txt")) if CORPUS.is_dir() else []

REFERENCES = ["Cộng hòa xã hội chủ nghĩa Việt Nam", "Độc lập - Tự do - Hạnh phúc"]
TONES = ("", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323")
LOWER_LETTERS = [
    unicodedata.normalize("NFC", b + t) for b in "aăâeêioôơuưy" for t in TONES
] + ["đ"]
VIETNAMESE_LETTERS = sorted({c for c in LOWER_LETTERS + [c.upper() for c in LOWER_LETTERS] if not c.isascii()})


def _to_cp1258(s: str) -> bytes:
    """Encode as Windows-1258 the way Vietnamese Windows wrote it: base letter + combining tone."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", s):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        decomposed = unicodedata.normalize("NFD", ch)
        tone = "".join(c for c in decomposed if c in TONES[1:])
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONES[1:]))
        out += base.encode("cp1258") + tone.encode("cp1258")
    return bytes(out)


# ---------------------------------------------------------------------------
# Reference strings and hand-typed mojibake


def test_hand_typed_tcvn3_mojibake_converts():
    assert convert_legacy("Céng hoµ x· héi chñ nghÜa ViÖt Nam", "tcvn3") == "Cộng hoà xã hội chủ nghĩa Việt Nam"
    assert convert_legacy("§éc lËp - Tù do - H¹nh phóc", "tcvn3") == "Độc lập - Tự do - Hạnh phúc"


def test_hand_typed_vni_mojibake_converts():
    assert convert_legacy("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam", "vni") == "Cộng hòa xã hội chủ nghĩa Việt Nam"
    assert convert_legacy("Ñoäc laäp - Töï do - Haïnh phuùc", "vni") == "Độc lập - Tự do - Hạnh phúc"


def test_encoder_matches_hand_typed_mojibake():
    assert to_legacy("Cộng hoà xã hội chủ nghĩa Việt Nam", "tcvn3") == "Céng hoµ x· héi chñ nghÜa ViÖt Nam"
    assert to_legacy("Cộng hòa xã hội chủ nghĩa Việt Nam", "vni") == "Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam"


@pytest.mark.parametrize("encoding", LEGACY_ENCODINGS)
@pytest.mark.parametrize("reference", REFERENCES)
def test_reference_strings_round_trip_and_are_detected(reference, encoding):
    legacy = to_legacy(reference, encoding)
    assert legacy != reference
    assert convert_legacy(legacy, encoding) == reference
    assert detect_legacy(legacy) == encoding
    # The same text as real file bytes, read back through the Windows-1252 view.
    assert convert_legacy(bytes_as_cp1252(cp1252_bytes(legacy)), encoding) == reference


@pytest.mark.parametrize(
    "mojibake, encoding",
    [
        ("Céng hoµ x· héi chñ nghÜa ViÖt Nam", "tcvn3"),
        ("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam", "vni"),
        ("§éc lËp - Tù do - H¹nh phóc", "tcvn3"),
        ("Ñoäc laäp - Töï do - Haïnh phuùc", "vni"),
    ],
)
def test_detect_legacy_on_hand_typed_mojibake(mojibake, encoding):
    assert detect_legacy(mojibake) == encoding


def test_tcvn3_all_caps_heading_restores_capitals():
    # .VnTimeH fonts draw capitals from the lower-case codes.
    assert convert_legacy("CéNG HOµ X· HéI CHñ NGHÜA VIÖT NAM", "tcvn3") == "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"


def test_tcvn3_mixed_case_words_keep_their_case():
    assert convert_legacy("Sè: 22 /KH-BC§", "tcvn3") == "Số: 22 /KH-BCĐ"
    assert convert_legacy("Ban ChØ ®¹o 138", "tcvn3") == "Ban Chỉ đạo 138"


def test_tcvn3_keeps_windows_punctuation_outside_words():
    assert convert_legacy("“Kh«ng” – ‘tèt’ …", "tcvn3") == "“Không” – ‘tốt’ …"


def test_conversion_leaves_unknown_characters_alone():
    assert convert_legacy("ABC 123 ≥ 中文", "tcvn3") == "ABC 123 ≥ 中文"
    assert convert_legacy("ABC 123 ≥ 中文", "vni") == "ABC 123 ≥ 中文"


def test_unknown_encoding_is_an_error():
    with pytest.raises(ValueError, match="tcvn3"):
        convert_legacy("x", "viscii")
    with pytest.raises(ValueError, match="vni"):
        to_legacy("x", "viqr")


# ---------------------------------------------------------------------------
# Must not fire


@pytest.mark.parametrize(
    "text",
    [
        "Cộng hòa xã hội chủ nghĩa Việt Nam",
        "Độc lập - Tự do - Hạnh phúc",
        "Who leads victim support in the province?",
        "Le café est très bon à Paris, où l'été est chaud. Ça coûte 5 µm ©",
        "Grüße aus München, schöne Größe",
        "“Quoted” – dash … ‘x’ ™ €",
        "",
        "µm",
    ],
)
def test_detect_legacy_does_not_fire_on_normal_text(text):
    assert detect_legacy(text) is None


@pytest.mark.skipif(not SEED_DOCS, reason="shared corpus not present")
@pytest.mark.parametrize("path", SEED_DOCS, ids=lambda p: p.stem)
def test_detect_legacy_does_not_fire_on_unicode_cp1258_or_utf16_text(path):
    text = path.read_text(encoding="utf-8")
    assert detect_legacy(text) is None
    assert detect_legacy(unicodedata.normalize("NFD", text)) is None
    assert detect_legacy(_to_cp1258(text).decode("cp1258")) is None
    assert detect_legacy(text.encode("utf-16").decode("utf-16")) is None
    # cp1258 bytes seen through the Windows-1252 view are mojibake, but not TCVN3/VNI.
    assert detect_legacy(bytes_as_cp1252(_to_cp1258(text))) is None


# ---------------------------------------------------------------------------
# Whole-table checks


@pytest.mark.parametrize("encoding", LEGACY_ENCODINGS)
def test_every_lower_case_letter_round_trips(encoding):
    for letter in LOWER_LETTERS:
        assert convert_legacy(to_legacy(letter, encoding), encoding) == letter, letter


def test_every_vni_letter_round_trips_in_both_cases():
    for letter in VIETNAMESE_LETTERS:
        assert convert_legacy(to_legacy(letter, "vni"), "vni") == letter, letter


def test_every_tcvn3_capital_round_trips_inside_a_capital_word():
    # Capitals on Windows punctuation slots are written with lower-case codes, as .VnTimeH
    # fonts do; inside a capital word the decoder restores them.
    for letter in VIETNAMESE_LETTERS:
        if letter.isupper():
            word = f"NG{letter}NG"
            assert convert_legacy(to_legacy(word, "tcvn3"), "tcvn3") == word, letter


@pytest.mark.skipif(not SEED_DOCS, reason="shared corpus not present")
@pytest.mark.parametrize("encoding", LEGACY_ENCODINGS)
@pytest.mark.parametrize("path", SEED_DOCS, ids=lambda p: p.stem)
def test_corpus_round_trips_through_both_tables(path, encoding):
    text = path.read_text(encoding="utf-8")
    legacy = to_legacy(text, encoding)
    assert convert_legacy(legacy, encoding) == text
    assert detect_legacy(legacy) == encoding
    # and as the real bytes a legacy file would hold
    assert convert_legacy(bytes_as_cp1252(cp1252_bytes(legacy)), encoding) == text


def _iconv_tcvn(data: bytes) -> str | None:
    if shutil.which("iconv") is None:
        return None
    run = subprocess.run(["iconv", "-f", "TCVN5712-1", "-t", "UTF-8"], input=data, capture_output=True)
    return run.stdout.decode("utf-8") if run.returncode == 0 else None


@pytest.mark.skipif(_iconv_tcvn(b"a") is None, reason="glibc iconv with TCVN5712-1 not available")
def test_tcvn3_table_agrees_with_glibc_iconv():
    # Each table byte between two letters (so Windows punctuation slots count as letters),
    # compared with glibc's TCVN 5712:1993 decoder; 0xB0-0xB4 (combining marks) are left out.
    for b in list(range(0x01, 0x18)) + list(range(0x80, 0x100)):
        if 0xB0 <= b <= 0xB4 or b in (0x03, 0x07, 0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F, 0x10):
            continue
        data = b"n" + bytes([b]) + b"n"
        expected = unicodedata.normalize("NFC", _iconv_tcvn(data) or "")
        ours = convert_legacy(bytes_as_cp1252(data), "tcvn3")
        assert ours == expected, hex(b)


def test_bytes_as_cp1252_covers_every_byte():
    data = bytes(range(256))
    view = bytes_as_cp1252(data)
    assert len(view) == 256
    assert cp1252_bytes(view) == data
    with pytest.raises(ValueError):
        cp1252_bytes("ư")


# ---------------------------------------------------------------------------
# Fuzz

_VI_ASCII = "".join(VIETNAMESE_LETTERS) + "abcdefghiklmnopqrstuvxyABCDEGHIKLMNOPQRSTUVXY "
_LOWER = "".join(c for c in VIETNAMESE_LETTERS if c.islower()) + "abcdeghiklmnopqrstuvxy "


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_VI_ASCII, max_size=40))
def test_vni_round_trips_any_vietnamese_text(s):
    assert convert_legacy(to_legacy(s, "vni"), "vni") == s


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_LOWER, max_size=40))
def test_tcvn3_round_trips_lower_case_vietnamese_text(s):
    assert convert_legacy(to_legacy(s, "tcvn3"), "tcvn3") == s


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_detect_and_convert_never_fail(s):
    assert detect_legacy(s) in (None, "tcvn3", "vni")
    for encoding in LEGACY_ENCODINGS:
        assert isinstance(convert_legacy(s, encoding), str)
