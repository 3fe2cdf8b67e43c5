"""The retention job on a real Celery worker, and two runs at the same time. Rows are committed: the worker and
the threads read them over their own connections. Files go to the project's private storage, which the worker
shares."""

import threading

import pytest
from django.core.files.storage import storages
from django.db import connection

from accounts.roles import Role
from casework.letters import letter_render
from casework.models import Case, CaseEvent, CaseFile, Letter
from casework.services import single_competent_authority
from nrm.celery import PERIODIC_JOBS
from privacy.models import AnonymisedReferral, RetentionPolicy, RetentionRun
from privacy.services import retention_apply
from privacy.tasks import retention_apply_task
from referrals.models import EvidenceFile
from tests.casework.factories import case_in_state, staff_of
from tests.privacy.conftest import age_case, person_with_everything, rows_mentioning


@pytest.fixture
def committed_staff(transactional_db, project_data):
    authority = single_competent_authority()
    return staff_of(authority), staff_of(authority, Role.MANAGER)


def stored_names() -> list[str]:
    names = []
    for model in (EvidenceFile, CaseFile, Letter):
        names += [name for name in model.objects.values_list("file", flat=True) if name]
    return names


def test_the_daily_job_is_declared_once_and_points_at_the_task():
    jobs = [job for job in PERIODIC_JOBS.values() if job["task"] == "privacy.tasks.retention_apply_task"]
    assert len(jobs) == 1
    assert retention_apply_task.name == "privacy.tasks.retention_apply_task"


@pytest.mark.worker
def test_the_job_on_a_real_worker_anonymises_what_is_due_and_deletes_its_files_once(
    committed_staff, celery_worker_process
):
    caseworker, manager = committed_staff
    storage = storages["private"]
    person = person_with_everything("Jane Doe", caseworker=caseworker, manager=manager, storage=storage)
    young = case_in_state(Case.Status.RG_NEGATIVE_SERVED, caseworker=caseworker, manager=manager)
    age_case(person.case)
    for letter in Letter.objects.filter(file=""):  # not waiting for the render tasks: the job is what is tested
        letter_render(letter_id=letter.pk)
    names = stored_names()
    young_letter = Letter.objects.get(decision__case=young).file.name
    assert len(names) == 6
    assert all(storage.exists(name) for name in names)

    retention_apply_task.delay()
    first = celery_worker_process.wait_until(lambda: RetentionRun.objects.filter(finished_at__isnull=False).first())

    assert first.counts["cases_anonymised"] == 1
    assert (first.trigger, first.dry_run) == (RetentionRun.Trigger.JOB, False)
    assert rows_mentioning(person.marker) == {}
    assert [name for name in names if storage.exists(name)] == [young_letter]
    assert Case.objects.filter(pk=young.pk, events__kind=CaseEvent.Kind.ANONYMISED).count() == 0

    retention_apply_task.delay()
    second = celery_worker_process.wait_until(
        lambda: RetentionRun.objects.filter(finished_at__isnull=False).exclude(pk=first.pk).first()
    )
    assert second.counts["cases_anonymised"] == 0
    assert CaseEvent.objects.filter(case=person.case, kind=CaseEvent.Kind.ANONYMISED).count() == 1
    storage.delete(young_letter)


def test_two_runs_at_the_same_time_remove_each_case_once(committed_staff):
    caseworker, manager = committed_staff
    cases = [case_in_state(Case.Status.RG_NEGATIVE_SERVED, caseworker=caseworker, manager=manager) for _ in range(8)]
    for case in cases:
        age_case(case)
    start = threading.Barrier(2)
    outcomes, errors = [], []

    def one_run():
        try:
            start.wait(timeout=10)
            outcomes.append(retention_apply())
        except Exception as error:  # surfaced below: a thread's exception would otherwise vanish
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=one_run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert sum(outcome.counts["cases_anonymised"] for outcome in outcomes) == len(cases)
    assert AnonymisedReferral.objects.count() == len(cases)
    for case in cases:
        assert CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.ANONYMISED).count() == 1
    assert RetentionPolicy.current().closed_case_action == RetentionPolicy.Action.ANONYMISE


def test_two_deleting_runs_at_the_same_time_delete_each_case_once(committed_staff):
    caseworker, manager = committed_staff
    RetentionPolicy.objects.update(closed_case_action=RetentionPolicy.Action.DELETE)
    cases = [case_in_state(Case.Status.RG_NEGATIVE_SERVED, caseworker=caseworker, manager=manager) for _ in range(8)]
    for case in cases:
        age_case(case)
    start = threading.Barrier(2)
    outcomes, errors = [], []

    def one_run():
        try:
            start.wait(timeout=10)
            outcomes.append(retention_apply())
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=one_run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert sum(outcome.counts["cases_deleted"] for outcome in outcomes) == len(cases)
    assert not Case.objects.filter(pk__in=[case.pk for case in cases]).exists()
