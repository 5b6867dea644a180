"""How pages write dates: one format for days, one for months, in the site's language (Babel, CLDR data).

Every date a reader sees goes through one ``DateFormat``, so a page never mixes
``2025-04-28`` with "28 April 2025"; machines get ISO dates in ``<time datetime>``.
"""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo
from dataclasses import dataclass

import babel
from babel.dates import format_date, format_skeleton, get_month_names, get_timezone_name

NAMED_FORMATS = ("short", "medium", "long", "full")


class DateFormatError(ValueError):
    """A language Babel does not know, or a date pattern it cannot use."""


def babel_locale(language: str) -> babel.Locale:
    """The CLDR locale of a language code as MkDocs writes it (``en``, ``ko``, ``pt-BR``)."""
    try:
        return babel.Locale.parse(language.replace("-", "_"))
    except (ValueError, babel.UnknownLocaleError) as error:
        raise DateFormatError(f"language '{language}' is not one Babel knows: {error}") from None


def is_date_pattern(pattern: str) -> bool:
    """Whether Babel can write a day with ``pattern`` (a named format or a CLDR pattern), in any language."""
    try:
        format_date(dt.date(2000, 1, 31), pattern, locale=babel.Locale("en"))
    except (ValueError, KeyError, AttributeError):
        return False
    return True


@dataclass(frozen=True)
class DateFormat:
    """``pattern`` is one of Babel's named formats (short, medium, long, full) or a CLDR
    pattern such as ``d MMMM y``; months are written as the locale writes a month and year."""

    language: str = "en"
    pattern: str = "long"

    def __post_init__(self) -> None:
        locale = babel_locale(self.language)
        try:
            format_date(dt.date(2000, 1, 31), self.pattern, locale=locale)
        except (ValueError, KeyError, AttributeError) as error:
            raise DateFormatError(f"date_format '{self.pattern}' is not a date pattern Babel can use: {error}") from None

    @functools.cached_property
    def locale(self) -> babel.Locale:
        return babel_locale(self.language)

    def day(self, date: dt.date) -> str:
        """A release's date as readers see it: ``28 April 2025``, ``April 28, 2025``, ``2025년 4월 28일``."""
        return _day(date, self.pattern, self.locale)

    def month(self, year: int, month: int) -> str:
        """A month as readers see it: ``April 2025``, ``2025년 4월``."""
        return _month(year, month, self.locale)

    def month_abbreviation(self, month: int) -> str:
        """A month's short name for a chart's axis: ``Apr``, ``4월``."""
        return get_month_names("abbreviated", locale=self.locale)[month]


@functools.lru_cache(maxsize=65536)
def _day(date: dt.date, pattern: str, locale: babel.Locale) -> str:
    return format_date(date, pattern, locale=locale)


@functools.lru_cache(maxsize=65536)
def _month(year: int, month: int, locale: babel.Locale) -> str:
    return format_skeleton("yMMMM", dt.date(year, month, 1), locale=locale)


def utc_offset(zone: zoneinfo.ZoneInfo, on: dt.date) -> str:
    """``UTC+09:00``: the zone's offset in force at midnight of a given day."""
    offset = dt.datetime.combine(on, dt.time(0), tzinfo=zone).strftime("%z")
    return f"UTC{offset[:3]}:{offset[3:]}"


def zone_statement(zone: zoneinfo.ZoneInfo, on: dt.date) -> str:
    """``Asia/Seoul (UTC+09:00)``, at the offset in force on a given day."""
    return f"{zone.key} ({utc_offset(zone, on)})"


def zone_in_words(zone: zoneinfo.ZoneInfo, on: dt.date, locale: babel.Locale) -> str:
    """``Korean Time (UTC+09:00)``: the zone as readers name it (CLDR), at the offset in force on a given day."""
    utc = utc_offset(zone, on)
    if zone.key in ("UTC", "Etc/UTC", "Etc/Universal", "Etc/Zulu", "UCT", "Universal", "Zulu"):
        return utc
    return f"{get_timezone_name(zone.key, locale=locale)} ({utc})"
