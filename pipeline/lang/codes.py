"""Language codes of the pipeline and which language's word tools a text is read with.

Language detection gives each idea one of ``LANGUAGES``. Latgalian has no tokenizer,
lemmatiser or stop list of its own and is written close enough to Latvian to use the Latvian
ones; a text whose language is undetermined (no letters, or no code at all) is read as
Latvian too, the language of most ideas. `grammar_language` is the one place that says so.
"""

from __future__ import annotations

LATVIAN = "lv"
LATGALIAN = "ltg"
RUSSIAN = "ru"
ENGLISH = "en"
UNDETERMINED = "und"  # a text without letters (a dash, a number)

LANGUAGES = (LATVIAN, RUSSIAN, ENGLISH, LATGALIAN, UNDETERMINED)


def grammar_language(code: object) -> str:
    """The language whose word tools (tokens, lemmas, stop words) read a text in ``code``.

    Args:
        code: A language code as detected ("lv", "ltg", "ru", "en", "und"); an empty code or
            a missing value (None, NaN) stands for an undetermined language.

    Returns:
        "lv" for Latvian, Latgalian and an undetermined language; any other code unchanged.
    """
    if not isinstance(code, str) or code in ("", LATGALIAN, UNDETERMINED):
        return LATVIAN
    return code
