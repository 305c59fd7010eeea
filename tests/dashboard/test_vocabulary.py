"""One vocabulary for both languages: the glossary in docs/glossary.md is the list of shared
terms; every label of the translation table follows it, an English label has one Chinese text,
and English mode holds no Chinese of its own."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

from dashboard.i18n import TABLE

GLOSSARY = Path(__file__).resolve().parents[2] / "docs" / "glossary.md"
CJK = re.compile(r"[\u3400-\u9fff]")


def glossary() -> dict[str, str]:
    """English → Chinese of every row of the glossary's table."""
    rows = re.findall(r"^\| ([^|]+?) \| ([^|]+?) \| [^|]+ \|$", GLOSSARY.read_text("utf-8"), re.M)
    return {en: zh for en, zh in rows if en not in ("English", "---")}


def test_the_glossary_lists_the_core_terms() -> None:
    terms = glossary()
    for term in ("Agent", "Team", "Kept rate", "RPC rate", "PTP rate", "Cure rate", "Agency"):
        assert term in terms


def test_every_label_that_names_a_term_uses_its_chinese() -> None:
    terms = glossary()
    wrong = {
        key: (v["en"], v["zh"], terms[v["en"]])
        for key, v in TABLE.items()
        if v["en"] in terms and v["zh"] != terms[v["en"]]
    }
    assert wrong == {}
    # and every glossary term is used by some label
    assert set(terms) - {v["en"] for v in TABLE.values()} == set()


def test_one_english_label_never_has_two_chinese_texts() -> None:
    chinese: dict[str, set[str]] = defaultdict(set)
    for value in TABLE.values():
        chinese[value["en"]].add(value["zh"])
    assert {en: zh for en, zh in chinese.items() if len(zh) > 1} == {}


def test_english_texts_hold_no_chinese() -> None:
    # names and loaded data reach a text only through its {placeholders}
    assert [k for k, v in TABLE.items() if CJK.search(v["en"])] == []
