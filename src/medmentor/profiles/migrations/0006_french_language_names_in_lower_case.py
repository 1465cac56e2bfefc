"""French writes language names in lower case ("parle anglais et français"): the French
labels of the languages lose their capital, which showed mid-sentence ("Vous parlez tous
deux Français"). A label a person shows first in a list is capitalised where it is shown."""

from django.db import migrations


def lower_case(apps, schema_editor):
    Language = apps.get_model("profiles", "Language")
    for language in Language.objects.all():
        lowered = language.label_fr[:1].lower() + language.label_fr[1:]
        if lowered != language.label_fr:
            language.label_fr = lowered
            language.save(update_fields=["label_fr"])


def capitalised(apps, schema_editor):
    Language = apps.get_model("profiles", "Language")
    for language in Language.objects.all():
        language.label_fr = language.label_fr[:1].upper() + language.label_fr[1:]
        language.save(update_fields=["label_fr"])


class Migration(migrations.Migration):
    dependencies = [("profiles", "0005_one_name")]

    operations = [migrations.RunPython(lower_case, capitalised)]
