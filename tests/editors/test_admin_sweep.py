"""Every admin URL, tried by one department's editor against every record of another
department: each answer is a refusal (403, 404 or a redirect away), none shows the record,
and nothing in the database changes."""

import pytest
import reversion
from django.apps import apps
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse
from reversion.models import Version

from core.admin import chosen_beyond_department
from core.ownership import is_owned
from tests.factories import (
    DocumentFactory,
    MeetingFactory,
    PositionFactory,
    PostulateFactory,
    RoundFactory,
)

pytestmark = pytest.mark.django_db

MARK = "Spotkanie sportu"  # in every text of the other department's records (conftest.world)
ARCHIVE_APPS = ("meetings", "postulates", "departments", "organisations", "programmes")


def snapshot():
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values())
        for app_label in ARCHIVE_APPS
        for model in apps.get_app_config(app_label).get_models()
    }


@pytest.fixture
def others_records(world):
    """Every owned record of the sport department, each with a version in the history."""
    sport_round = RoundFactory(title=f"Cykl: {MARK}", coordinator=world["sport"])
    round_document = DocumentFactory(meeting=None, round=sport_round, title=f"Stanowisko: {MARK}")
    round_postulate = PostulateFactory(
        meeting=None, round=sport_round, number=1, content=f"Postulat cyklu: {MARK}"
    )
    # On a meeting both departments hold, the answer the sport department gave is theirs.
    joint_meeting = MeetingFactory(
        title="Wspólne spotkanie", departments=[world["culture"], world["sport"]]
    )
    joint_answer = PositionFactory(
        postulate=PostulateFactory(meeting=joint_meeting, number=1, content="Wspólny postulat"),
        department=world["sport"],
        justification=f"Odpowiedź: {MARK}",
    )
    records = [
        *world["other"].values(),
        joint_answer,
        sport_round,
        round_document,
        round_postulate,
        *world["other"]["meeting"].dates.all(),
    ]
    with reversion.create_revision():
        for record in records:
            reversion.add_to_revision(record)
    return records


def admin_urls(record):
    opts = record._meta
    prefix = f"admin:{opts.app_label}_{opts.model_name}"
    version = Version.objects.get_for_object(record).first()
    candidates = [
        ("change", [record.pk]),
        ("delete", [record.pk]),
        ("history", [record.pk]),
        ("revision", [record.pk, version.pk] if version else None),
        ("recover", [version.pk] if version else None),
        ("import_postulates", [record.pk]),
    ]
    content_type = ContentType.objects.get_for_model(record)
    urls = [reverse("admin:view_on_site", args=[content_type.pk, record.pk])]
    for view, args in candidates:
        if args is None:
            continue
        try:
            urls.append(reverse(f"{prefix}_{view}", args=args))
        except NoReverseMatch:
            continue  # the model has no such page
    return urls


def assert_refused(response, url):
    assert response.status_code in (302, 403, 404), (url, response.status_code)
    if response.status_code == 302:  # away from the record: to the admin's index or a list
        assert not response.url.startswith(url), url
    assert MARK not in response.content.decode(errors="replace"), url


def test_every_admin_page_of_another_departments_record_is_refused(world, login, others_records):
    registered = [record for record in others_records if type(record) in admin.site._registry]
    assert {type(record).__name__ for record in registered} >= {
        "Meeting",
        "Round",
        "Document",
        "Postulate",
        "Position",
    }
    before = snapshot()
    client = login("kultura")
    for record in registered:
        for url in admin_urls(record):
            assert_refused(client.get(url), url)
            assert_refused(client.post(url, {"post": "yes", "title": "Przejęte"}), url)
    assert snapshot() == before


def test_every_action_ignores_another_departments_records(
    world, login, others_records, django_user_model
):
    client = login("kultura")
    request = RequestFactory().get("/")
    request.user = django_user_model.objects.get(username="kultura")
    before = snapshot()
    for model, model_admin in admin.site._registry.items():
        if not is_owned(model):
            continue
        theirs = [record.pk for record in others_records if type(record) is model]
        if not theirs:
            continue
        changelist = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for action in model_admin.get_actions(request):
            response = client.post(
                changelist, {"action": action, "_selected_action": theirs, "post": "yes"}
            )
            assert response.status_code in (200, 302), (model, action)
            assert MARK not in response.content.decode(errors="replace"), (model, action)
    assert snapshot() == before


def test_no_autocomplete_offers_another_departments_records(world, login, others_records):
    client = login("kultura")
    checked = 0
    for model, model_admin in admin.site._registry.items():
        sources = [
            (model, model_admin),
            *((inline.model, inline) for inline in model_admin.inlines),
        ]
        for source_model, source_admin in sources:
            for field_name in getattr(source_admin, "autocomplete_fields", ()):
                target = source_model._meta.get_field(field_name).related_model
                if not is_owned(target):
                    continue
                response = client.get(
                    reverse("admin:autocomplete"),
                    {
                        "app_label": source_model._meta.app_label,
                        "model_name": source_model._meta.model_name,
                        "field_name": field_name,
                        "term": "sportu",
                    },
                )
                checked += 1
                if field_name in chosen_beyond_department(source_model):
                    # On purpose: a link may point to any department's public postulate, a
                    # meeting may join a public round another department coordinates.
                    found = {int(item["id"]) for item in response.json()["results"]}
                    assert found <= set(target.objects.published().values_list("pk", flat=True))
                elif response.status_code == 200:
                    found = {int(item["id"]) for item in response.json()["results"]}
                    theirs = {r.pk for r in others_records if isinstance(r, target)}
                    assert not found & theirs, (source_model, field_name)
                else:
                    assert response.status_code in (403, 404), (source_model, field_name)
    assert checked >= 5
