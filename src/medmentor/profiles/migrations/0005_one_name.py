"""A person's one name: the account takes the profile's display name where it has one
(they differed for generated people, "Dr. Jean Tremblay" on the profile and "Jean Tremblay"
on the account), so that every page and e-mail names them alike."""

from django.db import migrations
from django.db.models import F, OuterRef, Subquery


def name_from_profile(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    Profile = apps.get_model("profiles", "Profile")
    display_name = Profile.objects.filter(user=OuterRef("pk")).values("display_name")[:1]
    (
        User.objects.filter(profile__display_name__gt="")
        .exclude(name=F("profile__display_name"))
        .update(name=Subquery(display_name))
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_access_log"),
        ("profiles", "0004_alter_profile_city_alter_profile_department_and_more"),
    ]

    operations = [migrations.RunPython(name_from_profile, migrations.RunPython.noop)]
