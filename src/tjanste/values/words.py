"""Swedish number words and amounts in words, by Svenska skrivregler.

Why not num2words: num2words 0.5.14 with lang="sv" gets several rules wrong.
`num2words(x, lang="sv") for x in (40, 1000, 1000001, 410035, 64410035)` printed
['förtio', 'etttusen', 'en miljonett', 'fyrahundratiotusentrettiofem',
'sextiofyra miljoner fyrahundratiotusentrettiofem'], and num2words(0.25, lang="sv")
printed 'noll komma två fem' (decimals digit by digit, from a float).

The rules implemented here:

- Below one million a number is one word: 1 000 "ettusen" (ett + tusen drops
  one t, as does tjugoett + tusen = "tjugoettusen"), 410 100
  "fyrahundratiotusenetthundra", 900 000 "niohundratusen".
- From one million up, "miljon(er)" and "miljard(er)" are separate words with
  "en" before the singular ("en miljon", "en miljard"). The thousands group g
  (1..999) that follows them is written words(g) + " tusen" as two words, except
  g == 1, which is "ettusen"; the rest below a thousand is a word of its own:
  1 000 001 "en miljon ett", 1 001 000 "en miljon ettusen", 64 410 035
  "sextiofyra miljoner fyrahundratio tusen trettiofem".
- A Decimal with a fractional part is read as integer part, "komma", and the
  decimals read as a number, each leading zero as "noll": 0,25 "noll komma
  tjugofem", 0,05 "noll komma noll fem"; trailing zeros are dropped (2,50 is
  "två komma fem").
- Gender ("neutrum" or "utrum") only changes the number one itself: "ett" or
  "en" (en krona). Larger numbers ending in one keep "ett" (tjugoett kronor),
  which Språkrådet accepts.
- Negative numbers get the prefix "minus ". The largest number is
  999 999 999 999; above it ValueError is raised.
"""

from __future__ import annotations

from decimal import Decimal

LIMIT = 999_999_999_999

_ONES = (
    "noll",
    "ett",
    "två",
    "tre",
    "fyra",
    "fem",
    "sex",
    "sju",
    "åtta",
    "nio",
    "tio",
    "elva",
    "tolv",
    "tretton",
    "fjorton",
    "femton",
    "sexton",
    "sjutton",
    "arton",
    "nitton",
)
_TENS = {
    2: "tjugo",
    3: "trettio",
    4: "fyrtio",
    5: "femtio",
    6: "sextio",
    7: "sjuttio",
    8: "åttio",
    9: "nittio",
}
_GENDERS = ("neutrum", "utrum")


def number_words(n: int | Decimal, *, gender: str = "neutrum") -> str:
    """Spell an integer or a Decimal in Swedish words (see the module docstring)."""
    if gender not in _GENDERS:
        raise ValueError(f"okänt genus {gender!r}; välj neutrum eller utrum")
    negative, whole, fraction = _split(n)
    if whole > LIMIT:
        raise ValueError(f"{_plain(n)} är för stort för att skrivas med ord (högst 999 999 999 999)")
    if whole == 1 and not fraction:
        text = "en" if gender == "utrum" else "ett"
    else:
        text = _integer_words(whole)
    if fraction:
        significant = fraction.lstrip("0")
        if int(significant) > LIMIT:
            raise ValueError(f"{_plain(n)} har för många decimaler för att skrivas med ord")
        zeros = ["noll"] * (len(fraction) - len(significant))
        text = " ".join([text, "komma", *zeros, _integer_words(int(significant))])
    return f"minus {text}" if negative else text


def amount_words(kronor: int | Decimal) -> str:
    """An amount of money in words: 'en krona', 'nio kronor och trettio öre', 'femtio öre'."""
    negative, whole, fraction = _split(kronor)
    if len(fraction) > 2:
        raise ValueError(f"{_plain(kronor)} kr går inte att skriva med ord: beloppet har bråkdelar av öre")
    ore = int(fraction.ljust(2, "0")) if fraction else 0
    parts = []
    if whole or not ore:
        parts.append("en krona" if whole == 1 else f"{number_words(whole)} kronor")
    if ore:
        parts.append(f"{number_words(ore)} öre")
    text = " och ".join(parts)
    return f"minus {text}" if negative else text


def _split(n: int | Decimal) -> tuple[bool, int, str]:
    """Sign, integer part and the decimals without trailing zeros, computed exactly."""
    if isinstance(n, bool) or not isinstance(n, (int, Decimal)):
        raise TypeError(f"expected int or Decimal, got {type(n).__name__}")
    if isinstance(n, Decimal) and not n.is_finite():
        raise ValueError(f"{n} är inget tal som kan skrivas med ord")
    whole, _, fraction = format(n.copy_abs() if isinstance(n, Decimal) else abs(n), "f").partition(
        "."
    )  # copy_abs: abs() rounds to the context
    return n < 0, int(whole), fraction.rstrip("0")


def _plain(n: int | Decimal) -> str:
    return format(n, "f") if isinstance(n, Decimal) else str(n)


def _integer_words(n: int) -> str:
    if n == 0:
        return "noll"
    if n < 1_000_000:
        return _below_million(n)
    milliards, rest = divmod(n, 1_000_000_000)
    millions, rest = divmod(rest, 1_000_000)
    thousands, rest = divmod(rest, 1000)
    words = []
    if milliards:
        words.append(_count(milliards, "miljard", "miljarder"))
    if millions:
        words.append(_count(millions, "miljon", "miljoner"))
    if thousands:
        words.append("ettusen" if thousands == 1 else f"{_below_thousand(thousands)} tusen")
    if rest:
        words.append(_below_thousand(rest))
    return " ".join(words)


def _count(n: int, singular: str, plural: str) -> str:
    return f"en {singular}" if n == 1 else f"{_below_thousand(n)} {plural}"


def _below_million(n: int) -> str:
    thousands, rest = divmod(n, 1000)
    head = ""
    if thousands:
        word = _below_thousand(thousands)
        head = (word[:-1] if word.endswith("tt") else word) + "tusen"
    return head + (_below_thousand(rest) if rest else "")


def _below_thousand(n: int) -> str:
    hundreds, rest = divmod(n, 100)
    head = f"{_ONES[hundreds]}hundra" if hundreds else ""
    return head + (_below_hundred(rest) if rest else "")


def _below_hundred(n: int) -> str:
    if n < 20:
        return _ONES[n]
    tens, ones = divmod(n, 10)
    return _TENS[tens] + (_ONES[ones] if ones else "")
