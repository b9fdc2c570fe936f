"""Tests for Swedish number words and amounts in words (Svenska skrivregler)."""

from decimal import Decimal

import pytest

from tjanste.values.words import amount_words, number_words

FORTIES = [
    (40, "fyrtio"),
    (41, "fyrtioett"),
    (42, "fyrtiotvå"),
    (43, "fyrtiotre"),
    (44, "fyrtiofyra"),
    (45, "fyrtiofem"),
    (46, "fyrtiosex"),
    (47, "fyrtiosju"),
    (48, "fyrtioåtta"),
    (49, "fyrtionio"),
]

INTEGERS = [
    (0, "noll"),
    (1, "ett"),
    (2, "två"),
    (10, "tio"),
    (11, "elva"),
    (12, "tolv"),
    (13, "tretton"),
    (18, "arton"),
    (19, "nitton"),
    (20, "tjugo"),
    (21, "tjugoett"),
    (30, "trettio"),
    (50, "femtio"),
    (60, "sextio"),
    (70, "sjuttio"),
    (80, "åttio"),
    (90, "nittio"),
    (99, "nittionio"),
    *FORTIES,
    (100, "etthundra"),
    (101, "etthundraett"),
    (200, "tvåhundra"),
    (410, "fyrahundratio"),
    (999, "niohundranittionio"),
    (1_000, "ettusen"),
    (1_001, "ettusenett"),
    (1_035, "ettusentrettiofem"),
    (2_000, "tvåtusen"),
    (21_000, "tjugoettusen"),
    (101_000, "etthundraettusen"),
    (410_035, "fyrahundratiotusentrettiofem"),
    (410_100, "fyrahundratiotusenetthundra"),
    (900_000, "niohundratusen"),
    (999_999, "niohundranittioniotusenniohundranittionio"),
    (1_000_000, "en miljon"),
    (1_000_001, "en miljon ett"),
    (1_001_000, "en miljon ettusen"),
    (1_021_000, "en miljon tjugoett tusen"),
    (2_000_000, "två miljoner"),
    (15_100_000, "femton miljoner etthundra tusen"),
    (20_000_000, "tjugo miljoner"),
    (64_410_035, "sextiofyra miljoner fyrahundratio tusen trettiofem"),
    (1_000_000_000, "en miljard"),
    (1_001_001_001, "en miljard en miljon ettusen ett"),
    (2_422_000_000, "två miljarder fyrahundratjugotvå miljoner"),
    (999_999_999_999, "niohundranittionio miljarder niohundranittionio miljoner niohundranittionio tusen niohundranittionio"),
]


@pytest.mark.parametrize(("n", "expected"), INTEGERS, ids=[str(n) for n, _ in INTEGERS])
def test_integers(n: int, expected: str) -> None:
    assert number_words(n) == expected


@pytest.mark.parametrize(("n", "expected"), INTEGERS, ids=[str(n) for n, _ in INTEGERS])
def test_integral_decimal_same_as_int(n: int, expected: str) -> None:
    assert number_words(Decimal(n)) == expected


@pytest.mark.parametrize("n", [40, 41, 49, 1000, 64_410_035])
def test_never_num2words_mistakes(n: int) -> None:
    text = number_words(n)
    assert "förtio" not in text
    assert "etttusen" not in text
    assert "miljonett" not in text


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (-1, "minus ett"),
        (-40, "minus fyrtio"),
        (-64_410_035, "minus sextiofyra miljoner fyrahundratio tusen trettiofem"),
        (Decimal("-0.5"), "minus noll komma fem"),
        (Decimal("-0"), "noll"),
    ],
    ids=str,
)
def test_negatives(n: int | Decimal, expected: str) -> None:
    assert number_words(n) == expected


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        ("0.25", "noll komma tjugofem"),
        ("15.1", "femton komma ett"),
        ("0.05", "noll komma noll fem"),
        ("2.50", "två komma fem"),
        ("2.00", "två"),
        ("1.5", "ett komma fem"),
        ("0.001", "noll komma noll noll ett"),
        ("1E+6", "en miljon"),
        ("40.41", "fyrtio komma fyrtioett"),
    ],
    ids=str,
)
def test_decimals(n: str, expected: str) -> None:
    assert number_words(Decimal(n)) == expected


@pytest.mark.parametrize(
    ("n", "gender", "expected"),
    [
        (1, "utrum", "en"),
        (1, "neutrum", "ett"),
        (Decimal("1.00"), "utrum", "en"),
        (-1, "utrum", "minus en"),
        (2, "utrum", "två"),
        (21, "utrum", "tjugoett"),
    ],
    ids=str,
)
def test_gender(n: int | Decimal, gender: str, expected: str) -> None:
    assert number_words(n, gender=gender) == expected


@pytest.mark.parametrize("n", [10**12, -(10**12), Decimal("1E+12"), Decimal("1000000000000.5")], ids=str)
def test_above_range(n: int | Decimal) -> None:
    with pytest.raises(ValueError, match="för stort"):
        number_words(n)


@pytest.mark.parametrize("n", [Decimal("NaN"), Decimal("Infinity")], ids=str)
def test_not_finite(n: Decimal) -> None:
    with pytest.raises(ValueError):
        number_words(n)


@pytest.mark.parametrize("n", [0.25, "12", True, None], ids=repr)
def test_wrong_type(n: object) -> None:
    with pytest.raises(TypeError):
        number_words(n)  # type: ignore[arg-type]


def test_unknown_gender() -> None:
    with pytest.raises(ValueError, match="genus"):
        number_words(1, gender="maskulinum")


AMOUNTS = [
    ("1", "en krona"),
    ("2", "två kronor"),
    ("0", "noll kronor"),
    ("9.30", "nio kronor och trettio öre"),
    ("9.3", "nio kronor och trettio öre"),
    ("0.50", "femtio öre"),
    ("0.01", "ett öre"),
    ("1.01", "en krona och ett öre"),
    ("21", "tjugoett kronor"),
    ("1000", "ettusen kronor"),
    ("900000", "niohundratusen kronor"),
    ("20000000", "tjugo miljoner kronor"),
    ("2E+7", "tjugo miljoner kronor"),
    ("15100000", "femton miljoner etthundra tusen kronor"),
    ("64410035", "sextiofyra miljoner fyrahundratio tusen trettiofem kronor"),
    ("1000000", "en miljon kronor"),
    ("-3.20", "minus tre kronor och tjugo öre"),
    ("-1", "minus en krona"),
]


@pytest.mark.parametrize(("kronor", "expected"), AMOUNTS, ids=[k for k, _ in AMOUNTS])
def test_amount_words(kronor: str, expected: str) -> None:
    assert amount_words(Decimal(kronor)) == expected


@pytest.mark.parametrize("kronor", ["0.001", "9.305", "1.999"])
def test_amount_words_rejects_fractions_of_ore(kronor: str) -> None:
    with pytest.raises(ValueError, match="öre"):
        amount_words(Decimal(kronor))


def test_amount_words_above_range() -> None:
    with pytest.raises(ValueError):
        amount_words(Decimal(10**12))
