"""Greek place names in the genitive (``Ιωάννινα`` → ``Ιωαννίνων``), for school names such as ``Δημοτικό Σχολείο Ιωαννίνων``."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping

# --------------------------------------------------------------------------- Greek genitive

_ACUTE = "\u0301"
_DIAERESIS = "\u0308"
_VOWELS = frozenset("αεηιουω")
_DIPHTHONGS = frozenset({"αι", "ει", "οι", "υι", "ου", "αυ", "ευ", "ηυ"})
_INDECLINABLE = frozenset({"Άνω", "Κάτω", "Μέσα", "Έξω", "Πίσω", "Πάνω", "Επάνω"})
_GENITIVE_OVERRIDES: Mapping[str, str] = {
    "Φιλιππιάς": "Φιλιππιάδας",
    "Αγία Τριάς": "Αγίας Τριάδας",
    "Πύργος Καλλίστης": "Πύργου Καλλίστης",
    "Όρμος Αιγιάλης": "Όρμου Αιγιάλης",
    "Άνω Δρυμών": "Άνω Δρυμώνος",
}
_WORD_OVERRIDES: Mapping[str, str] = {"Μέγας": "Μεγάλου", "Μέγα": "Μεγάλου", "Σπυρίδων": "Σπυρίδωνος"}


def _clusters(word: str) -> list[tuple[str, str]]:
    """(base letter, combining marks) per letter of ``word``."""
    out: list[tuple[str, str]] = []
    for ch in unicodedata.normalize("NFD", word):
        if unicodedata.combining(ch) and out:
            base, marks = out[-1]
            out[-1] = (base, marks + ch)
        else:
            out.append((ch, ""))
    return out


def _nuclei(letters: list[tuple[str, str]]) -> list[list[int]]:
    """Indices of the letters of each syllable nucleus (a vowel or a diphthong)."""
    nuclei: list[list[int]] = []
    prev_open = False
    for i, (base, marks) in enumerate(letters):
        if base.lower() not in _VOWELS:
            prev_open = False
            continue
        if prev_open and _DIAERESIS not in marks:
            j = nuclei[-1][-1]
            pair = letters[j][0].lower() + base.lower()
            if len(nuclei[-1]) == 1 and pair in _DIPHTHONGS and _ACUTE not in letters[j][1]:
                nuclei[-1].append(i)
                continue
        nuclei.append([i])
        prev_open = True
    return nuclei


def _accent_position(word: str) -> int:
    """Syllable carrying the accent, counted from the end (1 = final); 0 when unaccented."""
    letters = _clusters(word)
    nuclei = _nuclei(letters)
    for k, nucleus in enumerate(nuclei):
        if any(_ACUTE in letters[i][1] for i in nucleus):
            return len(nuclei) - k
    return 0


def _with_accent(word: str, from_end: int) -> str:
    """``word`` with its acute accent moved to the ``from_end``-th syllable from the end."""
    letters = [(b, m.replace(_ACUTE, "")) for b, m in _clusters(word)]
    nuclei = _nuclei(letters)
    if 1 <= from_end <= len(nuclei):
        target = nuclei[len(nuclei) - from_end][-1]
        base, marks = letters[target]
        letters[target] = (base, marks + _ACUTE)
    return unicodedata.normalize("NFC", "".join(b + m for b, m in letters))


def _genitive_word(word: str, article: str) -> str | None:
    word = unicodedata.normalize("NFC", word)
    accent = _accent_position(word)
    plain = unicodedata.normalize("NFC", "".join(b + m.replace(_ACUTE, "") for b, m in _clusters(word)))

    def second_declension(stem_len: int, ending: str) -> str:
        stem = word[:-stem_len]
        if accent == 1:
            return _with_accent(plain[:-stem_len] + ending, 1)
        # The long ending pulls an accent on the antepenult onto the penult.
        return _with_accent(stem + ending, min(accent, 2)) if accent else stem + ending

    if article in ("ο", "η") and plain.endswith("ος"):
        return second_declension(2, "ου")
    if article == "το" and (plain.endswith("ον") or plain.endswith("ο")):
        return second_declension(2 if plain.endswith("ον") else 1, "ου")
    if article == "τα" and plain.endswith("α"):
        return second_declension(1, "ων")
    if article == "οι" and plain.endswith("οι"):
        return second_declension(2, "ων")
    if article == "αι" and plain.endswith("αι"):
        return _with_accent(plain[:-2] + "ων", 1)
    if article == "οι" and plain.endswith("ες"):
        # Family-name villages keep the accent (Μηλιωτάδες → Μηλιωτάδων); other plurals
        # in -ες are feminine and stress the ending (Καμάρες → Καμαρών).
        if plain.endswith(("αδες", "ηδες", "ουδες")) and accent == 2:
            return _with_accent(word[:-2] + "ων", 2)
        return _with_accent(plain[:-2] + "ων", 1) if accent in (1, 2) else None
    if article == "το" and plain.endswith("μα"):
        return _with_accent(plain + "τος", 3)
    if article == "το" and plain.endswith("ι"):
        return _with_accent(plain[:-1] + "ιου", 2)
    if article == "η" and (plain.endswith("α") or plain.endswith("η")):
        return word + "ς"
    if article == "η" and plain.endswith("ις"):
        return word[:-2] + word[-2:].replace("ις", "ης").replace("ίς", "ής")
    if article == "ο" and (plain.endswith("ας") or plain.endswith("ης")):
        return word[:-1]
    return None


def genitive(name: str, article: str) -> str | None:
    """Genitive of a settlement name (``Ιωάννινα`` → ``Ιωαννίνων``), or None when unsure.

    Covers the regular endings of ELSTAT names (katharevousa neuters in ``-ον``, plurals
    in ``-α``/``-οι``/``-αι``, feminines in ``-α``/``-η``/``-ις``/``-ος``, masculines in
    ``-ος``/``-ας``/``-ης``); a later word already in the genitive (``Όρμος Κορθίου``) is kept.
    """
    if name in _GENITIVE_OVERRIDES:
        return _GENITIVE_OVERRIDES[name]
    words = name.split()
    if not words:
        return None
    out: list[str] = []
    for k, word in enumerate(words):
        if word in _INDECLINABLE:
            out.append(word)
            continue
        if word in _WORD_OVERRIDES:
            out.append(_WORD_OVERRIDES[word])
            continue
        lowered = word.lower()
        if k > 0 and lowered.endswith(("ου", "ού", "ων", "ών")):
            out.append(word)  # already a genitive complement (Όρμος Κορθίου)
            continue
        if k > 0 and article != "ο" and lowered.endswith(("ης", "ής", "ας", "άς")):
            out.append(word)  # a feminine genitive complement (Επισκοπή Γωνιάς)
            continue
        declined = _genitive_word(word, article)
        if declined is None:
            return None
        out.append(declined)
    return " ".join(out)
