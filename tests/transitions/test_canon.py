"""The local canon of songs, stories and rhymes (Randers): the administrator keeps the list, the groups
mark what they use, the families read the words of their child's groups, and the receiving school
counts how many of its new children know each one, never by name."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests import factories as f
from tests.transitions.conftest import request_by, school_start
from transitions import services as transition_services
from transitions.forms_canon import CanonItemForm
from transitions.models import CanonItem, CanonUse, Transition
from transitions.selectors import canon as selectors
from transitions.services import canon as services

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate
SONG, STORY, RHYME = CanonItem.Kind.SONG, CanonItem.Kind.STORY, CanonItem.Kind.RHYME
MESTER_JAKOB = "Mester Jakob, Mester Jakob,\nsover du? Sover du?"


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def item(municipality, title="Mester Jakob", *, kind=SONG, text=MESTER_JAKOB, link="", **extra):
    return services.canon_item_create(
        municipality=municipality,
        kind=kind,
        title=title,
        text=text,
        link=link,
        age_band=extra.pop("age_band", CanonItem.AgeBand.NURSERY),
    )


def mark(cast, it, group=None, *, days_ago=100, by=None):
    return services.canon_use_mark(
        group=group or cast.mariehonen,
        item=it,
        user=by or cast.carla,
        since=TODAY() - timedelta(days=days_ago),
    )


def arriving(cast, child, *, group=None):
    """A child of Solsikken whose handover has been sent to the school (a place there after the summer)."""
    f.EnrollmentFactory(child=child, group=group or cast.class_1a, started_on=school_start())
    transition = transition_services.transition_create(
        request=request_by(cast.carla),
        child=child,
        enrollment=child.enrollments.get(institution=cast.solsikken),
        kind=Transition.Kind.DAYCARE_TO_SCHOOL,
        receiving_institution=cast.school,
        receiving_group=group or cast.class_1a,
        planned_on=school_start(),
    )
    Transition.objects.filter(pk=transition.pk).update(status=Transition.Status.SENT)
    return transition


def counts(user, **kwargs):
    return {i.title: i.known for s in selectors.incoming_canon(user, **kwargs) for i in s.items}


# --- services -----------------------------------------------------------------------------------------
def test_canon_item_create_puts_the_item_last_of_its_kind_with_trimmed_words(cast):
    first = item(cast.aarhus)
    second = item(cast.aarhus, "  Jens Vejmand ", text="  ")
    story = item(cast.aarhus, "Prinsessen på ærten", kind=STORY, text="")
    assert (first.position, second.position, story.position) == (1, 2, 1)
    assert (second.title, second.text) == ("Jens Vejmand", "")


def test_the_same_title_twice_in_a_kind_is_refused_and_nothing_is_written(cast):
    item(cast.aarhus)
    with pytest.raises(ValidationError) as refused:
        item(cast.aarhus)
    assert "title" in refused.value.error_dict
    assert CanonItem.objects.count() == 1
    item(cast.aarhus, kind=RHYME)  # another kind may have the title
    item(cast.other)  # and another municipality
    assert CanonItem.objects.count() == 3


@pytest.mark.parametrize(
    "link", ["javascript:alert(1)", "data:text/html,hi", "file:///etc/passwd", "ftp://x.dk/a"]
)
def test_a_link_that_is_not_a_web_address_is_refused(cast, link):
    with pytest.raises(ValidationError):
        item(cast.aarhus, link=link)
    form = CanonItemForm(
        {"kind": SONG, "title": "Mester Jakob", "age_band": CanonItem.AgeBand.NURSERY, "link": link}
    )
    assert not form.is_valid() and "link" in form.errors
    assert not CanonItem.objects.exists()


def test_the_form_reads_a_web_address_without_its_scheme_as_https():
    form = CanonItemForm(
        {"kind": STORY, "title": "Fyrtøjet", "age_band": "kindergarten", "link": "HTTPS://hcandersen.dk/x"}
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["link"] == "https://hcandersen.dk/x"
    form = CanonItemForm({"kind": STORY, "title": "Fyrtøjet", "age_band": "kindergarten", "link": "kb.dk"})
    assert form.is_valid() and form.cleaned_data["link"] == "https://kb.dk"


def test_canon_item_update_changes_the_words_and_keeps_the_groups_using_it(cast):
    song = item(cast.aarhus)
    mark(cast, song)
    services.canon_item_update(
        item=song,
        kind=SONG,
        title="Mester Jakob ",
        text="Ny tekst",
        link="https://kb.dk",
        age_band="nursery",
        position=7,
    )
    song.refresh_from_db()
    assert (song.title, song.text, song.link, song.position) == (
        "Mester Jakob",
        "Ny tekst",
        "https://kb.dk",
        7,
    )
    assert CanonUse.objects.get().item == song


def test_marking_is_idempotent_one_row_per_group_and_item(cast):
    song = item(cast.aarhus)
    first = mark(cast, song)
    again = mark(cast, song)
    assert first.pk == again.pk and CanonUse.objects.count() == 1
    corrected = mark(cast, song, days_ago=300)
    assert corrected.since == TODAY() - timedelta(days=300) and CanonUse.objects.count() == 1


def test_marking_refuses_a_future_date_another_municipalitys_item_and_a_retired_item(cast):
    song = item(cast.aarhus)
    with pytest.raises(ValidationError):
        mark(cast, song, days_ago=-1)
    with pytest.raises(ValidationError):
        mark(cast, item(cast.other))
    services.canon_item_retire(item=song, retired=True)
    with pytest.raises(ValidationError):
        mark(cast, song)
    assert not CanonUse.objects.exists()


def test_unmarking_keeps_the_use_for_the_children_who_were_there_and_marking_again_keeps_the_first_date(cast):
    song = item(cast.aarhus)
    mark(cast, song, days_ago=100)
    services.canon_use_unmark(group=cast.mariehonen, item=song)
    use = CanonUse.objects.get()
    assert use.ended_on == TODAY() and not use.in_use
    services.canon_use_unmark(group=cast.mariehonen, item=song)  # idempotent
    assert CanonUse.objects.get().ended_on == TODAY()
    mark(cast, song, days_ago=0)
    use = CanonUse.objects.get()
    assert use.in_use and use.since == TODAY() - timedelta(days=100)


def test_unmarking_a_mark_made_today_removes_it(cast):
    song = item(cast.aarhus)
    mark(cast, song, days_ago=0)
    services.canon_use_unmark(group=cast.mariehonen, item=song)
    assert not CanonUse.objects.exists()


def test_a_retired_item_stays_with_the_groups_that_use_it_and_can_be_taken_back(cast):
    song = item(cast.aarhus)
    mark(cast, song)
    services.canon_item_retire(item=song, retired=True)
    services.canon_item_retire(item=song, retired=True)  # idempotent
    assert song.is_retired and CanonUse.objects.get().in_use
    mark(cast, song)  # still in use: nothing changes
    services.canon_item_retire(item=song, retired=False)
    song.refresh_from_db()
    assert not song.is_retired


# --- selectors ------------------------------------------------------------------------------------------
def test_a_child_knows_the_items_of_their_groups_now_and_earlier_while_they_were_there(cast):
    today = TODAY()
    nursery = f.GroupFactory(institution=cast.solsikken, name="Sommerfuglen")
    f.EnrollmentFactory(
        child=cast.emil,
        group=nursery,
        started_on=today - timedelta(days=900),
        ended_on=today - timedelta(days=201),
    )
    cast.emil.enrollments.filter(group=cast.mariehonen).update(started_on=today - timedelta(days=200))
    jakob, peter, bro, late = (
        item(cast.aarhus, t) for t in ("Mester Jakob", "Lille Peter", "Bro bro", "Sent")
    )
    ended = item(cast.aarhus, "Sluttet", kind=RHYME)
    mark(cast, jakob, nursery, days_ago=800)  # Emil was there
    mark(cast, peter)  # his group now
    mark(cast, bro, nursery, days_ago=800)
    mark(cast, bro)  # both groups: one entry, two places
    mark(cast, late, nursery, days_ago=100)  # began after Emil left Sommerfuglen
    CanonUse.objects.create(
        group=cast.mariehonen,
        item=ended,
        since=today - timedelta(days=400),
        ended_on=today - timedelta(days=300),
    )
    mark(cast, item(cast.aarhus, "Bien synger"), cast.bien)  # not Emil's group
    mark(cast, item(cast.other, "Søvej"), cast.other_group)  # another municipality

    sections = selectors.child_canon(cast.emil)
    assert [s.kind for s in sections] == [SONG]
    entries = {e.item.title: e for e in sections[0].items}
    assert list(entries) == ["Mester Jakob", "Lille Peter", "Bro bro"]
    assert entries["Bro bro"].places == [
        "Sommerfuglen, Børnehuset Solsikken", "Mariehønen, Børnehuset Solsikken"
    ]  # fmt: skip
    assert not entries["Mester Jakob"].now and entries["Lille Peter"].now


def test_the_items_are_grouped_songs_stories_rhymes_in_the_administrators_order(cast):
    rhyme = item(cast.aarhus, "Ride ranke", kind=RHYME)
    story = item(cast.aarhus, "Fyrtøjet", kind=STORY)
    b = item(cast.aarhus, "B-sang")
    a = item(cast.aarhus, "A-sang")
    services.canon_item_update(
        item=a, kind=SONG, title="A-sang", text="", link="", age_band="nursery", position=9
    )
    sections = selectors.by_kind(selectors.canon_admin_items(cast.aarhus))
    assert [[i.pk for i in s.items] for s in sections] == [[b.pk, a.pk], [story.pk], [rhyme.pk]]


def test_the_school_counts_the_incoming_children_who_know_each_item_and_no_one_else(cast):
    jakob, peter = item(cast.aarhus), item(cast.aarhus, "Lille Peter")
    item(cast.aarhus, "Ingen")  # known by nobody
    retired_unknown = item(cast.aarhus, "Gammel", kind=RHYME)
    services.canon_item_retire(item=retired_unknown, retired=True)
    mark(cast, jakob)
    mark(cast, peter, cast.bien)
    alma = f.ChildFactory(municipality=cast.aarhus, first_name="Alma")
    f.EnrollmentFactory(child=alma, group=cast.mariehonen)
    for child in (cast.emil, alma):
        arriving(cast, child)
    # Ida (Bien) is not moving: her group's song is known by nobody starting at the school.
    assert counts(cast.dorte) == {"Mester Jakob": 2, "Lille Peter": 0, "Ingen": 0}
    assert {c.pk for c in selectors.incoming_canon_children(cast.dorte)} == {cast.emil.pk, alma.pk}
    assert counts(cast.carla) == {"Mester Jakob": 0, "Lille Peter": 0, "Ingen": 0}  # she receives nobody
    assert selectors.incoming_canon_children(cast.carla) == []


def test_a_retired_item_counts_when_a_new_child_knows_it(cast):
    song = item(cast.aarhus)
    mark(cast, song)
    services.canon_item_retire(item=song, retired=True)
    arriving(cast, cast.emil)
    assert counts(cast.dorte) == {"Mester Jakob": 1}


def test_the_counts_can_be_narrowed_to_the_children_starting_in_one_class(cast):
    class_0a = f.GroupFactory(institution=cast.school, name="0.A", school_year=0)
    song = item(cast.aarhus)
    mark(cast, song)
    alma = f.ChildFactory(municipality=cast.aarhus, first_name="Alma")
    f.EnrollmentFactory(child=alma, group=cast.mariehonen)
    arriving(cast, cast.emil)
    arriving(cast, alma, group=class_0a)
    assert counts(cast.dorte) == {"Mester Jakob": 2}
    assert counts(cast.dorte, group_id=class_0a.pk) == {"Mester Jakob": 1}
    assert {g.name for g in selectors.incoming_groups(cast.dorte)} == {"1.A", "0.A"}


def test_a_use_that_ended_before_the_child_came_does_not_count(cast):
    song = item(cast.aarhus)
    today = TODAY()
    CanonUse.objects.create(
        group=cast.mariehonen,
        item=song,
        since=today - timedelta(days=900),
        ended_on=today - timedelta(days=300),
    )
    arriving(cast, cast.emil)  # in Mariehønen for the last 200 days
    assert counts(cast.dorte) == {"Mester Jakob": 0}


# --- demo data ----------------------------------------------------------------------------------------
def test_the_small_demo_gives_emils_groups_the_classics_once(settings):
    import io

    from django.core.management import call_command

    from children.models import Child

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_demo", stdout=io.StringIO())
    emil = Child.objects.get(first_name="Emil", last_name="Jensen")
    titles = {e.item.title for s in selectors.child_canon(emil) for e in s.items}
    assert {"Mester Jakob", "Se min kjole", "Lille Peter Edderkop", "Prinsessen på ærten"} <= titles
    counted = (CanonItem.objects.count(), CanonUse.objects.count())
    assert counted[0] == 2 * 9 and counted[1] > 7
    call_command("seed_demo", stdout=io.StringIO())
    assert (CanonItem.objects.count(), CanonUse.objects.count()) == counted
    assert not CanonItem.objects.exclude(link="").exclude(link__startswith="https://").exists()
