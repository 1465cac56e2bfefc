from django import forms

from medmentor.notifications.models import Preference


class PreferenceForm(forms.ModelForm[Preference]):
    class Meta:
        model = Preference
        fields = ("channel",)
        widgets = {"channel": forms.RadioSelect}
