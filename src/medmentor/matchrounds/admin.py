from django.contrib import admin

from medmentor.accounts.admin import AccessLoggedAdmin
from medmentor.core.admin import ReadOnlyModelAdmin
from medmentor.matchrounds.models import MatchRound, Proposal


class ReadOnlyAdmin(ReadOnlyModelAdmin, AccessLoggedAdmin):
    """Rounds are run, adjusted and published from the coordinator's pages only."""


@admin.register(MatchRound)
class MatchRoundAdmin(ReadOnlyAdmin):
    list_display = ("program", "created_at", "algorithm", "status", "progress", "published_at")
    list_filter = ("status", "algorithm")
    search_fields = ("program__name_en",)
    list_select_related = ("program",)


@admin.register(Proposal)
class ProposalAdmin(ReadOnlyAdmin):
    list_display = ("round", "mentee", "mentor", "score", "origin", "locked", "status")
    list_filter = ("status", "origin", "locked")
    search_fields = ("mentee__email", "mentor__email", "round__program__name_en")
    list_select_related = ("round__program", "mentee", "mentor")
    # Each side's reason is private: not shown, even to staff.
    exclude = ("mentee_reason", "mentor_reason")
