"""Peer circles: partition participants into circles of a size range (issue 19).

A circle's affinity is the sum, over its unordered pairs of members, of the pair's
**symmetric** four-C score: the mean of the two directed scores ``score(a -> b)`` and
``score(b -> a)`` of the pair engine (a treated as mentee, b as mentor, and the other
way round). Peers have no direction, and several terms of the four Cs are directed
(``|A & B| / |A|`` shares of interests, goals, languages and availability; a person's
own preferences and confidentiality), so averaging the two is the only choice that
scores each unordered pair once without favouring either member. Directed scores are
integers (``features.SCALE`` = 1.0), so their sum is exact and every total below is an
exact integer until it is reported as a float.

Objective: maximise the total affinity of all circles (the sum of pair affinities
inside circles), circle sizes in ``[size_min, size_max]``. Hard rules: no excluded pair
(``exclusions`` and each person's ``exclude``) in a circle; with
``rules.require_shared_language``, every two members who both state languages share
one (strict, pairwise); optionally at most ``max_per_institution`` members of one
institution per circle.

Algorithm (``method="search"``): the number of circles is planned from the count of
placeable people (the fewest circles whose sizes fit the range), seeds are spread by
farthest-point selection, everyone else joins greedily (hardest to place first, into the
compatible circle of highest mean affinity); people still unplaced (one plan for the
whole chunk can leave a language group short of seats) are placed by chains (take a full
circle's seat, its member moving to a circle with room) or by new circles filled from
circles above the minimum, or with a member of a circle at the minimum that one of them
refills or that dissolves into circles with room (``repair.py``); then a local search
applies, in batches of circle-disjoint moves, the best improving move and swap of every
person, evaluated with NumPy on a dense affinity matrix and an ``n x circles`` gain
matrix; small instances then run seeded perturbation rounds (iterated local search).
Rule breaches are a large negative affinity, so no accepted move ever breaks a rule.
Above ``CHUNK`` people the participants are sorted by language, specialty family,
specialty, province and career stage and cut into chunks solved independently (a dense
matrix of 20,000 people would take 1.6 GB); people left over by the chunks get one last
pass. ``method="greedy"`` stops after the construction, ``method="random"`` places
people in random order into the first compatible circle (both are baselines).
Deterministic for a seed: no clock is read, ties are broken by the seeded generator.
"""

from medmentor.matching.circles.exact import circle_affinity, exact_circles
from medmentor.matching.circles.form import circle_reasons, form_circles
from medmentor.matching.circles.model import (
    METHODS,
    UNPLACED_MESSAGES,
    Circle,
    CirclesResult,
    Unplaced,
)

__all__ = [
    "METHODS",
    "UNPLACED_MESSAGES",
    "Circle",
    "CirclesResult",
    "Unplaced",
    "circle_affinity",
    "circle_reasons",
    "exact_circles",
    "form_circles",
]
