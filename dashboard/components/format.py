"""Numbers as a reader expects them in each language: money in the site currency with thousands
separators, rates as percentages with one decimal, changes of rates in percentage points, and
"–" where there is no value."""

from __future__ import annotations

import math
from typing import Any

from dashboard.i18n import current_language, translate

NO_DATA = "–"
CURRENCY_SYMBOLS: dict[str, str] = {"CNY": "¥", "USD": "$", "EUR": "€", "HKD": "HK$"}


def is_missing(value: Any) -> bool:
    """None and NaN both mean "no value" (a ratio over an empty denominator)."""
    return value is None or (isinstance(value, float) and math.isnan(value))


def _lang(lang: str | None) -> str:
    return lang or current_language()


def fmt_int(value: Any) -> str:
    return NO_DATA if is_missing(value) else f"{round(value):,}"


def fmt_number(value: Any, decimals: int = 1) -> str:
    return NO_DATA if is_missing(value) else f"{value:,.{decimals}f}"


def fmt_money(value: Any, currency: str, decimals: int = 0) -> str:
    """``¥1,234,567`` (the symbol where one is known, else the ISO code before the amount)."""
    if is_missing(value):
        return NO_DATA
    symbol = CURRENCY_SYMBOLS.get(currency, f"{currency} ")
    sign = "-" if value < 0 else ""
    return f"{sign}{symbol}{abs(float(value)):,.{decimals}f}"


def fmt_pct(value: Any, decimals: int = 1) -> str:
    """A fraction 0–1 as a percentage: 0.1234 → ``12.3%``."""
    return NO_DATA if is_missing(value) else f"{float(value) * 100:.{decimals}f}%"


def fmt_pp(value: Any, lang: str | None = None, signed: bool = True) -> str:
    """A change of a rate (fraction) in percentage points: 0.042 → ``+4.2 pp`` / ``+4.2个百分点``."""
    if is_missing(value):
        return NO_DATA
    number = f"{float(value) * 100:+.1f}" if signed else f"{float(value) * 100:.1f}"
    return translate("unit_pp", _lang(lang), value=number)


def fmt_signed(value: Any, decimals: int = 0) -> str:
    return NO_DATA if is_missing(value) else f"{float(value):+,.{decimals}f}"


def fmt_week(iso_week: str, lang: str | None = None) -> str:
    """``2026-W10`` → ``2026-W10`` / ``2026年第10周``."""
    year, week = iso_week.split("-W")
    return translate("unit_week", _lang(lang), year=year, week=int(week))
