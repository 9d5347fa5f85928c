"""The postulate table's rows, written in Python (archive.postulate_row), are byte for byte
what the template's loop wrote: with and without the source column, in both languages, in
a staff preview, for every kind of row."""

import datetime

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation

from core.publishing import Status
from postulates.models import Postulate
from postulates.views import PostulateListView
from tests.factories import (
    ArchiveYearFactory,
    MeetingFactory,
    OrganisationFactory,
    PositionFactory,
    PostulateFactory,
    PostulateLinkFactory,
    RoundFactory,
)

pytestmark = pytest.mark.django_db

LABELS = (
    '{% translate "Nr" context "number of a postulate" as label_number %}'
    '{% translate "Postulat" as label_postulate %}'
    '{% translate "Gdzie i kiedy zgłoszony" as label_where %}'
    '{% translate "Zgłaszający" as label_submitter %}'
    '{% translate "Stanowisko" as label_position %}'
)
# The loop as postulates/_postulate_table.html held it before the rows were written in Python.
TEMPLATE_ROWS = """    {% for postulate in postulates %}
    <tr>
      <td data-label="{% translate "Nr" context "number of a postulate" %}">{{ postulate.number }}</td>
      {# Paper gets the whole postulate: a printout cannot follow the link to the rest. #}
      <td data-label="{% translate "Postulat" %}">{% with short=postulate.content|truncatewords:30 %}<a href="{{ postulate.get_absolute_url }}">{% if short|slice:"-1:" == "…" %}<span class="screen-only">{{ short|pl }}</span><span class="print-only">{{ postulate.content|pl }}</span>{% else %}{{ postulate.content|pl }}{% endif %}</a>{% endwith %}{% include "postulates/_history_marker.html" %}{% if preview and postulate.draft_label %} <span class="draft-label">{{ postulate.draft_label }}</span>{% endif %}</td>
      {% if show_source %}<td data-label="{% translate "Gdzie i kiedy zgłoszony" %}">{% with source=postulate.raised_at %}<a href="{{ source.get_absolute_url }}">{{ source.title|pl }}</a>{% if postulate.meeting_id and postulate.meeting.starts_on %}<br><time class="meta" datetime="{{ postulate.meeting.starts_on|date:'Y-m-d' }}">{{ postulate.meeting.starts_on|date:"j E Y" }}</time>{% endif %}{% endwith %}</td>{% endif %}
      <td data-label="{% translate "Zgłaszający" %}">{% if postulate.organisation.is_public_as_named %}{{ postulate.organisation.name|pl }}{% else %}{% translate "nie podano" %}{% endif %}</td>
      <td data-label="{% translate "Stanowisko" %}">{% for position in postulate.positions.all %}<span class="outcome outcome-{{ position.outcome.category }}">{{ position.outcome|named }}</span>{% if preview and position.draft_label %} <span class="draft-label">{{ position.draft_label }}</span>{% endif %}{% if position.justification %}<div class="print-only justification">{{ position.justification|rich_text }}</div>{% endif %}{% if forloop.last %}{% include "postulates/_follow_up.html" with answer=position %}{% else %}<br>{% endif %}{% empty %}{% translate "brak stanowiska" %}{% endfor %}</td>
    </tr>
    {% endfor %}"""
PYTHON_ROWS = (
    "    {% for postulate in postulates %}{% postulate_row postulate show_source %}{% endfor %}"
)


def listed_postulates():
    """The postulates as the list's view reads them (annotations and prefetches)."""
    view = PostulateListView()
    view.setup(RequestFactory().get("/postulaty/"))
    return list(view.base_queryset().order_by("pk"))


@pytest.fixture
def rows():
    long_text = "Słowo, " * 40 + "<b>& koniec</b>"
    hidden = OrganisationFactory(status=Status.DRAFT)
    meeting = MeetingFactory(year=ArchiveYearFactory(year=2024), dates=[datetime.date(2024, 5, 3)])
    undated = MeetingFactory(year=ArchiveYearFactory(year=2025), dates=[])
    round_ = RoundFactory(year=ArchiveYearFactory(year=2025))
    plain = PostulateFactory(meeting=meeting, content="Krótki postulat")
    long = PostulateFactory(meeting=undated, content=long_text, organisation=hidden)
    at_round = PostulateFactory(meeting=None, round=round_, organisation=None)
    PostulateLinkFactory(from_postulate=plain, to_postulate=long)
    PositionFactory(postulate=plain, justification="**Tak**, z [linkiem](https://example.org).")
    PositionFactory(
        postulate=plain,
        justification="",
        commitment="Konkurs na lokale.",
        commitment_due_on=datetime.date(2020, 1, 1),
    )
    PositionFactory(postulate=long, status=Status.DRAFT)
    Postulate.objects.filter(pk=at_round.pk).update(status=Status.DRAFT)
    return listed_postulates


@pytest.mark.parametrize("language", ["pl", "en"])
@pytest.mark.parametrize("show_source", [True, False])
@pytest.mark.parametrize("preview", [False, True])
def test_rows_are_what_the_template_wrote(rows, language, show_source, preview):
    postulates = rows()
    assert len(postulates) >= 2
    context = {"postulates": postulates, "show_source": show_source, "preview": preview}
    with translation.override(language):
        before = Template("{% load i18n archive %}" + LABELS + TEMPLATE_ROWS).render(
            Context(context)
        )
        after = Template("{% load i18n archive %}" + LABELS + PYTHON_ROWS).render(Context(context))
    for shown in ("history-marker", "commitment-po-terminie", "screen-only", "justification"):
        assert shown in before
    assert after == before
