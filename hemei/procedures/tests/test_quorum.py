"""Quorums and majorities at their edges: exact arithmetic, never floats."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hemei.procedures import quorum
from hemei.procedures.quorum import BadCounts, Base, QuorumRule, needed

PARTY = quorum.PARTY_MEMBERS


def judge(rule: QuorumRule, entitled: int, present: int, yes: int, no: int = 0, abst: int = 0):
    return rule.judge(entitled=entitled, present=present, votes_for=yes, against=no, abstain=abst)


def test_party_members_need_two_thirds_present_20_of_30_meets_19_does_not() -> None:
    assert judge(PARTY, 30, 20, 16).quorum_met
    missed = judge(PARTY, 30, 19, 19)
    assert not missed.quorum_met and not missed.passed
    assert "19" in missed.reason and "20" in missed.reason


def test_party_members_pass_by_more_than_half_of_those_entitled() -> None:
    assert judge(PARTY, 30, 30, 16).passed
    failed = judge(PARTY, 30, 30, 15, 15)
    assert failed.quorum_met and not failed.passed
    assert failed.need_for == 16
    # of those entitled, not of those present: 12 of 20 present is not enough of 30
    assert not judge(PARTY, 30, 20, 15, 5).passed


def test_two_committees_pass_by_more_than_half_of_those_present() -> None:
    rule = quorum.TWO_COMMITTEES
    assert judge(rule, 7, 6, 4).passed
    assert not judge(rule, 7, 6, 3, 3).passed  # a tie is not more than half
    assert judge(rule, 7, 5, 3).passed


def test_villagers_meeting_more_than_half_of_the_adults() -> None:
    rule = quorum.VILLAGERS
    assert not judge(rule, 400, 200, 200).quorum_met  # exactly half is not more than half
    assert judge(rule, 400, 201, 101).passed
    assert not judge(rule, 400, 201, 100).passed


def test_representatives_two_thirds_or_more_present() -> None:
    rule = quorum.REPRESENTATIVES
    assert judge(rule, 30, 20, 11).passed  # 三分之二以上 includes two thirds itself
    assert not judge(rule, 30, 19, 19).quorum_met
    assert not judge(rule, 30, 20, 10).passed


@pytest.mark.parametrize(
    ("counts", "words"),
    [
        ((30, 31, 0), "31"),  # more present than entitled
        ((30, 20, 21), "21"),  # more votes than present
        ((0, 0, 0), ""),  # nobody entitled
        ((30, -1, 0), ""),
    ],
)
def test_impossible_counts_are_refused(counts: tuple[int, int, int], words: str) -> None:
    entitled, present, yes = counts
    with pytest.raises(BadCounts) as caught:
        judge(PARTY, entitled, present, yes)
    assert words in str(caught.value)


def test_votes_for_against_and_abstaining_together_may_not_exceed_those_present() -> None:
    with pytest.raises(BadCounts):
        judge(PARTY, 30, 20, 10, 6, 5)
    assert judge(PARTY, 30, 21, 16, 3, 2).passed


def test_a_share_outside_zero_to_one_or_a_float_is_refused() -> None:
    with pytest.raises(ValueError):
        QuorumRule(pass_share=Fraction(3, 2))
    with pytest.raises(ValueError):
        QuorumRule(pass_share=0.5)  # type: ignore[arg-type]


def test_the_rule_describes_itself_in_words() -> None:
    text = PARTY.describe()
    assert "entitled" in text or "应到" in text


fractions = st.builds(Fraction, st.integers(0, 12), st.integers(1, 12)).filter(lambda f: f <= 1)


@given(
    share=fractions,
    whole=st.integers(0, 500),
    strict=st.booleans(),
)
def test_needed_is_the_smallest_count_that_reaches_the_share(
    share: Fraction, whole: int, strict: bool
) -> None:
    n = needed(share, whole, strict=strict)

    def reaches(count: int) -> bool:
        return Fraction(count) > share * whole if strict else Fraction(count) >= share * whole

    assert reaches(n)
    assert n == 0 or not reaches(n - 1)


@given(
    entitled=st.integers(1, 300),
    data=st.data(),
    share=fractions,
    strict=st.booleans(),
    base=st.sampled_from(list(Base)),
)
def test_the_judgement_agrees_with_needed(
    entitled: int, data: st.DataObject, share: Fraction, strict: bool, base: Base
) -> None:
    present = data.draw(st.integers(0, entitled))
    yes = data.draw(st.integers(0, present))
    rule = QuorumRule(
        present_share=Fraction(2, 3), pass_share=share, pass_base=base, pass_strict=strict
    )
    outcome = judge(rule, entitled, present, yes)
    assert outcome.quorum_met == (present >= outcome.need_present)
    assert outcome.passed == (outcome.quorum_met and yes >= outcome.need_for)
