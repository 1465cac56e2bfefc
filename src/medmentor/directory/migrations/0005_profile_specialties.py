"""The directory's specialties become the profiles' codes (decision 0042, superseding
0006): the old group codes are mapped to the discipline they named; "other" said nothing
a filter could use and is dropped. Listings and submissions alike."""

from django.db import migrations

OLD_TO_NEW = {
    "public-health": "public-health-preventive-medicine",
    "radiology": "diagnostic-radiology",
    "surgery": "general-surgery",
    "other": None,
}


def mapped(codes):
    result = []
    for code in codes:
        new = OLD_TO_NEW.get(code, code)
        if new and new not in result:
            result.append(new)
    return result


def forwards(apps, schema_editor):
    for name in ("Listing", "Submission"):
        model = apps.get_model("directory", name)
        for row in model.objects.only("pk", "specialties"):
            new = mapped(row.specialties)
            if new != row.specialties:
                model.objects.filter(pk=row.pk).update(specialties=new)


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0004_load_known_programs"),
        ("profiles", "0002_load_taxonomy"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
