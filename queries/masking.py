"""Borrower identifiers in free text, masked: the one place the masking rules live.

Agents type phone numbers, ID numbers and card numbers into call and visit notes. A compliance
officer needs the note to judge a flag, not the identifiers in it, so every note a page or an
export shows passes through :func:`mask_text` (the compliance role may reveal one record's clear
note, stating a reason, and that is audited by the page).

Each rule keeps a hint for recognising the value again (a phone's first three and last four
digits, the last four of an ID or a card, an e-mail's first letter and domain). A digit run is
masked as an ID or a card only when its check digit is right (ISO 7064 MOD 11-2, Luhn), so an
order number or an amount stays readable. Regular expressions with a check in Python, needing no
model; over a column (:func:`masked`) a vectorised test first picks the notes that can hold an
identifier at all, and only those distinct notes meet the Python rules.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, partial

import polars as pl

MASK = "*"
#: passes of the rules over one text at most (one or two in practice)
MAX_PASSES = 8


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def luhn_valid(number: str) -> bool:
    """The Luhn check of a bank card number (digits only)."""
    total = 0
    for position, char in enumerate(reversed(number)):
        digit = int(char)
        if position % 2 == 1:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def resident_id_valid(number: str) -> bool:
    """The ISO 7064 MOD 11-2 check digit of an 18-character mainland resident ID."""
    body, check = number[:17], number[17].upper()
    return (
        body.isdigit()
        and _ID_CHECK[sum(int(d) * w for d, w in zip(body, _ID_WEIGHTS, strict=True)) % 11] == check
    )


#: a rule's match never starts or ends inside a longer run of digits
NOT_AFTER_DIGIT = r"(?<!\d)"
NOT_BEFORE_DIGIT = r"(?!\d)"


@dataclass(frozen=True)
class Rule:
    """One kind of identifier: ``shape`` is what it looks like (plain regex, no look-around or
    back-reference, so Polars can run it too), ``before`` and ``after`` what may not stand
    beside it, ``mask`` its masked form (None: the match fails its check and stays)."""

    name: str
    shape: str
    mask: Callable[[str], str | None]
    before: str = NOT_AFTER_DIGIT
    after: str = NOT_BEFORE_DIGIT

    @property
    def pattern(self) -> re.Pattern[str]:
        return _compiled(self.before, self.shape, self.after)


@cache
def _compiled(before: str, shape: str, after: str) -> re.Pattern[str]:
    return re.compile(f"{before}(?:{shape}){after}")


def _keep_last(text: str, keep: int) -> str:
    return MASK * (len(text) - keep) + text[-keep:]


def _mask_resident_id(text: str) -> str | None:
    if not resident_id_valid(re.sub(r"[ -]", "", text)):
        return None
    # the separators of a grouped ID stay, so the masked form reads like the written one
    return re.sub(r"\d", MASK, text[:-4]) + text[-4:]


def _mask_card(text: str) -> str | None:
    digits = _digits(text)
    if not luhn_valid(digits):
        return None
    return f"{MASK * 4} {MASK * 4} {MASK * 4} {digits[-4:]}"


def _mask_mobile(text: str) -> str:
    digits = _digits(text)[-11:]
    return f"{digits[:3]}{MASK * 4}{digits[-4:]}"


def _mask_landline(text: str) -> str:
    found = re.match(r"(\D*\d+\D+)(\d+)", text)
    assert found is not None, "only called on text its rule's pattern matched"
    area, number = found.groups()
    return f"{area}{_keep_last(number, 4)}"


def _mask_email(text: str) -> str:
    local, domain = text.split("@", 1)
    return f"{local[0]}{MASK * 3}@{domain}"


def _mask_ssn(text: str) -> str:
    return f"{MASK * 3}-{MASK * 2}-{text[-4:]}"


def _mask_us_phone(text: str) -> str:
    return f"({MASK * 3}) {MASK * 3}-{_digits(text)[-4:]}"


def _apply(rule: Rule, match: re.Match[str]) -> str:
    """A match of ``rule`` masked, or as it was when it fails the rule's check."""
    return rule.mask(match.group(0)) or match.group(0)


#: In order: the long, checked digit runs first, so a phone rule never bites into an ID or a
#: card. A run of digits is taken whole (a rule never matches inside a longer run), so an order
#: number holding eleven digits that start with 13 stays as it is.
RULES: tuple[Rule, ...] = (
    Rule("email", r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+", _mask_email, "", ""),
    # 18 characters in one run, or in groups 6-8-4 as forms print them ("110105 19491231 002X")
    Rule("resident_id", r"\d{6}[ -]?\d{8}[ -]?\d{3}[0-9Xx]", _mask_resident_id),
    # 16-19 digits in one run, or in groups of four ("6222 0212 3456 7890 123", "4111-1111-…")
    Rule("bank_card", r"\d{16,19}|\d{4}(?:[ -]\d{4}){3}(?:[ -]\d{1,3})?", _mask_card),
    Rule("us_ssn", r"\d{3}-\d{2}-\d{4}", _mask_ssn),
    # 13x-19x and 8 more digits, in one run or 3-4-4, with or without +86 / 86 (not after a
    # "+", which would make it another country's number)
    Rule(
        "cn_mobile",
        r"(?:\+?86[ -]?)?1[3-9]\d[ -]?\d{4}[ -]?\d{4}",
        _mask_mobile,
        before=r"(?<![\d+])",
    ),
    # an area code 0xx / 0xxx, then 7 or 8 digits: 010-87654321, (0755) 1234567
    Rule("cn_landline", r"(?:0\d{2,3}-|\(0\d{2,3}\) ?)\d{7,8}", _mask_landline),
    # (415) 555-0134, 415-555-0134, 415.555.0134, +1 415 555 0134, +14155550134; three bare
    # groups split by spaces are not taken (amounts in a row: "100 200 3000")
    Rule(
        "us_phone",
        r"\+1[ .-]?(?:\(\d{3}\) ?|\d{3}[ .-]?)\d{3}[ .-]?\d{4}"
        r"|\(\d{3}\) ?\d{3}[ .-]\d{4}|\d{3}-\d{3}-\d{4}|\d{3}\.\d{3}\.\d{4}",
        _mask_us_phone,
        before=r"(?<![\d+])",
    ),
)


def mask_text(text: str | None) -> str | None:
    """``text`` with every borrower identifier the rules know masked (None stays None)."""
    if text is None:
        return None
    # again until nothing changes: a masked run can free digits beside it to form another
    # identifier ("138****5678 1234 …"); every pass that changes something masks digits
    for _ in range(MAX_PASSES):
        before = text
        for rule in RULES:
            text = rule.pattern.sub(partial(_apply, rule), text)
        if text == before:
            break
    return text


#: a note some rule may match: any rule's shape, without what may not stand beside it (a plain
#: regex Polars runs vectorised, so the notes without it, nearly all, never reach Python)
CANDIDATE = "|".join(f"(?:{rule.shape})" for rule in RULES)


def mask_series(notes: pl.Series) -> pl.Series:
    """:func:`mask_text` over a column of notes: the candidates (:data:`CANDIDATE`) are found
    in one vectorised pass, each distinct candidate is masked once in Python, and the masked
    texts are put back by a vectorised replace."""
    candidates = notes.filter(notes.str.contains(CANDIDATE)).unique()
    if candidates.is_empty():
        return notes
    return notes.replace(candidates, [mask_text(note) for note in candidates])


def masked(column: str) -> pl.Expr:
    """A Polars expression: ``column`` with every borrower identifier masked
    (:func:`mask_series`)."""
    return pl.col(column).map_batches(mask_series, return_dtype=pl.String)
