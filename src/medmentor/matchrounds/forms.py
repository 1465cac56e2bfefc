"""Forms of match rounds: run one, pair two people by hand, answer a proposal."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from medmentor.accounts.models import User
from medmentor.matchrounds.models import Algorithm, RoundKind
from medmentor.matchrounds.services.publish import REASON_MAX


class RoundRunForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Propose"),
        choices=RoundKind.choices,
        required=False,  # a program of one kind has nothing to choose: see __init__
        widget=forms.RadioSelect,
    )
    algorithm = forms.ChoiceField(
        label=_("Algorithm"),
        choices=Algorithm.choices,
        initial=Algorithm.STABLE,
        widget=forms.RadioSelect,
        help_text=_(
            "Stable: no mentee and mentor would both rather be paired with each other than "
            "with whom they got. Optimal: the highest total score over all pairs."
        ),
    )
    seed = forms.IntegerField(
        label=_("Tie-breaker"),
        min_value=0,
        max_value=2**31 - 1,
        initial=0,
        required=False,
        help_text=_(
            "Leave it at 0. When two choices score the same, this number decides between "
            "them: the same people and number always give the same round, another number "
            "may give another."
        ),
    )

    def __init__(
        self,
        *args: Any,
        kinds: Sequence[str] = (RoundKind.PAIRS,),
        size_range: tuple[int, int] = (2, 2),
        **kwargs: Any,
    ) -> None:
        """``kinds``: the rounds the program's format runs; ``size_range``: its circles'
        smallest and largest size, shown with the choice."""
        super().__init__(*args, **kwargs)
        self.kinds = list(kinds)
        field = self.fields["kind"]
        assert isinstance(field, forms.ChoiceField)
        labels = {
            RoundKind.PAIRS: RoundKind.PAIRS.label,
            RoundKind.GROUPS: _("Mentoring groups of %(min)s to %(max)s mentees")
            % {"min": size_range[0], "max": size_range[1]},
            RoundKind.CIRCLES: _("Peer circles of %(min)s to %(max)s members")
            % {"min": size_range[0], "max": size_range[1]},
        }
        # Every kind is valid input, so that one the program does not run reaches
        # ``round_start``, which says why; only the program's kinds are offered.
        field.widget.choices = [(kind, labels[RoundKind(kind)]) for kind in self.kinds]
        field.initial = self.kinds[0] if self.kinds else RoundKind.PAIRS
        if len(self.kinds) <= 1:
            field.widget = forms.HiddenInput()

    def clean_kind(self) -> str:
        return str(self.cleaned_data.get("kind") or self.fields["kind"].initial)


class PersonChoiceField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name()  # by name: coordinators never see addresses


class HandPairForm(forms.Form):
    mentee = PersonChoiceField(label=_("Mentee"), queryset=User.objects.none())
    mentor = PersonChoiceField(label=_("Mentor"), queryset=User.objects.none())
    confirm = forms.BooleanField(
        label=_("I have read the warnings: pair them anyway"),
        required=False,
        widget=forms.HiddenInput,
    )

    def __init__(self, *args: Any, mentees: list[User], mentors: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        mentee_field = self.fields["mentee"]
        mentor_field = self.fields["mentor"]
        assert isinstance(mentee_field, forms.ModelChoiceField)
        assert isinstance(mentor_field, forms.ModelChoiceField)
        mentee_field.queryset = User.objects.filter(pk__in=[u.pk for u in mentees]).order_by(
            "name", "email"
        )
        mentor_field.queryset = User.objects.filter(pk__in=[u.pk for u in mentors]).order_by(
            "name", "email"
        )


class ResponseForm(forms.Form):
    reason = forms.CharField(
        label=_("Your reason (optional, private)"),
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The other person never sees it."),
    )
