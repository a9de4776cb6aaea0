"""A second instance of the platform, harvested on a schedule (issue 14 item 5, no mocks).

The second instance is a real gunicorn process on its own database (second_instance.py). The
instance under test (this process, the test database) registers it as a CKAN, a DCAT and an
SDMX source. Runs go the way production runs them: registering enqueues the first run with
the database task backend (django_tasks_db), each run defers the next to `next_run_at`, and the
worker loop of `manage.py db_worker` (its Worker, in batch mode, in this process) runs the
tasks that are due. "Time passes" moves a source's `next_run_at` and the task it deferred into
the past. Between runs the second instance changes through its own `manage.py shell -c`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from sdg87.harvest.models import (
    HarvestedRecord,
    HarvestRun,
    HarvestSource,
    Outcome,
    RunStatus,
    SourceKind,
)
from sdg87.harvest.services import (
    harvest_source_create,
    harvest_source_pause,
    harvest_source_resume,
)
from sdg87.harvest.tests.second_instance import SecondInstance, start_second_instance

pytestmark = pytest.mark.live

CHANGE = """
from django.contrib.auth import get_user_model
from sdg87.catalog.models import Dataset
from sdg87.catalog.services import datasets, distributions, review

admin = get_user_model().objects.get(username="zz-second-admin")
renamed = Dataset.objects.get(slug="zz-renamed")
datasets.dataset_update(actor=admin, dataset=renamed, data={"title": "Renamed at the second"})
review.dataset_unpublish(actor=admin, dataset=Dataset.objects.get(slug="zz-withdrawn"))
d = datasets.dataset_create(
    actor=admin, publisher=renamed.publisher, title="Second instance zz-new", slug="zz-new",
    description="Synthetic test record", keywords=["zz-new"], frequency="irregular",
)
distributions.distribution_add_link(
    actor=admin, dataset=d, url="https://example.org/zz-new.csv", title="zz-new", format="CSV"
)
d = review.dataset_submit(actor=admin, dataset=d)
d = review.dataset_approve(actor=admin, dataset=d)
review.dataset_publish(actor=admin, dataset=d)
print(Dataset.objects.filter(live=True, visibility="public").count())
"""


@pytest.fixture
def second(
    bundled_data: None, tmp_path: Path, pytestconfig: pytest.Config
) -> Iterator[SecondInstance]:
    yield from start_second_instance(tmp_path, pytestconfig)


@pytest.fixture
def worker_backend(settings: Any) -> None:
    """The production task backend (the database queue) and loopback harvesting allowed."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.SDG87_HARVEST_ALLOW_PRIVATE = True
    settings.SDG87_HARVEST_TIMEOUT = 60


def work_off() -> None:
    """What `manage.py db_worker --batch` does: run every task that is due, then stop."""
    Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="harvest-test",
        excluded_queue_names=[],
    ).run()


def time_passes(*sources: HarvestSource) -> None:
    """The sources' next runs come due, and so does every task deferred until then."""
    now = timezone.now()
    past = now - timedelta(seconds=1)
    HarvestSource.objects.filter(pk__in=[s.pk for s in sources]).update(next_run_at=past)
    DBTaskResult.objects.filter(status="READY", run_after__gt=now).update(run_after=past)


def counts(run: HarvestRun) -> tuple[int, int, int, int, int]:
    return (run.created, run.updated, run.unchanged, run.removed, run.failed)


def test_second_instance_harvested_on_schedule(
    transactional_db: None,
    second: SecondInstance,
    worker_backend: None,
    client: Any,
    settings: Any,
) -> None:
    """Run 1 (the first slot, by the worker): CKAN creates the 3 datasets of the second
    instance's ministry, DCAT every public dataset it lists (the bundled ones too), SDMX the
    8.7.1 dataflow; each run defers the next to its schedule, and the editors get one report
    mail per run, not the catalog's three mails per dataset. After the second instance renames
    one, withdraws one and publishes a new one, the next CKAN slot reports 1 created, 1
    updated, 1 unchanged, 1 removed; the SDMX slot reports it unchanged; the paused DCAT
    source is not run when due, and runs once resumed. With the second instance frozen (it
    accepts the connection and answers nothing), the next SDMX slot fails with the timeout
    and one report mail. The editor pages show the reports."""
    from django.contrib.auth import get_user_model

    from sdg87.orgs.models import Role
    from sdg87.orgs.services import membership_set, organisation_upsert

    users = get_user_model().objects
    editor = users.create_user("zz-harvester", "harvester@example.org", "pw-123-abc")
    admin = users.create_user("zz-harvest-admin", "hadmin@example.org", "pw-123-abc")
    org = organisation_upsert(slug="zz-mirror", name="ZZ mirror (test)", type="ngo")
    membership_set(user=editor, organisation=org, role=Role.EDITOR)
    membership_set(user=admin, organisation=org, role=Role.ADMIN)
    mail.outbox.clear()
    base = second.url

    def register(name: str, kind: str, url: str, schedule: str, fq: str = "") -> HarvestSource:
        return harvest_source_create(
            actor=editor,
            organisation=org,
            name=name,
            kind=kind,
            url=url,
            schedule=schedule,
            remote_filter=fq,
            default_licence="CC-BY-4.0",
        )

    ckan = register(
        "Second CKAN", SourceKind.CKAN, f"{base}/api/3/action/", "hourly",
        "organization:zz-second-ministry",
    )  # fmt: skip
    dcat = register("Second DCAT", SourceKind.DCAT, f"{base}/catalog.ttl", "daily")
    sdmx = register(
        "Second SDMX", SourceKind.SDMX, f"{base}/sdmx/dataflow/SDG87/SDG_8_7_1/latest", "weekly"
    )
    assert not HarvestRun.objects.exists()  # queued for the worker, nothing run yet

    started = timezone.now()
    work_off()
    run1 = {s.name: s.runs.get() for s in (ckan, dcat, sdmx)}
    for run in run1.values():
        assert run.status == RunStatus.SUCCEEDED, (run.source.name, run.error)
    assert counts(run1["Second CKAN"]) == (3, 0, 0, 0, 0)
    titles = sorted(run1["Second CKAN"].items.values_list("title", flat=True))
    assert titles == [f"Second instance zz-{s}" for s in ("renamed", "steady", "withdrawn")]
    listed = run1["Second DCAT"].created
    assert listed >= 3 and counts(run1["Second DCAT"]) == (listed, 0, 0, 0, 0)
    assert counts(run1["Second SDMX"]) == (1, 0, 0, 0, 0)
    copy = HarvestedRecord.objects.get(source=ckan, dataset__title__endswith="zz-steady").dataset
    assert copy.publisher == org and copy.live and copy.licence == "CC-BY-4.0"
    assert copy.harvested_record.original_url == f"{base}/dataset/zz-steady"

    # Each run moved its slot one interval on and deferred the next run to it.
    intervals = {
        ckan.pk: timedelta(hours=1),
        dcat.pk: timedelta(days=1),
        sdmx.pk: timedelta(weeks=1),
    }
    deferred = {
        tuple(task.args_kwargs["args"]): task.run_after
        for task in DBTaskResult.objects.filter(status="READY", task_path__endswith="_run_task")
    }
    for source in HarvestSource.objects.filter(pk__in=intervals):
        assert source.next_run_at is not None
        assert started + intervals[source.pk] <= source.next_run_at
        assert source.next_run_at <= timezone.now() + intervals[source.pk]
        assert deferred[(source.pk, False)] == source.next_run_at

    # One report per run to each of the two editors, none of the catalog's per-dataset mails.
    created = sum(run.created for run in run1.values())
    subjects = sorted(m.subject for m in mail.outbox)
    assert subjects == sorted(
        f"Harvest report: {name}" for name in run1 for _recipient in (editor, admin)
    ), f"{len(subjects)} mails for {created} datasets"

    # The second instance changes between runs.
    public = int(second.shell(CHANGE).strip().splitlines()[-1])
    assert public == listed  # one withdrawn, one new

    harvest_source_pause(actor=editor, source=dcat)
    mail.outbox.clear()
    time_passes(ckan, dcat, sdmx)
    work_off()
    assert dcat.runs.count() == 1  # paused: its slot came and went
    run2 = ckan.runs.order_by("-pk").first()
    assert run2 is not None and run2.pk != run1["Second CKAN"].pk
    assert run2.status == RunStatus.SUCCEEDED, run2.error
    assert counts(run2) == (1, 1, 1, 1, 0)
    outcomes = {item.outcome: item.title for item in run2.items.all()}
    assert outcomes == {
        Outcome.CREATED: "Second instance zz-new",
        Outcome.UPDATED: "Renamed at the second",
        Outcome.UNCHANGED: "Second instance zz-steady",
        Outcome.REMOVED: "Second instance zz-withdrawn",
    }
    gone = HarvestedRecord.objects.get(source=ckan, dataset__title__endswith="zz-withdrawn")
    assert gone.removed_at is not None and not gone.dataset.live
    sdmx_run2 = sdmx.runs.order_by("-pk").first()
    assert sdmx_run2 is not None and counts(sdmx_run2) == (0, 0, 1, 0, 0)
    assert sorted(m.subject for m in mail.outbox) == ["Harvest report: Second CKAN"] * 2

    harvest_source_resume(actor=editor, source=dcat)  # overdue: runs at once
    work_off()
    dcat_run2 = dcat.runs.order_by("-pk").first()
    assert dcat_run2 is not None and dcat.runs.count() == 2
    assert counts(dcat_run2) == (1, 1, listed - 2, 1, 0), dcat_run2.error

    # The second instance hangs: the SDMX slot fails after the timeout, writing nothing.
    settings.SDG87_HARVEST_TIMEOUT = 2
    mail.outbox.clear()
    second.freeze()
    try:
        time_passes(sdmx)
        work_off()
    finally:
        second.freeze(False)
    hung = sdmx.runs.order_by("-pk").first()
    assert hung is not None and hung.status == RunStatus.FAILED
    assert "no answer within 2 s" in hung.error or "took longer" in hung.error, hung.error
    assert counts(hung) == (0, 0, 0, 0, 0)
    assert sorted(m.subject for m in mail.outbox) == ["Harvest report: Second SDMX"] * 2
    assert HarvestedRecord.objects.get(source=sdmx).removed_at is None

    client.force_login(editor)
    page = client.get(ckan.get_absolute_url())
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count("<td>Succeeded</td>") == 2
    row = "<td>3</td><td>1</td><td>1</td><td>1</td><td>1</td><td>0</td><td>0</td>"  # run 2
    assert row in re.sub(r"\s+", "", html)
    report = client.get(run2.get_absolute_url()).content.decode()
    for title in outcomes.values():
        assert title in report
    page = client.get(sdmx.get_absolute_url()).content.decode()
    assert "Failed: no answer within 2 s" in page or "Failed: the answer took" in page
