"""Language data and grammar: codes, tokens, Latvian, Russian, Hunspell."""
