"""Word-level Latvian (and Russian, English) tools: diacritics, lemmas, stop words, tokens.

Residents often type Latvian without diacritics ("celu remonts" for "ceļu remonts"), and the
keywords a planner needs are lemmas ("ceļiem", "ceļus" -> "ceļš"). The modules here restore
diacritics from known word forms (`diacritics`, with the full Latvian Hunspell dictionary read
by `pipeline.lang.hunspell` and smaller lists in `lexicon`), lemmatise (`lemmatizer`, with
regular `paradigms` of municipal-domain lemmas) and supply stop lists (`stopwords`),
tokenisation (`tokens`) and place words (`places`); `alphabet` folds a text to its
diacritic-free key.
"""
