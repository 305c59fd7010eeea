"""Borrower identifiers in free text, masked: the one place the masking rules live.

Agents type phone numbers, ID numbers and card numbers into call and visit notes. A compliance
officer needs the note to judge a flag, not the identifiers in it, so every note a page or an
export shows passes through :func:`mask_text` (the compliance role may reveal one record's clear
note, stating a reason, and that is audited by the page).

Each rule keeps a hint for recognising the value again (a phone's first three and last four
digits, the last four of an ID or a card, an e-mail's first letter and domain). A digit run is
masked as an ID or a card only when its check digit is right (ISO 7064 MOD 11-2, Luhn), so an
order number or an amount stays readable. Regular expressions with a check in Python: it runs
over the few hundred notes a drill-down shows, never over a whole table, and needs no model.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

MASK = "*"


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


@dataclass(frozen=True)
class Rule:
    name: str
    pattern: re.Pattern[str]
    #: the masked form of a match, or None to leave a match that fails its check as it is
    mask: Callable[[str], str | None]


def _keep_last(text: str, keep: int) -> str:
    return MASK * (len(text) - keep) + text[-keep:]


def _mask_resident_id(text: str) -> str | None:
    return _keep_last(text, 4) if resident_id_valid(text) else None


def _mask_card(text: str) -> str | None:
    digits = _digits(text)
    if not luhn_valid(digits):
        return None
    return f"{MASK * 4} {MASK * 4} {MASK * 4} {digits[-4:]}"


def _mask_mobile(text: str) -> str:
    digits = _digits(text)[-11:]
    return f"{digits[:3]}{MASK * 4}{digits[-4:]}"


def _mask_landline(text: str) -> str:
    area, number = text.split("-", 1)
    return f"{area}-{_keep_last(number, 4)}"


def _mask_email(text: str) -> str:
    local, domain = text.split("@", 1)
    return f"{local[0]}{MASK * 3}@{domain}"


def _mask_ssn(text: str) -> str:
    return f"{MASK * 3}-{MASK * 2}-{text[-4:]}"


def _mask_us_phone(text: str) -> str:
    return f"({MASK * 3}) {MASK * 3}-{_digits(text)[-4:]}"


#: in order: the long, checked digit runs first, so a phone rule never bites into an ID or card
RULES: tuple[Rule, ...] = (
    Rule("email", re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"), _mask_email),
    Rule(
        "resident_id",
        re.compile(r"(?<![0-9A-Za-z])\d{17}[0-9Xx](?![0-9A-Za-z])"),
        _mask_resident_id,
    ),
    # a card is written as one run of digits or in groups of four ("6222 0212 3456 7890 123")
    Rule(
        "bank_card",
        re.compile(r"(?<![\d-])(?:\d{16,19}|\d{4}(?:[ -]\d{4}){3}(?:[ -]\d{1,3})?)(?![\d-])"),
        _mask_card,
    ),
    Rule("us_ssn", re.compile(r"(?<![\d-])\d{3}-\d{2}-\d{4}(?![\d-])"), _mask_ssn),
    Rule(
        "cn_mobile",
        re.compile(r"(?<![\d+])(?:\+?86[ -]?)?1[3-9]\d[ -]?\d{4}[ -]?\d{4}(?!\d)"),
        _mask_mobile,
    ),
    Rule("cn_landline", re.compile(r"(?<![\d-])0\d{2,3}-\d{7,8}(?![\d-])"), _mask_landline),
    Rule(
        "us_phone",
        re.compile(r"(?<![\d+])(?:\+1[ -]?)?(?:\(\d{3}\) ?|\d{3}[ .-])\d{3}[ .-]\d{4}(?!\d)"),
        _mask_us_phone,
    ),
)


def mask_text(text: str | None) -> str | None:
    """``text`` with every borrower identifier the rules know masked (None stays None)."""
    if text is None:
        return None
    for rule in RULES:
        text = rule.pattern.sub(lambda m, rule=rule: rule.mask(m.group(0)) or m.group(0), text)
    return text


def masked(column: str) -> pl.Expr:
    """A Polars expression: ``column`` with :func:`mask_text` applied (for the records a page
    shows; see the module's note on cost)."""
    return pl.col(column).map_elements(mask_text, return_dtype=pl.String)
