"""Speed-mentoring schedules: R short rotations in which every mentee meets a
different mentor.

In each rotation every mentor sits at a table and meets at most ``table_size``
mentees (1: one-to-one, 2-8: a small group) and every mentee meets at most one
mentor; no pair meets twice. Hard rules: every meeting passes the pair engine's rules
(the same encoded masks as :func:`medmentor.matching.solve` and
``medmentor.matching.groups``: seniority, shared language, required preferences,
exclusive ranks, ``problem.exclusions`` and each person's ``exclude``). Mentor
``capacity`` is not used (every mentor has R x ``table_size`` seats) nor is
``problem.locked``: locked meetings are (mentee, mentor, rotation) triples given to
:func:`schedule_event`.

Objective, in this order: spread the meetings evenly over the mentees (as many as
the rules and seats allow, and nobody gets a k+2-th meeting while someone who could
meet another mentor has k); then the largest total fit, where a pair's fit is its
four-C score plus a bonus when the mentee chose the mentor (2.0 for the first choice,
then 1.8, 1.6, 1.4, 1.2 of a perfect score: every bonus is above 1.0, so a chosen
eligible mentor always beats any unchosen one for that mentee, whose score is at most
1.0: the mentee's own wish outranks the engine's estimate; ranks 0.2 apart so a
better-ranked choice wins unless the other fits clearly better), with a small spread
of the mentors' seats (a mentor's first seat worth 0.05 more than their last, so
that near-equal fits go to the less busy mentor); then each mentee meets their best
fits in the earliest rotations.

Algorithm:

1. Arcs: every eligible (mentee, mentor) pair, scored by the pair engine in blocks of
   mentees (``score_rows``; events are small: 600 x 150 is 90,000 pairs).
2. Selection (``select.py``): a maximum-weight degree-constrained subgraph (a
   b-matching) by min-cost flow (OR-Tools): source -> mentee (one unit arc per
   possible meeting, the k-th worth a decreasing bonus A x (R + 1 - k)) -> mentor (one
   unit arc per pair: no pair twice) -> sink (one unit arc per seat, the k-th worth
   the decreasing spread bonus). The bonuses are concave in the counts, so the
   parallel arcs model them exactly, and ``A`` exceeds every possible total of fits:
   balance comes first (a strictly concave sum over the mentee counts of a
   polymatroid is maximised by its lexicographically optimal base, which is also the
   largest). Locked meetings are fixed first and take their seats. The flow is
   optimal for this objective (``exact_schedule`` checks it in the tests).
3. Rotations (``rotate.py``): each mentor is split into ``table_size`` seats and their
   meetings are dealt over the seats, at most R each; this bipartite graph has
   maximum degree R, so by Kőnig's theorem it is R-edge-colourable (colour = rotation)
   and no selected meeting is lost. Colouring: meetings in order of decreasing fit
   take the smallest colour free at both ends, else an alternating (Kempe) path is
   flipped. Locked meetings are pre-coloured and never recoloured; a meeting that no
   Kempe path free of locked meetings can colour is dropped (only mentees with a
   locked meeting can lose one this way).
4. Best fits first: Kempe-chain swaps over the colour pairs (a < b) exchange the two
   colours of every component without a locked meeting whose b-meetings fit better,
   and single mentees move a meeting to an earlier rotation where they are free and
   the table has room, or exchange two of their meetings' rotations, until no move
   raises sum(fit x (R - rotation)).
5. Reasons: the pair engine's reasons for each meeting (``Explainer``); ``choice``
   carries the mentee's rank of the mentor.

Deterministic for a seed: no clock is read; ties go to the seeded tie-break of the
pair engine. :func:`schedule_violations` checks a hand-edited schedule;
``exact_schedule`` is the CP-SAT reference for small instances and
``greedy_schedule`` a naive baseline.
"""

from medmentor.matching.speed.exact import ExactSchedule, exact_schedule, greedy_schedule
from medmentor.matching.speed.model import (
    UNMET_MESSAGES,
    SpeedMeeting,
    SpeedSchedule,
    UnmetMentee,
    Violation,
)
from medmentor.matching.speed.schedule import schedule_event, schedule_violations

__all__ = [
    "UNMET_MESSAGES",
    "ExactSchedule",
    "SpeedMeeting",
    "SpeedSchedule",
    "UnmetMentee",
    "Violation",
    "exact_schedule",
    "greedy_schedule",
    "schedule_event",
    "schedule_violations",
]
