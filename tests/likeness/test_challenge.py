"""Challenges: fresh, unpredictable, and always something a person can do in one short recording."""

from __future__ import annotations

import random

import pytest

from figment.likeness.liveness import TURNS, Challenge


def test_new_challenges_have_4_to_6_digits_and_2_to_3_turns_none_repeated_in_a_row() -> None:
    rng = random.Random(0)
    challenges = [Challenge.new(rng) for _ in range(500)]
    for challenge in challenges:
        assert challenge.digits.isdigit() and 4 <= len(challenge.digits) <= 6
        assert 2 <= len(challenge.head_turns) <= 3
        assert set(challenge.head_turns) <= set(TURNS)
        assert all(a != b for a, b in zip(challenge.head_turns, challenge.head_turns[1:], strict=False))
        assert all(a != b for a, b in zip(challenge.digits, challenge.digits[1:], strict=False))
    # Every length, every digit and every turn in every position turns up: nothing is fixed by mistake.
    assert {len(c.digits) for c in challenges} == {4, 5, 6}
    assert {len(c.head_turns) for c in challenges} == {2, 3}
    assert set("".join(c.digits for c in challenges)) == set("0123456789")
    for position in range(2):
        assert {c.head_turns[position] for c in challenges} == set(TURNS)


def test_default_challenges_are_not_reproducible_but_seeded_ones_are() -> None:
    assert len({Challenge.new() for _ in range(20)}) > 15
    assert Challenge.new(random.Random(42)) == Challenge.new(random.Random(42))


@pytest.mark.parametrize(
    ("digits", "turns", "bad"),
    [
        ("12a4", ("left", "up"), "'12a4'"),
        ("123", ("left", "up"), "'123'"),
        ("1234", ("left", "left"), "twice in a row"),
        ("1234", ("left", "down"), "'down'"),
        ("1234", (), r"\(\)"),
    ],
)
def test_a_malformed_challenge_is_refused_naming_the_bad_value(digits: str, turns: tuple[str, ...], bad: str) -> None:
    with pytest.raises(ValueError, match=bad):
        Challenge(digits=digits, head_turns=turns)


def test_instructions_spell_out_digits_and_turns_from_the_persons_point_of_view() -> None:
    text = Challenge(digits="4192", head_turns=("left", "up", "right")).instructions()
    assert text == "Read the digits 4 1 9 2 aloud, and turn your head to your left, then up, then to your right."


def test_one_misheard_digit_is_forgiven_from_five_digits_up() -> None:
    from figment.likeness.liveness import digits_match

    assert digits_match("4819", "4819")
    assert not digits_match("481", "4819")  # four digits: exact only
    assert digits_match("48192", "481926")  # the last digit dropped (Whisper's usual slip)
    assert digits_match("481936", "481926")  # one digit misheard
    assert not digits_match("4819", "481926")  # two missing
    assert not digits_match("", "48192")
    assert not digits_match("926481", "481926")  # a replay of another answer is far off
