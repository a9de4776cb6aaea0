from django.db import migrations

THEMES = [
    "child_labour",
    "forced_labour",
    "modern_slavery",
    "human_trafficking",
    "forced_marriage",
    "supply_chains",
    "migration",
    "rule_of_law",
    "conflict_humanitarian",
    "education",
    "social_protection",
    "population",
]


def create_themes(apps, schema_editor):
    Theme = apps.get_model("catalog", "Theme")
    for code in THEMES:
        Theme.objects.get_or_create(code=code)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0002_initial")]

    operations = [migrations.RunPython(create_themes, migrations.RunPython.noop)]
