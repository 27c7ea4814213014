"""The cards of the homes' to-do lists, written in Python: what each says about its deadline in each
language, the overdue badge, the one button described by its heading, everything escaped."""

from datetime import datetime, timedelta

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from portal.todos import Todo

CARDS = Template("{% load todo_cards %}{% todo_cards todos 3 %}")
WEDNESDAY = timezone.make_aware(datetime(2030, 12, 18, 14, 30))


def _cards(todos, language):
    with translation.override(language):
        return CARDS.render(Context({"todos": todos}))


@pytest.mark.parametrize(
    ("language", "meeting", "by_time", "by_day"),
    [
        (
            "da",
            "onsdag 18. december kl. 14:30",
            "Senest onsdag 18. december kl. 14:30",
            "Senest onsdag 18. december",
        ),
        (
            "en",
            "Wednesday 18. December at 14:30",
            "By Wednesday 18. December at 14:30",
            "By Wednesday 18. December",
        ),
    ],
)
def test_each_deadline_reads_in_the_readers_language(language, meeting, by_time, by_day):
    html = _cards(
        [
            Todo(kind="meeting", title="Samtale", url="/m/1/", action="Se", deadline=WEDNESDAY),
            Todo(kind="booking", title="Book", url="/b/1/", action="Book", deadline=WEDNESDAY),
            Todo(kind="agreement", title="Svar", url="/a/1/", action="Svar", deadline=WEDNESDAY.date()),
        ],
        language,
    )
    for text in (meeting, by_time, by_day):
        assert f"<p>{text}</p>" in html


def test_a_card_has_its_heading_note_badge_and_one_described_button():
    late = timezone.localdate() - timedelta(days=2)
    html = _cards(
        [
            Todo(
                kind="agreement",
                title="Svar <nu>",
                url="/a/1/?x=1&y=2",
                action="Læs & svar",
                deadline=late,
                note="Bien",
            ),
            Todo(kind="goal", title="Mål", url="/g/2/", action="Åbn"),
        ],
        "da",
    )
    first, second = html.split("</li>")[:2]
    assert '<h3 class="card-heading h4" id="todo-1">Svar &lt;nu&gt;</h3>' in first
    assert '<p class="card-subheading">Bien</p>' in first
    assert 'class="badge badge-warning"' in first
    assert 'href="/a/1/?x=1&amp;y=2" aria-describedby="todo-1">Læs &amp; svar</a>' in first
    assert 'id="todo-2">Mål</h3>' in second
    assert (
        "card-subheading" not in second
        and "badge" not in second
        and "<p>" not in second.split("portal-actions")[0]
    )
