"""Tests for Amount: strict parsing, display formatting and exact arithmetic."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tjanste.values.amount import UNITS, Amount, AmountError, NotExact, exact_sum

NBSP = "\u00a0"
MINUS = "\u2212"

ACCEPTED = [
    ("2 mnkr", "2000000", "mnkr", "kr"),
    ("0,9 mnkr", "900000", "mnkr", "kr"),
    ("15,1 mnkr", "15100000", "mnkr", "kr"),
    ("24 000 000 kr", "24000000", "kr", "kr"),
    ("24000000 kr", "24000000", "kr", "kr"),
    ("24000000kr", "24000000", "kr", "kr"),
    ("9,3 tkr", "9300", "tkr", "kr"),
    ("1 263 169", "1263169", "kr", "kr"),
    ("−3,2 mnkr", "-3200000", "mnkr", "kr"),
    ("-3,2 mnkr", "-3200000", "mnkr", "kr"),
    ("24\u00a0000\u00a0000\u00a0kr", "24000000", "kr", "kr"),
    ("24\u202f000\u202f000 kr", "24000000", "kr", "kr"),
    ("6,3", "6300000", "mnkr", "mnkr"),
    ("6,3 tkr", "6300", "tkr", "mnkr"),
    ("2 mkr", "2000000", "mnkr", "kr"),
    ("2 mdkr", "2000000000", "mdkr", "kr"),
    ("1,25 mdkr", "1250000000", "mdkr", "kr"),
    ("150 kronor", "150", "kr", "kr"),
    ("9,30 kr", "9.30", "kr", "kr"),
    ("  2 mnkr  ", "2000000", "mnkr", "kr"),
    ("0", "0", "kr", "kr"),
    ("1 000", "1000", "kr", "kr"),
    ("999", "999", "kr", "kr"),
]


@pytest.mark.parametrize(("text", "kronor", "unit", "default_unit"), ACCEPTED, ids=[a[0] for a in ACCEPTED])
def test_parse_accepts(text: str, kronor: str, unit: str, default_unit: str) -> None:
    amount = Amount.parse(text, default_unit=default_unit)
    assert amount.kronor == Decimal(kronor)
    assert amount.unit == unit


REJECTED = [
    "15.1,2 mnkr",
    "tjugo",
    "20 Mkr",
    "1e6",
    "1.5 mnkr",
    "1 26 3",
    "",
    "   ",
    "MSEK 2",
    "2 MSEK",
    "kkr",
    "2 kkr",
    "2 SEK",
    "2 mnkr mnkr",
    "1 2345",
    "12 34",
    "2,",
    ",5",
    "+2",
    "- 2",
    "2 000,5,5",
    "2 kr.",
    "24 000 000 kr totalt",
    "١٢٣",
]


@pytest.mark.parametrize("text", REJECTED, ids=repr)
def test_parse_rejects(text: str) -> None:
    with pytest.raises(AmountError) as caught:
        Amount.parse(text)
    message = str(caught.value)
    assert message.startswith(f"'{text}' är inget belopp")
    assert "decimalkomma" in message
    assert "mnkr" in message


def test_error_message_exact() -> None:
    with pytest.raises(AmountError) as caught:
        Amount.parse("15.1,2 mnkr")
    assert str(caught.value) == (
        "'15.1,2 mnkr' är inget belopp; skriv t.ex. 24 000 000 kr, 15,1 mnkr, 0,9 mnkr eller 9,3 tkr "
        "(decimalkomma, enhet kr, tkr, mnkr, mkr eller mdkr)"
    )


def test_amount_error_is_value_error() -> None:
    with pytest.raises(ValueError):
        Amount.parse("1.5 mnkr")


def test_parse_rejects_unknown_default_unit() -> None:
    with pytest.raises(ValueError, match="okänd enhet"):
        Amount.parse("2", default_unit="MSEK")


def m(text: str) -> Amount:
    return Amount.parse(text)


FORMATS = [
    ("2 mnkr", {}, f"2{NBSP}mnkr"),
    ("20 mnkr", {}, f"20{NBSP}mnkr"),
    ("15 100 000 kr", {}, f"15{NBSP}100{NBSP}000{NBSP}kr"),
    ("0,9 mnkr", {}, f"0,9{NBSP}mnkr"),
    ("−3,2 mnkr", {}, f"{MINUS}3,2{NBSP}mnkr"),
    ("-3,2 mnkr", {}, f"{MINUS}3,2{NBSP}mnkr"),
    ("64410035", {}, f"64{NBSP}410{NBSP}035{NBSP}kr"),
    ("1000", {}, f"1{NBSP}000{NBSP}kr"),
    ("999", {}, f"999{NBSP}kr"),
    ("9,3 tkr", {}, f"9,3{NBSP}tkr"),
    ("2 mkr", {}, f"2{NBSP}mnkr"),
    ("2 mnkr", {"unit_words": {"mnkr": "mkr"}}, f"2{NBSP}mkr"),
    ("15,1 mnkr", {"unit": "kr"}, f"15{NBSP}100{NBSP}000{NBSP}kr"),
    ("15,1 mnkr", {"unit": "tkr"}, f"15{NBSP}100{NBSP}tkr"),
    ("15,1 mnkr", {"unit": "mdkr"}, f"0,0151{NBSP}mdkr"),
    ("24 000 000 kr", {"unit": "mnkr"}, f"24{NBSP}mnkr"),
    ("24 000 000 kr", {"unit": "mkr"}, f"24{NBSP}mnkr"),
    ("0,05 mnkr", {"decimals": 1}, f"0,1{NBSP}mnkr"),
    ("0,15 mnkr", {"decimals": 1}, f"0,2{NBSP}mnkr"),
    ("0,25 mnkr", {"decimals": 1}, f"0,3{NBSP}mnkr"),
    ("-0,05 mnkr", {"decimals": 1}, f"{MINUS}0,1{NBSP}mnkr"),
    ("-0,04 mnkr", {"decimals": 1}, f"0,0{NBSP}mnkr"),
    ("2 mnkr", {"decimals": 2}, f"2,00{NBSP}mnkr"),
    ("1 263 169", {"unit": "mnkr", "decimals": 1}, f"1,3{NBSP}mnkr"),
    ("1 263 169", {"unit": "mnkr"}, f"1,263169{NBSP}mnkr"),
    ("2,50 mnkr", {}, f"2,5{NBSP}mnkr"),
    ("2 mnkr", {"show_unit": False}, "2"),
    ("−1 234,5 tkr", {"show_unit": False}, f"{MINUS}1{NBSP}234,5"),
    ("0", {}, f"0{NBSP}kr"),
    ("-0", {}, f"0{NBSP}kr"),
]


@pytest.mark.parametrize(("text", "kwargs", "expected"), FORMATS, ids=[f"{t}-{k}" for t, k, _ in FORMATS])
def test_format(text: str, kwargs: dict, expected: str) -> None:
    assert m(text).format(**kwargs) == expected


@pytest.mark.parametrize(
    ("kronor", "expected"),
    [
        (Decimal("1E+6"), f"1{NBSP}000{NBSP}000{NBSP}kr"),
        (Decimal("1.51E+7"), f"15{NBSP}100{NBSP}000{NBSP}kr"),
        (Decimal("1E-2"), f"0,01{NBSP}kr"),
        (Decimal("1000000.000"), f"1{NBSP}000{NBSP}000{NBSP}kr"),
        (5, f"5{NBSP}kr"),
    ],
    ids=str,
)
def test_format_never_exponent(kronor: Decimal, expected: str) -> None:
    assert Amount(kronor).format() == expected
    assert "E" not in Amount(kronor).format(unit="mdkr")


def test_str_is_format() -> None:
    assert str(m("15,1 mnkr")) == f"15,1{NBSP}mnkr"


def test_format_rejects_unknown_unit() -> None:
    with pytest.raises(ValueError, match="okänd enhet"):
        m("2 mnkr").format("MSEK")


def test_constructor_canonicalises_and_rejects_float() -> None:
    assert Amount(Decimal(2_000_000), "mkr").unit == "mnkr"
    assert Amount(Decimal(150), "kronor").unit == "kr"
    with pytest.raises(TypeError):
        Amount(2.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        Amount(Decimal("NaN"))


LONG = [
    ("20 mnkr", {}, f"20{NBSP}miljoner kronor"),
    ("15,1 mnkr", {}, f"15,1{NBSP}miljoner kronor"),
    ("24 000 000 kr", {}, f"24{NBSP}000{NBSP}000{NBSP}kronor"),
    ("9,3 tkr", {}, f"9,3{NBSP}tusen kronor"),
    ("1 mnkr", {}, f"1{NBSP}miljon kronor"),
    ("1 kr", {}, f"1{NBSP}krona"),
    ("2 mdkr", {}, f"2{NBSP}miljarder kronor"),
    ("1 mdkr", {}, f"1{NBSP}miljard kronor"),
    ("24 000 000 kr", {"unit": "mnkr"}, f"24{NBSP}miljoner kronor"),
    ("1 263 169", {"unit": "mnkr", "decimals": 1}, f"1,3{NBSP}miljoner kronor"),
    ("−3,2 mnkr", {}, f"{MINUS}3,2{NBSP}miljoner kronor"),
]


@pytest.mark.parametrize(("text", "kwargs", "expected"), LONG, ids=[f"{t}-{k}" for t, k, _ in LONG])
def test_long(text: str, kwargs: dict, expected: str) -> None:
    assert m(text).long(**kwargs) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("20 mnkr", "tjugo miljoner kronor"),
        ("15,1 mnkr", "femton miljoner etthundra tusen kronor"),
        ("9,30 kr", "nio kronor och trettio öre"),
        ("1 kr", "en krona"),
    ],
)
def test_words(text: str, expected: str) -> None:
    assert m(text).words() == expected


def test_seed_000_sum_is_exact() -> None:
    parts = [m("2 mnkr"), m("0,9 mnkr"), m("2 mnkr"), m("15,1 mnkr")]
    total = sum(parts)
    assert total == m("20 mnkr")
    assert total.kronor == Decimal(20_000_000)
    assert total.unit == "mnkr"
    assert total.format() == f"20{NBSP}mnkr"


def test_tenths_add_exactly() -> None:
    assert m("0,1 kr") + m("0,2 kr") == m("0,3 kr")
    assert (m("0,1 kr") + m("0,2 kr")).kronor == Decimal("0.3")


def test_arithmetic() -> None:
    a, b = m("2 mnkr"), m("500 tkr")
    assert (a + b).kronor == Decimal(2_500_000)
    assert (a + b).unit == "mnkr"
    assert (b + a).unit == "tkr"
    assert (a - b).kronor == Decimal(1_500_000)
    assert (-a).kronor == Decimal(-2_000_000)
    assert (-a).format() == f"{MINUS}2{NBSP}mnkr"
    assert abs(-a) == a
    assert +a is a
    assert (a * 3).kronor == Decimal(6_000_000)
    assert (3 * a) == a * 3
    assert (a * Decimal("0.5")) == m("1 mnkr")
    assert (a / 4) == m("500 tkr")
    assert (a / Decimal("0.5")) == m("4 mnkr")
    assert sum([], Amount(Decimal(0))) == Amount(Decimal(0))
    assert a + 0 is a


@pytest.mark.parametrize(
    "operation",
    [
        lambda a: a + 1,
        lambda a: a + Decimal(1),
        lambda a: a - 0,
        lambda a: a * 1.5,
        lambda a: a / 2.0,
        lambda a: a * a,
        lambda a: a * True,
        lambda a: 1 + a,
    ],
)
def test_arithmetic_rejects(operation) -> None:
    with pytest.raises(TypeError):
        operation(m("2 mnkr"))


def test_comparison_and_hash_on_kronor() -> None:
    assert m("2 mnkr") == m("2 000 000 kr")
    assert m("2 mnkr") == m("2000 tkr")
    assert hash(m("2 mnkr")) == hash(m("2 000 000 kr"))
    assert len({m("2 mnkr"), m("2 000 000 kr"), m("2 mkr")}) == 1
    assert m("0,9 mnkr") < m("1 mnkr") <= m("1000 tkr") < m("1 mdkr")
    assert m("1 mdkr") > m("999 mnkr") >= m("999 000 tkr")
    assert max([m("2 mnkr"), m("15,1 mnkr"), m("0,9 mnkr")]) == m("15,1 mnkr")
    assert m("2 mnkr") != m("2 kr")
    assert m("2 kr") != Decimal(2)
    with pytest.raises(TypeError):
        m("2 kr") < Decimal(3)  # noqa: B015


def test_units_table() -> None:
    assert UNITS == {
        "kr": 1,
        "kronor": 1,
        "tkr": 1000,
        "mnkr": 10**6,
        "mkr": 10**6,
        "mdkr": 10**9,
    }
    assert all(isinstance(v, Decimal) for v in UNITS.values())


# Property tests: any amount with up to two öre decimals, in any unit, survives format -> parse.

kronor_values = st.decimals(
    min_value=Decimal("-999999999999.99"),
    max_value=Decimal("999999999999.99"),
    places=2,
    allow_nan=False,
    allow_infinity=False,
)
any_unit = st.sampled_from(sorted(UNITS))


@given(kronor_values, any_unit, any_unit)
def test_format_parse_round_trip(kronor: Decimal, unit: str, shown_in: str) -> None:
    amount = Amount(kronor, unit)
    assert Amount.parse(amount.format()).kronor == kronor
    assert Amount.parse(amount.format(shown_in)).kronor == kronor
    assert Amount.parse(amount.format(show_unit=False), default_unit=unit).kronor == kronor


@given(kronor_values, any_unit, st.one_of(st.none(), st.integers(min_value=0, max_value=4)))
def test_formatted_text_shape(kronor: Decimal, unit: str, decimals: int | None) -> None:
    text = Amount(kronor, unit).format(decimals=decimals, show_unit=False)
    assert "-" not in text
    assert " " not in text
    assert "E" not in text and "e" not in text
    rounded_to_zero = not any(c in "123456789" for c in text)
    assert text.startswith(MINUS) == (kronor < 0 and not rounded_to_zero)
    whole = text.lstrip(MINUS).split(",")[0]
    groups = whole.split(NBSP)
    assert 1 <= len(groups[0]) <= 3
    assert all(len(g) == 3 for g in groups[1:])
    assert all(g.isdigit() for g in groups)
    if decimals is not None and decimals > 0:
        assert len(text.split(",")[1]) == decimals
    full = Amount(kronor, unit).format(decimals=decimals)
    assert "-" not in full and " " not in full
    assert full.count(NBSP) == len(groups)  # groups joined by NBSP plus one before the unit


# --- exact at any size: never rounded silently --------------------------------------------


def test_sums_are_exact_beyond_28_digits() -> None:
    big = Amount.parse("10 000 000 000 000 000 000 000 000 000 kr")
    one = Amount.parse("1 kr")
    assert (big + one).kronor == Decimal(10**28 + 1)
    assert (big + one) != big
    assert (big - one).kronor == Decimal(10**28 - 1)
    assert (-(big + one)).kronor == Decimal(-(10**28) - 1)  # Decimal's own unary minus would round to 28 digits
    assert exact_sum([big.kronor, one.kronor, one.kronor]) == Decimal(10**28 + 2)
    assert (big + one).format() == "10\u00a0000\u00a0000\u00a0000\u00a0000\u00a0000\u00a0000\u00a0000\u00a0000\u00a0001\u00a0kr"
    assert (big + one).format("mnkr") == "10\u00a0000\u00a0000\u00a0000\u00a0000\u00a0000\u00a0000\u00a0000,000001\u00a0mnkr"


def test_a_result_too_long_to_be_exact_is_refused() -> None:
    huge = Amount(Decimal(10) ** 99)
    with pytest.raises(NotExact, match="fler än 100 siffror"):
        huge + Amount(Decimal("0.01"))
    with pytest.raises(NotExact):
        Amount(Decimal(10)) / 3


def test_an_amount_has_at_most_amount_max_digits() -> None:
    with pytest.raises(AmountError, match=r"har 41 siffror i kronor; ett belopp får ha högst 40 \(AMOUNT_MAX_DIGITS\)"):
        Amount.parse("1" + "0" * 40 + " kr")
    assert Amount.parse("1" + "0" * 39 + " kr").kronor == Decimal(10**39)
    with pytest.raises(AmountError, match="högst 40"):
        Amount.parse("1 " + "000 " * 12 + "mdkr")


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("24 miljoner", "24 mnkr"),
        ("4.5 mnkr", "4,5 mnkr"),
        ("-1.3 mnkr", "-1,3 mnkr"),
        ("4,5 MSEK", "4,5 mnkr"),
        ("20 Mkr", "20 mkr"),
        ("12 TKR", "12 tkr"),
        ("300 tusen kronor", "300 tkr"),
        ("2,5 miljarder kronor", "2,5 mdkr"),
        ("24.000.000 kr", "24 000 000 kr"),
        ("100:-", "100 kr"),
        ("1.234 kr", None),  # a decimal point or a thousands separator: no guess
        ("tjugo", None),
        ("12 äpplen", None),
        ("15.1,2 mnkr", None),
    ],
)
def test_a_text_that_is_nearly_an_amount_is_answered_with_the_amount_meant(written: str, meant: str | None) -> None:
    with pytest.raises(AmountError) as raised:
        Amount.parse(written)
    message = str(raised.value)
    if meant is None:
        assert "skriv t.ex. 24 000 000 kr" in message, message
    else:
        assert message.startswith(f"'{written}' är inget belopp; skriv '{meant}' (decimalkomma"), message
        assert Amount.parse(meant) is not None


def test_a_quoted_cell_is_told_to_lose_its_quotes() -> None:
    """In a row 'a | "12" | b' YAML keeps the quotes: they are part of the cell, which the official did not mean."""
    with pytest.raises(AmountError, match=r"citattecknen runt en cell blir en del av den; ta bort dem"):
        Amount.parse('"{{ belopp.barn }}"')


def test_a_long_text_that_is_no_amount_gets_the_general_example_at_once() -> None:
    """The guess at the amount meant took cubic time on '1', 5 000 spaces and '!' (188 s): it is made on short texts only,
    with a pattern that splits one way."""
    with pytest.raises(AmountError, match=r"skriv t\.ex\. 24 000 000 kr"):
        Amount.parse("1" + " " * 5000 + "!")
