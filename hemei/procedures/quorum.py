"""Quorums and majorities of village meetings: exact arithmetic, free of the database.

A :class:`QuorumRule` says how many must be present (a share of those entitled to attend)
and how many must vote for (a share of those entitled, or of those present), each share
either "more than" (半数以上, 超过) or "at least" (不少于). Shares are
:class:`fractions.Fraction` s and every comparison is made on integers, never on floats, so
20 of 30 meets "at least two thirds" and 19 does not, whatever the rounding.

The defaults (:data:`DEFAULT_RULES`) are data, and each is only the starting value of a
process's step: a county edits its own process (see ``DecisionStep``).

* 党员大会 (Party members' meeting), per the 四议两公开 guidance: at least two thirds of the
  members present; passed by more than half of the members **entitled** to attend
  (应到会党员半数以上).
* "两委"会 (branch and committee): more than half of those present.
* 村民会议 (villagers' meeting), 村民委员会组织法 art. 22: more than half of the villagers
  over 18 present (or two thirds of the households: count households as the entitled and the
  present instead); decisions by more than half of those present. ⚠ configurable.
* 村民代表会议 (representatives' meeting), same law art. 26: two thirds or more of the
  representatives present (三分之二以上); decisions by more than half of those present.
  ⚠ configurable.

"以上" includes the number itself in Chinese law (民法典 art. 1259: 所称的"以上"包括本数),
so "三分之二以上" is *at least* two thirds; "过半数" and "半数以上" for votes read as *more
than* half, as the 四议两公开 guidance and art. 22 use them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from django.utils.translation import gettext as _


class Base(StrEnum):
    """What the passing share is a share of."""

    ENTITLED = "entitled"
    PRESENT = "present"


class BadCounts(ValueError):
    """Counts that cannot describe a meeting (more present than entitled, more votes than
    present, a negative number); the message is for people."""


def _at_least(count: int, share: Fraction, whole: int) -> bool:
    # count / whole >= share  <=>  count * den >= share.num * whole  (integers only)
    return count * share.denominator >= share.numerator * whole


def _more_than(count: int, share: Fraction, whole: int) -> bool:
    return count * share.denominator > share.numerator * whole


def needed(share: Fraction, whole: int, *, strict: bool) -> int:
    """The smallest count that reaches ``share`` of ``whole`` ("more than" when strict)."""
    product = share.numerator * whole
    if strict:
        return product // share.denominator + 1
    return -(-product // share.denominator)


def _share_text(share: Fraction) -> str:
    if share == Fraction(1, 2):
        return _("half")
    if share == Fraction(2, 3):
        return _("two thirds")
    return f"{share.numerator}/{share.denominator}"


@dataclass(frozen=True)
class QuorumRule:
    """Who must be present and who must vote for, as exact shares."""

    #: share of those entitled who must be present (0: no attendance quorum)
    present_share: Fraction = Fraction(0)
    present_strict: bool = False
    #: share of ``pass_base`` who must vote for
    pass_share: Fraction = Fraction(1, 2)
    pass_base: Base = Base.PRESENT
    pass_strict: bool = True

    def __post_init__(self) -> None:
        for share in (self.present_share, self.pass_share):
            if not isinstance(share, Fraction) or not 0 <= share <= 1:
                raise ValueError(f"a share is a Fraction from 0 to 1, not {share!r}")
        object.__setattr__(self, "pass_base", Base(self.pass_base))

    def describe(self) -> str:
        """The rule in a sentence: 应到人数的三分之二以上到会；应到人数过半数赞成。"""
        parts = []
        if self.present_share:
            parts.append(
                (
                    _("more than %(share)s of those entitled present")
                    if self.present_strict
                    else _("at least %(share)s of those entitled present")
                )
                % {"share": _share_text(self.present_share)}
            )
        base = _("of those entitled") if self.pass_base == Base.ENTITLED else _("of those present")
        parts.append(
            (
                _("passed by more than %(share)s %(base)s")
                if self.pass_strict
                else _("passed by at least %(share)s %(base)s")
            )
            % {"share": _share_text(self.pass_share), "base": base}
        )
        return _("; ").join(parts)

    def judge(
        self, *, entitled: int, present: int, votes_for: int, against: int, abstain: int
    ) -> Outcome:
        """Whether the meeting had its quorum and passed the matter, and why."""
        counts = (entitled, present, votes_for, against, abstain)
        if any(not isinstance(n, int) or isinstance(n, bool) or n < 0 for n in counts):
            raise BadCounts(_("Attendance and votes are whole numbers, zero or more."))
        if entitled == 0:
            raise BadCounts(_("Nobody is entitled to attend: enter how many are."))
        if present > entitled:
            raise BadCounts(
                _("%(present)s present is more than the %(entitled)s entitled to attend.")
                % {"present": present, "entitled": entitled}
            )
        if votes_for + against + abstain > present:
            raise BadCounts(
                _(
                    "%(votes)s votes (for, against, abstaining) is more than the "
                    "%(present)s present."
                )
                % {"votes": votes_for + against + abstain, "present": present}
            )
        need_present = needed(self.present_share, entitled, strict=self.present_strict)
        if self.present_share == 0:
            need_present = 0
        test = _more_than if self.present_strict else _at_least
        quorum_met = self.present_share == 0 or test(present, self.present_share, entitled)
        base = entitled if self.pass_base == Base.ENTITLED else present
        need_for = needed(self.pass_share, base, strict=self.pass_strict)
        test = _more_than if self.pass_strict else _at_least
        majority = test(votes_for, self.pass_share, base)
        values = {
            "present": present,
            "entitled": entitled,
            "need_present": need_present,
            "for": votes_for,
            "need_for": need_for,
            "base": base,
        }
        if not quorum_met:
            reason = (
                _(
                    "No quorum: %(present)s of %(entitled)s present, %(need_present)s needed; "
                    "the vote does not count."
                )
                % values
            )
            return Outcome(False, False, reason, need_present, need_for)
        if self.pass_base == Base.ENTITLED:
            sentence = (
                _(
                    "Passed: %(for)s for of %(entitled)s entitled, %(need_for)s needed "
                    "(%(present)s present)."
                )
                if majority
                else _(
                    "Not passed: %(for)s for of %(entitled)s entitled, %(need_for)s needed "
                    "(%(present)s present)."
                )
            )
        else:
            sentence = (
                _("Passed: %(for)s for of %(present)s present, %(need_for)s needed.")
                if majority
                else _("Not passed: %(for)s for of %(present)s present, %(need_for)s needed.")
            )
        return Outcome(True, majority, sentence % values, need_present, need_for)


@dataclass(frozen=True)
class Outcome:
    quorum_met: bool
    passed: bool
    #: the reason, a sentence for people
    reason: str
    need_present: int
    need_for: int


# --------------------------------------------------------------------------- the defaults

PARTY_MEMBERS = QuorumRule(
    present_share=Fraction(2, 3),
    present_strict=False,
    pass_share=Fraction(1, 2),
    pass_base=Base.ENTITLED,
    pass_strict=True,
)
TWO_COMMITTEES = QuorumRule(pass_share=Fraction(1, 2), pass_base=Base.PRESENT, pass_strict=True)
#: 党支部 committee: the branch's own majority of those present (as 两委会)
BRANCH = TWO_COMMITTEES
#: ⚠ configurable: 村民会议 by persons over 18 (art. 22); by households, use 2/3 at least
VILLAGERS = QuorumRule(
    present_share=Fraction(1, 2),
    present_strict=True,
    pass_share=Fraction(1, 2),
    pass_base=Base.PRESENT,
    pass_strict=True,
)
VILLAGERS_BY_HOUSEHOLDS = QuorumRule(
    present_share=Fraction(2, 3),
    present_strict=False,
    pass_share=Fraction(1, 2),
    pass_base=Base.PRESENT,
    pass_strict=True,
)
#: ⚠ configurable: 村民代表会议 (art. 26)
REPRESENTATIVES = QuorumRule(
    present_share=Fraction(2, 3),
    present_strict=False,
    pass_share=Fraction(1, 2),
    pass_base=Base.PRESENT,
    pass_strict=True,
)
