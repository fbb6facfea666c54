"""The writing script of a text: a Cyrillic letter marks Russian among the pipeline's languages."""

from __future__ import annotations

import re

# A letter of the Cyrillic block (Russian, and the other languages written in it).
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
