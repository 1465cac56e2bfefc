"""The coordinator's form for a reporting line or conflict between two members."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from medmentor.accounts.models import User
from medmentor.core.forms import described, set_choices
from medmentor.programs.selectors.lines import shown_name

# How the page puts each kind: "<person> is supervised by <other>".
LINE_KIND_CHOICES = [
    ("supervisor", _("is supervised by (supervisor)")),
    ("program_director", _("has as program director")),
    ("assessor", _("is assessed by (assessor)")),
    ("conflict", _("has a conflict of interest with")),
]


class CoordinatorLineForm(forms.Form):
    """Two people, by name among the program's members; the second may instead be an
    address (someone not on the site or not in the program yet)."""

    person = forms.ChoiceField(label=_("Member"))
    kind = forms.ChoiceField(label=_("Relationship"), choices=LINE_KIND_CHOICES)
    other = forms.ChoiceField(label=_("Other member"), required=False)
    email = forms.EmailField(
        label=_("Or the other person's e-mail address"),
        required=False,
        help_text=_(
            "For someone not on MedMentor or not in this program yet: the line counts as "
            "soon as they have an account with this address."
        ),
    )

    def __init__(self, *args: Any, members: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.members = {str(user.uuid): user for user in members}
        choices = [(key, shown_name(user)) for key, user in self.members.items()]
        set_choices(self.fields["person"], [("", _("Choose a member")), *choices])
        set_choices(self.fields["other"], [("", _("Choose a member")), *choices])
        described(self.fields["email"], "email")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not data.get("other") and not data.get("email"):
            self.add_error("other", _("Choose the other person, or give their e-mail address."))
        return data

    def chosen(self, name: str) -> User | None:
        return self.members.get(self.cleaned_data.get(name) or "")
