from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from medmentor.announcements.models import BODY_MAX, SUBJECT_MAX
from medmentor.core.forms import described, set_choices
from medmentor.matchrounds.models import MatchRound
from medmentor.segments.selectors import Segment


class AnnouncementForm(forms.Form):
    segment = forms.ChoiceField(label=_("To"), choices=Segment.choices)
    match_round = forms.ChoiceField(
        label=_("Match round"),
        required=False,
        help_text=_("For a round's cohort, its unmatched people, or proposals not yet accepted."),
    )
    subject_en = forms.CharField(label=_("Subject (English)"), max_length=SUBJECT_MAX)
    body_en = forms.CharField(
        label=_("Message (English)"),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Plain text: line breaks are kept and links become clickable."),
    )
    subject_fr = forms.CharField(
        label=_("Subject (French)"), max_length=SUBJECT_MAX, required=False
    )
    body_fr = forms.CharField(
        label=_("Message (French)"),
        max_length=BODY_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Optional. French readers get the English text when there is none."),
    )
    essential = forms.BooleanField(
        label=_("Essential: about how the program runs (a deadline, a change of dates)"),
        required=False,
        help_text=_(
            "Essential messages are e-mailed even to people who turned off this program's "
            "announcement e-mails. Use it sparingly."
        ),
    )

    def __init__(self, *args: Any, rounds: list[MatchRound], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rounds = {str(r.uuid): r for r in rounds}
        set_choices(
            self.fields["match_round"],
            [("", _("Choose a round")), *[(key, str(r)) for key, r in self.rounds.items()]],
        )
        for name, field in self.fields.items():
            described(field, name)

    def chosen_round(self) -> MatchRound | None:
        return self.rounds.get(self.cleaned_data.get("match_round") or "")
