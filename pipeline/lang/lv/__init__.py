"""Word-level Latvian (and Russian, English) tools: diacritics, lemmas, stop words, tokens.

Residents often type Latvian without diacritics ("celu remonts" for "ceļu remonts"), and the
keywords a planner needs are lemmas ("ceļiem", "ceļus" -> "ceļš"). The modules here restore
diacritics from known word forms (`diacritics`, with the full Latvian Hunspell dictionary read
by `pipeline.lang.hunspell` and smaller lists in `lexicon`), lemmatise (`lemmatizer`, with
regular `paradigms` of municipal-domain lemmas) and supply stop lists (`stopwords`),
tokenisation (`tokens`) and place words (`places`); `alphabet` folds a text to its
diacritic-free key.
"""

# TEMPORARY re-export: code outside pipeline.lang still reads these names as `latvian.NAME`
# (`from pipeline.lang import lv as latvian`). Import them from their modules instead; this
# block goes once those importers are switched over.
from pipeline.lang.lv.alphabet import fold
from pipeline.lang.lv.diacritics.restorer import DiacriticsRestorer
from pipeline.lang.lv.diacritics.scoring import score_restoration
from pipeline.lang.lv.lemmatizer import lemmas, lemmatize
from pipeline.lang.lv.lexicon import is_known_word
from pipeline.lang.lv.places import place_words
from pipeline.lang.lv.stopwords import is_stop, stop_words
from pipeline.lang.lv.tokens import tokenize
from pipeline.lang.resources import resource_lines

__all__ = [
    "DiacriticsRestorer",
    "fold",
    "is_known_word",
    "is_stop",
    "lemmas",
    "lemmatize",
    "place_words",
    "resource_lines",
    "score_restoration",
    "stop_words",
    "tokenize",
]
