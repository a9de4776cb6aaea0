from django.db import migrations, models


def quote_out_of_description(apps, schema_editor):
    # Goals were loaded with the source's verbatim quote in `description`.
    Goal = apps.get_model("alliance", "Goal")
    for goal in Goal.objects.filter(quote=""):
        goal.quote, goal.description = goal.description, ""
        goal.save(update_fields=["quote", "description"])


class Migration(migrations.Migration):
    dependencies = [
        ("alliance", "0008_action_text_versions"),
    ]

    operations = [
        migrations.AddField(
            model_name="goal",
            name="quote",
            field=models.TextField(blank=True, verbose_name="quote from the source"),
        ),
        migrations.AddField(
            model_name="goal",
            name="verification",
            field=models.CharField(
                choices=[
                    ("verified", "verified against the source"),
                    ("verified_secondary", "verified against a third party's account"),
                    ("verified_approx", "verified, date approximate"),
                    ("verified_conflicting", "sources disagree"),
                    ("unverified", "not verified"),
                    ("contributed", "reported on the platform"),
                ],
                # Goals were loaded from shown rows only; the next data load sets each one's own.
                default="verified",
                max_length=24,
                verbose_name="verification",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="goal",
            name="notes",
            field=models.TextField(blank=True, verbose_name="notes"),
        ),
        migrations.RunPython(quote_out_of_description, migrations.RunPython.noop),
    ]
