"""Mentoring groups: each mentor leads one group of several mentees (issue 19).

A group is one mentor and ``size_min`` to ``min(capacity, size_max)`` mentees. Hard
rules: every mentor-mentee pair of a group passes the pair engine's rules (the same
encoded masks as :func:`medmentor.matching.solve`: seniority, shared language,
required preferences, exclusive ranks, exclusions, each person's ``exclude``); no
excluded pair of any two members (``exclusions`` are unordered id pairs, mentees
included, plus each mentee's ``exclude``); optionally at most ``max_per_institution``
mentees of one institution per group.

Objective: first place as many mentees as the rules allow, then maximise the total
mentor -> mentee four-C score (the pair engine's score, exact integers). There is no
mentee-mentee peer term: the program's weights define what a good mentor is for each
mentee, a peer term would trade that for similarity among mentees that nobody
weighted (and make the objective quadratic, losing the flow start below); the
groups' reasons still say what the members share.

Algorithm:

1. Candidate pairs: each mentee's best mentors by score and by fit (the optimal pair
   engine's candidate arcs; whole rows or columns are scored later when needed).
2. Who leads: everyone who may (seats >= ``size_min``) when the mentees can fill
   all their groups to the minimum; else a min-cost flow without group minimums
   (mentor capacity = seats) ranks mentors by the mentees it gives them, and the
   most used lead, as many as the placed mentees can fill to the minimum (more if
   their seats are short).
3. Start: a min-cost flow among the leaders, the institution cap built into the
   network, whose (near-)lexicographic cost first fills every group to the
   minimum, then places as many mentees as possible, then maximises the score
   (``flow.py``).
4. Repair (``search.py``): members that an exclusion or the institution cap forbids
   leave their group; pooled mentees join a group with room (below-minimum groups
   first) or take a seat by a chain (the member moves to another group with room);
   groups below the minimum, smallest deficit first, are filled from the pool and
   from groups above the minimum, and those that cannot be (the largest deficits,
   last) are dissolved and their mentees placed again; closed mentors whom enough
   pooled mentees may join open a group.
5. Local search: every improving move (to a group with room, the old group staying
   at or above the minimum) and swap (with a member of the target group) over the
   known pairs, screened with NumPy, until none is left; up to ``search.SMALL``
   mentees, seeded perturbation rounds (dissolve a group, open a mentor, exchange
   two mentees; then repair and descend) keep the best grouping found.

Deterministic for a seed: no clock is read; ties go to the seeded tie-break of the
pair engine. ``exact_groups`` is the CP-SAT reference for small instances and
``greedy_groups`` a naive baseline.
"""

from medmentor.matching.groups.exact import exact_groups, greedy_groups
from medmentor.matching.groups.form import form_groups, group_reasons
from medmentor.matching.groups.model import (
    UNPLACED_MESSAGES,
    Group,
    GroupsResult,
    UnplacedMentee,
)

__all__ = [
    "UNPLACED_MESSAGES",
    "Group",
    "GroupsResult",
    "UnplacedMentee",
    "exact_groups",
    "form_groups",
    "greedy_groups",
    "group_reasons",
]
