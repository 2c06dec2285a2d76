"""The words of an e-mail that say nothing, or are not text: what the e-mail rules read them with.

A link text that says nothing out of context ("click here", "cliquez ici": WCAG 2.2 technique
F84) is looked up in `VAGUE_LINKS`, in the languages of the bundled channels; a character that
is not text (a control character, a noncharacter, a lone surrogate) is named for the reader.
"""

from __future__ import annotations

import re
import unicodedata

# Link texts that say nothing out of context (WCAG 2.2 technique F84: "click here", "more"),
# in the languages of the bundled channels; a link's whole text is compared, casefolded and
# without punctuation, so "Voir la collection" or "En savoir plus sur les soldes" pass.
VAGUE_LINKS = {
    "fr": {"cliquez ici", "cliquer ici", "clique ici", "ici", "ce lien", "lien", "plus",
           "en savoir plus", "lire la suite", "la suite", "suite", "voir plus"},
    "en": {"click here", "click", "here", "this link", "link", "more", "read more",
           "learn more", "see more", "find out more", "go"},
    "de": {"hier klicken", "klicken sie hier", "klicke hier", "hier", "mehr", "weiterlesen",
           "mehr erfahren", "dieser link", "link"},
    "nl": {"klik hier", "hier", "meer", "lees meer", "meer lezen", "deze link", "link"},
    "es": {"haz clic aquí", "haga clic aquí", "pulsa aquí", "clic aquí", "aquí", "más",
           "leer más", "saber más", "ver más", "este enlace", "enlace"},
    "it": {"clicca qui", "clicca", "qui", "di più", "leggi di più", "scopri di più", "altro",
           "questo link", "link"},
}  # fmt: skip


def vague(text: str) -> str | None:
    """The language in which a link text says nothing, or None."""
    words = " ".join(
        re.sub(r"[^\w\s']", " ", unicodedata.normalize("NFC", text)).casefold().split()
    )
    return next((lang for lang, vague in VAGUE_LINKS.items() if words in vague), None)


def character(char: str) -> str:
    """A character that is not text, named: ``U+0007 (a control character)``."""
    code = ord(char)
    if 0xD800 <= code <= 0xDFFF:
        kind = "a lone surrogate"
    elif code >= 0xFDD0 and (code <= 0xFDEF or code & 0xFFFE == 0xFFFE):
        kind = "a noncharacter"
    else:
        kind = "a control character"
    return f"U+{code:04X} ({kind})"
