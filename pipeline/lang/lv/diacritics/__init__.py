"""Restore Latvian diacritics: candidate forms, the case rules that choose among them, the
restorer, forms built from known parts, and scoring against correctly typed texts."""
