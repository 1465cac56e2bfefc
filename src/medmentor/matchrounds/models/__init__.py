"""The match rounds' models: a round with its proposals (pairs or circles) and unmatched
people (``rounds``), and the picks participants make before a round (``picks``)."""

from medmentor.matchrounds.models.picks import MAX_PICKS, Pick
from medmentor.matchrounds.models.rounds import (
    LIVE_PROPOSAL_STATUSES,
    Algorithm,
    MatchRound,
    Origin,
    Phase,
    Proposal,
    ProposalStatus,
    ProposedGroup,
    ProposedGroupMember,
    Response,
    RoundKind,
    RoundStatus,
    UnmatchedCode,
    UnmatchedEntry,
)

__all__ = [
    "LIVE_PROPOSAL_STATUSES",
    "MAX_PICKS",
    "Algorithm",
    "MatchRound",
    "Origin",
    "Phase",
    "Pick",
    "Proposal",
    "ProposalStatus",
    "ProposedGroup",
    "ProposedGroupMember",
    "Response",
    "RoundKind",
    "RoundStatus",
    "UnmatchedCode",
    "UnmatchedEntry",
]
