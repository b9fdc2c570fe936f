"""files/kept.Kept: the bounded dict behind the preview's in-memory caches."""

from __future__ import annotations

from tjanste.files.kept import Kept


def test_a_full_count_starts_over() -> None:
    kept: Kept[int, str] = Kept(lambda: 3)
    for number in range(3):
        assert kept.keep(number, str(number)) == str(number)
    kept.keep(3, "3")
    assert kept == {3: "3"}


def test_a_full_total_starts_over_and_a_key_over_it_alone_is_not_kept() -> None:
    kept: Kept[str, int] = Kept(lambda: 100, lambda: 10)
    kept.keep("abcd", 1)
    kept.keep("efgh", 2)
    assert kept.held == 8
    kept.keep("ijkl", 3)  # 12 > 10: what was held goes
    assert kept == {"ijkl": 3} and kept.held == 4
    assert kept.keep("x" * 11, 4) == 4 and "x" * 11 not in kept  # given back, not kept
    kept.keep("ijkl", 5)  # kept again under the same key: counted once
    assert kept == {"ijkl": 5} and kept.held == 4
    kept.clear()
    assert kept.held == 0


def test_the_bound_is_read_at_each_keep() -> None:
    bound = [5]
    kept: Kept[int, int] = Kept(lambda: bound[0])
    for number in range(4):
        kept.keep(number, number)
    bound[0] = 2  # as a test lowers a limit in limits.py
    kept.keep(9, 9)
    assert kept == {9: 9}
