"""IA- numbers: one past the highest, whatever the length, leading zeros or hand-typed numbers in between."""

import pytest

from tejun.assets.services import next_number

from .helpers import new_asset

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("numbers", "expected"), [
    ([], "IA-00001"),
    (["IA-00009", "IA-00010", "IA-ABC", "旧-1"], "IA-00011"),
    (["IA-99999", "IA-100000", "IA-10000"], "IA-100001"),   # longer beats lexicographically higher
    (["IA-0000100", "IA-00042"], "IA-00101"),                # leading zeros: the value counts, not the length
    (["IA-0000001", "IA-00042", "IA-9X"], "IA-00043"),
])
def test_next_number(staff_in_charge, numbers, expected):
    for number in numbers:
        new_asset(staff_in_charge, number=number)
    assert next_number(staff_in_charge.body) == expected


def test_taken_numbers_of_an_import_count_too(staff_in_charge):
    keeper = staff_in_charge
    new_asset(keeper, number="IA-00005")
    assert next_number(keeper.body, taken={"IA-00007", "X-9"}) == "IA-00008"
    assert next_number(keeper.body, taken={"IA-00003"}) == "IA-00006"
