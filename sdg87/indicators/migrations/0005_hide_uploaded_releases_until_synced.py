"""Releases imported from uploads before statistics followed their dataset were public whatever
the dataset's state. Hide them and give their series an owner; `manage.py statistics_sync`
(run by `make run` and in deployment after migrate) shows again those whose data is public."""

from django.db import migrations


def forwards(apps, schema_editor):
    Release = apps.get_model("indicators", "Release")
    Observation = apps.get_model("indicators", "Observation")
    Series = apps.get_model("indicators", "Series")
    Organisation = apps.get_model("orgs", "Organisation")
    uploaded = Release.objects.filter(code__startswith="upload-")
    for release in uploaded.select_related("source"):
        slug = release.source.code.removeprefix("org-")
        org = Organisation.objects.filter(slug=slug).first()
        series_ids = Observation.objects.filter(release=release).values("series_id").distinct()
        if org is not None:
            Series.objects.filter(id__in=series_ids, owner__isnull=True).update(owner=org)
        Observation.objects.filter(release=release).update(is_latest=False)
    uploaded.update(is_public=False)


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0004_release_visibility_series_owner"),
        ("orgs", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
