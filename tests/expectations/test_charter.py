"""The municipal charter of shared responsibility: authoring, reading, principles, and the diff."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from expectations.models import CharterItem, CharterVersion, InstitutionPrinciples, Side
from expectations.selectors.charter import charter_diff, word_diff
from expectations.services import charter as services
from tests import factories as f
from tests.queries import assert_constant_queries, warm_queries

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    """These tests read the English wording (the Danish is checked by the catalogue check)."""
    settings.LANGUAGE_CODE = "en"


S = CharterVersion.Status
TODAY = timezone.localdate()
APPROVED = {"approved_on": TODAY, "approved_by_body": "Børne- og Ungeudvalget"}


def _version(municipality, number, status=S.DRAFT, **extra):
    if status != S.DRAFT:
        extra = {**APPROVED, **extra}
    if status == S.IN_FORCE or status == S.RETIRED:
        extra.setdefault("in_force_from", TODAY)
    extra.setdefault("title", f"Charter {number}")
    return CharterVersion.objects.create(municipality=municipality, number=number, status=status, **extra)


def _item(version, title="Read aloud", side=Side.PARENTS, text="Read aloud every day.", **extra):
    return CharterItem.objects.create(version=version, side=side, title=title, text=text, **extra)


def _state():
    return (
        list(CharterVersion.objects.order_by("pk").values_list()),
        list(CharterItem.objects.order_by("pk").values_list()),
        list(InstitutionPrinciples.objects.order_by("pk").values_list()),
    )


# --------------------------------------------------------------------------------------------------
# Services
# --------------------------------------------------------------------------------------------------
def test_version_create_numbers_and_copies_the_items_in_force(cast):
    in_force = _version(cast.aarhus, 1, S.IN_FORCE)
    _item(in_force, position=0)
    _item(in_force, "Names", side=Side.SHARED, institution_kinds=["kindergarten"], age_from_months=36)
    draft = services.charter_version_create(
        municipality=cast.aarhus, user=cast.erik, title="Next", copy_in_force=True
    )
    assert draft.number == 2 and draft.status == S.DRAFT and draft.created_by == cast.erik
    copied = list(draft.items.order_by("side", "title").values_list("side", "title", "institution_kinds"))
    assert copied == [("parents", "Read aloud", []), ("shared", "Names", ["kindergarten"])]
    empty = services.charter_version_create(municipality=cast.aarhus, user=cast.erik, title="Empty")
    assert empty.number == 3 and not empty.items.exists()
    # Numbers are per municipality.
    assert services.charter_version_create(municipality=cast.other, user=cast.olga, title="S").number == 1


def test_approve_needs_date_and_body_and_an_item(cast):
    draft = _version(cast.aarhus, 1)
    with pytest.raises(ValidationError) as e:
        services.charter_version_approve(version=draft, approved_on=None, approved_by_body="  ")
    assert set(e.value.error_dict) == {"approved_on", "approved_by_body", "__all__"}
    _item(draft)
    with pytest.raises(ValidationError):
        services.charter_version_approve(
            version=draft, approved_on=TODAY + datetime.timedelta(days=1), approved_by_body="Byrådet"
        )
    draft.refresh_from_db()
    assert draft.status == S.DRAFT
    services.charter_version_approve(version=draft, approved_on=TODAY, approved_by_body=" Byrådet ")
    draft.refresh_from_db()
    assert (draft.status, draft.approved_on, draft.approved_by_body) == (S.APPROVED, TODAY, "Byrådet")


def test_put_in_force_retires_the_previous_version(cast):
    old = _version(cast.aarhus, 1, S.IN_FORCE)
    new = _version(cast.aarhus, 2, S.APPROVED)
    skanderborg = _version(cast.other, 1, S.IN_FORCE)
    services.charter_version_put_in_force(version=new, in_force_from=TODAY)
    old.refresh_from_db()
    new.refresh_from_db()
    skanderborg.refresh_from_db()
    assert (old.status, new.status, new.in_force_from) == (S.RETIRED, S.IN_FORCE, TODAY)
    assert skanderborg.status == S.IN_FORCE
    assert CharterVersion.objects.in_force().filter(municipality=cast.aarhus).count() == 1


def test_put_in_force_only_approved_versions_on_a_sensible_date(cast):
    draft = _version(cast.aarhus, 1)
    with pytest.raises(ValidationError):
        services.charter_version_put_in_force(version=draft, in_force_from=TODAY)
    approved = _version(cast.aarhus, 2, S.APPROVED)
    for day in (TODAY - datetime.timedelta(days=1), TODAY + datetime.timedelta(days=1), None):
        with pytest.raises(ValidationError):
            services.charter_version_put_in_force(version=approved, in_force_from=day)
    approved.refresh_from_db()
    assert approved.status == S.APPROVED


@pytest.mark.parametrize("status", [S.APPROVED, S.IN_FORCE, S.RETIRED])
def test_only_drafts_are_editable(cast, status):
    version = _version(cast.aarhus, 1, status)
    item = _item(version)
    before = _state()
    calls = [
        lambda: services.charter_version_update(version=version, title="X", introduction=""),
        lambda: services.charter_item_create(version=version, side=Side.SHARED, title="X", text="Y"),
        lambda: services.charter_item_update(item=item, title="X"),
        lambda: services.charter_item_delete(item=item),
        lambda: services.charter_item_move(item=item, up=False),
        lambda: services.charter_version_approve(version=version, approved_on=TODAY, approved_by_body="B"),
    ]
    for call in calls:
        with pytest.raises(ValidationError) as e:
            call()
        assert e.value.code == "not_draft"
    assert _state() == before


def test_items_are_added_at_the_end_and_move_within_their_side(cast):
    draft = _version(cast.aarhus, 1)
    a = services.charter_item_create(version=draft, side=Side.PARENTS, title="A", text="a")
    b = services.charter_item_create(version=draft, side=Side.PARENTS, title="B", text="b")
    c = services.charter_item_create(version=draft, side=Side.SHARED, title="C", text="c")
    assert (a.position, b.position, c.position) == (0, 1, 0)
    assert services.charter_item_move(item=b, up=True)
    assert list(
        draft.items.filter(side=Side.PARENTS).order_by("position").values_list("title", flat=True)
    ) == [
        "B",
        "A",
    ]
    assert not services.charter_item_move(item=c, up=True)
    moved = services.charter_item_update(item=c, side=Side.PARENTS)
    assert (moved.side, moved.position) == (Side.PARENTS, 2)
    with pytest.raises(ValidationError):
        services.charter_item_update(item=a, age_from_months=36, age_to_months=12)


def test_principles_link_to_the_charter_in_force_and_keep_history(cast):
    in_force = _version(cast.aarhus, 1, S.IN_FORCE)
    first = services.institution_principles_adopt(
        institution=cast.solsikken, user=cast.lene, text="One", adopted_on=TODAY, adopted_by="Bestyrelsen"
    )
    second = services.institution_principles_adopt(
        institution=cast.solsikken, user=cast.lene, text="Two", adopted_on=TODAY, adopted_by="Bestyrelsen"
    )
    assert first.charter_version == in_force and second.charter_version == in_force
    assert InstitutionPrinciples.objects.filter(institution=cast.solsikken).count() == 2
    with pytest.raises(ValidationError):
        services.institution_principles_adopt(
            institution=cast.solsikken, user=cast.lene, text=" ", adopted_on=None, adopted_by=""
        )


# --------------------------------------------------------------------------------------------------
# Diff
# --------------------------------------------------------------------------------------------------
def test_word_diff_marks_inserted_and_deleted_words():
    assert word_diff("read aloud every day", "read aloud together every evening") == [
        ("equal", "read aloud"),
        ("insert", "together"),
        ("equal", "every"),
        ("delete", "day"),
        ("insert", "evening"),
    ]


def test_charter_diff_matches_items_by_side_and_heading(cast):
    old, new = _version(cast.aarhus, 1), _version(cast.aarhus, 2)
    _item(old, "Read aloud", text="Read every day.")
    _item(old, "Same", side=Side.SHARED, text="Unchanged.")
    _item(old, "Gone", side=Side.INSTITUTION, text="Removed later.")
    _item(old, "Band", text="Same text.", age_from_months=12)
    _item(new, " read  ALOUD", text="Read every evening.")
    _item(new, "Same", side=Side.SHARED, text="Unchanged.")
    _item(new, "Gone", side=Side.SHARED, text="Moved to shared.")  # another side: added there
    _item(new, "Band", text="Same text.", age_from_months=24)
    sides = {s.side: s for s in charter_diff(old.items.all(), new.items.all())}
    parents, institution, shared = sides["parents"], sides["institution"], sides["shared"]
    assert [c.old.title for c in parents.changed] == ["Read aloud", "Band"]
    assert ("delete", "day.") in parents.changed[0].words and ("insert", "evening.") in parents.changed[
        0
    ].words
    assert parents.changed[1].details_changed and parents.changed[1].words == [("equal", "Same text.")]
    assert [i.title for i in institution.removed] == ["Gone"]
    assert [i.title for i in shared.added] == ["Gone"] and shared.unchanged == 1


def test_diff_page_renders_ins_and_del(client, cast, login):
    old = _version(cast.aarhus, 1, S.RETIRED)
    new = _version(cast.aarhus, 2, S.IN_FORCE)
    _item(old, text="Read every day.")
    _item(new, text="Read every evening.")
    login(client, cast.anna, mfa=False)
    body = client.get(reverse("expectations:charter_version_diff", args=[new.pk])).content.decode()
    assert "<del" in body and "day." in body and "<ins" in body and "evening." in body
    # A bogus comparison falls back to the previous version; no 500.
    assert (
        client.get(reverse("expectations:charter_version_diff", args=[new.pk]) + "?against=x").status_code
        == 200
    )


# --------------------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------------------
def test_everyone_reads_the_charter_of_their_own_municipality(client, cast, login):
    aarhus = _version(cast.aarhus, 1, S.IN_FORCE, title="Aarhus charter")
    _item(aarhus, "Talk about the day", side=Side.SHARED)
    _version(cast.aarhus, 2, title="Secret draft")
    skanderborg = _version(cast.other, 1, S.IN_FORCE, title="Skanderborg charter")
    url = reverse("expectations:charter")
    for person, mfa in [
        (cast.anna, False),
        (cast.mikkel, False),
        (cast.bo, False),
        (cast.carla, True),
        (cast.erik, True),
    ]:
        login(client, person, mfa=mfa)
        body = client.get(url).content.decode()
        assert "Aarhus charter" in body and "Talk about the day" in body, person
        assert "Skanderborg charter" not in body and "Secret draft" not in body, person
    login(client, cast.olga)
    body = client.get(url).content.decode()
    assert "Skanderborg charter" in body and "Aarhus charter" not in body
    assert client.get(reverse("expectations:charter_version_detail", args=[aarhus.pk])).status_code == 404
    assert (
        client.get(reverse("expectations:charter_version_detail", args=[skanderborg.pk])).status_code == 200
    )


def test_a_family_in_two_municipalities_sees_both_charters(client, cast, login):
    _version(cast.aarhus, 1, S.IN_FORCE, title="Aarhus charter")
    _version(cast.other, 1, S.IN_FORCE, title="Skanderborg charter")
    f.GuardianshipFactory(child=cast.søren, user=cast.anna)
    login(client, cast.anna, mfa=False)
    body = client.get(reverse("expectations:charter")).content.decode()
    assert "Aarhus charter" in body and "Skanderborg charter" in body


def test_empty_state_without_a_charter_in_force(client, cast, login):
    _version(cast.aarhus, 1, S.APPROVED, title="Not yet")
    login(client, cast.anna, mfa=False)
    response = client.get(reverse("expectations:charter"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "has not yet put a charter" in body and "Not yet" not in body


def test_parents_read_retired_versions_but_not_drafts_or_approved(client, cast, login):
    retired = _version(cast.aarhus, 1, S.RETIRED)
    approved = _version(cast.aarhus, 2, S.APPROVED)
    draft = _version(cast.aarhus, 3)
    login(client, cast.anna, mfa=False)
    detail = "expectations:charter_version_detail"
    assert client.get(reverse(detail, args=[retired.pk])).status_code == 200
    assert client.get(reverse(detail, args=[approved.pk])).status_code == 404
    assert client.get(reverse(detail, args=[draft.pk])).status_code == 404
    assert client.get(reverse("expectations:charter_version_list")).status_code == 404


def test_anonymous_is_sent_to_login(client, cast):
    response = client.get(reverse("expectations:charter"))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


# --------------------------------------------------------------------------------------------------
# Authoring through the pages
# --------------------------------------------------------------------------------------------------
def test_admin_writes_approves_and_puts_a_charter_in_force(client, cast, login):
    old = _version(cast.aarhus, 1, S.IN_FORCE)
    _item(old)
    login(client, cast.erik)
    response = client.post(
        reverse("expectations:charter_version_create"),
        {"title": "Shared responsibility 2026", "introduction": "Why", "copy_in_force": "on"},
    )
    draft = CharterVersion.objects.get(municipality=cast.aarhus, number=2)
    assert response["Location"] == reverse("expectations:charter_version_detail", args=[draft.pk])
    assert draft.items.count() == 1
    response = client.post(
        reverse("expectations:charter_item_create", args=[draft.pk]),
        {
            "side": "shared",
            "title": "Learn the names",
            "text": "Learn the names of all the children in the group.",
            "age_from_months": "36",
            "age_to_months": "72",
            "institution_kinds": ["kindergarten", "integrated"],
        },
    )
    assert response.status_code == 302
    item = draft.items.get(title="Learn the names")
    assert item.institution_kinds == ["kindergarten", "integrated"] and item.age_to_months == 72
    page = client.get(reverse("expectations:charter_version_detail", args=[draft.pk])).content.decode()
    assert "Learn the names" in page and ("Kindergarten" in page or "Børnehave" in page)
    client.post(
        reverse("expectations:charter_version_approve", args=[draft.pk]),
        {"approved_on": TODAY.isoformat(), "approved_by_body": "Børne- og Ungeudvalget"},
    )
    client.post(
        reverse("expectations:charter_version_put_in_force", args=[draft.pk]),
        {"in_force_from": TODAY.isoformat()},
    )
    draft.refresh_from_db()
    old.refresh_from_db()
    assert (draft.status, old.status) == (S.IN_FORCE, S.RETIRED)
    login(client, cast.anna, mfa=False)
    assert "Learn the names" in client.get(reverse("expectations:charter")).content.decode()


def test_editing_a_version_in_force_says_why_and_writes_nothing(client, cast, login):
    version = _version(cast.aarhus, 1, S.IN_FORCE)
    item = _item(version)
    login(client, cast.erik)
    before = _state()
    urls = [
        (reverse("expectations:charter_version_edit", args=[version.pk]), {"title": "X"}),
        (
            reverse("expectations:charter_item_create", args=[version.pk]),
            {"side": "parents", "title": "X", "text": "Y"},
        ),
        (
            reverse("expectations:charter_item_edit", args=[version.pk, item.pk]),
            {"side": "parents", "title": "X", "text": "Y"},
        ),
        (
            reverse("expectations:charter_version_approve", args=[version.pk]),
            {"approved_on": TODAY.isoformat(), "approved_by_body": "B"},
        ),
    ]
    for url, data in urls:
        response = client.post(url, data)
        assert response.status_code == 200, url
        assert "no longer a draft" in response.content.decode(), url
    for name in ("charter_item_delete", "charter_item_move"):
        response = client.post(reverse(f"expectations:{name}", args=[version.pk, item.pk]), follow=True)
        assert "no longer a draft" in response.content.decode()
    assert _state() == before


@pytest.mark.parametrize(
    "data",
    [
        {"side": "nobody", "title": "X", "text": "Y"},
        {"side": "parents", "title": "", "text": "Y"},
        {"side": "parents", "title": "X", "text": "Y", "age_from_months": "40", "age_to_months": "12"},
        {"side": "parents", "title": "X", "text": "Y", "age_from_months": "-1"},
        {"side": "parents", "title": "X", "text": "Y", "age_from_months": "9999999999"},
        {"side": "parents", "title": "X", "text": "Y", "institution_kinds": ["castle"]},
        {"side": "parents", "title": "X" * 201, "text": "Y"},
    ],
)
def test_invalid_items_are_refused_and_write_nothing(client, cast, login, data):
    draft = _version(cast.aarhus, 1)
    login(client, cast.erik)
    before = _state()
    response = client.post(reverse("expectations:charter_item_create", args=[draft.pk]), data)
    assert response.status_code == 200 and 'class="alert alert-error' in response.content.decode()
    assert _state() == before


@pytest.mark.parametrize(
    "data",
    [
        {"approved_on": "", "approved_by_body": "Byrådet"},
        {"approved_on": "2026-13-45", "approved_by_body": "Byrådet"},
        {"approved_on": (TODAY + datetime.timedelta(days=3)).isoformat(), "approved_by_body": "Byrådet"},
        {"approved_on": TODAY.isoformat(), "approved_by_body": "   "},
        {"approved_on": TODAY.isoformat(), "approved_by_body": "Byrådet"},  # no items yet
    ],
)
def test_invalid_approvals_write_nothing(client, cast, login, data):
    draft = _version(cast.aarhus, 1)
    login(client, cast.erik)
    before = _state()
    response = client.post(reverse("expectations:charter_version_approve", args=[draft.pk]), data)
    assert response.status_code == 200
    assert _state() == before


def test_outsiders_get_404_on_authoring(client, cast, login):
    draft = _version(cast.aarhus, 1)
    item = _item(draft)
    urls = [
        reverse("expectations:charter_version_list"),
        reverse("expectations:charter_version_create"),
        reverse("expectations:charter_version_detail", args=[draft.pk]),
        reverse("expectations:charter_version_edit", args=[draft.pk]),
        reverse("expectations:charter_version_approve", args=[draft.pk]),
        reverse("expectations:charter_item_create", args=[draft.pk]),
        reverse("expectations:charter_item_edit", args=[draft.pk, item.pk]),
    ]
    before = _state()
    for person in (cast.lene, cast.olga, cast.anna):
        login(client, person, mfa=person != cast.anna)
        for url in urls[2:]:
            assert client.get(url).status_code == 404, (person, url)
            assert client.post(url, {"title": "X", "side": "parents", "text": "Y"}).status_code == 404
        for name in ("charter_item_delete", "charter_item_move"):
            assert client.post(reverse(f"expectations:{name}", args=[draft.pk, item.pk])).status_code == 404
    login(client, cast.lene)
    assert client.get(urls[0]).status_code == 404 and client.get(urls[1]).status_code == 404
    assert _state() == before


def test_get_never_changes_state(client, cast, login):
    draft = _version(cast.aarhus, 1)
    item = _item(draft)
    login(client, cast.erik)
    before = _state()
    for name in ("charter_item_delete", "charter_item_move"):
        assert client.get(reverse(f"expectations:{name}", args=[draft.pk, item.pk])).status_code == 405
    assert _state() == before


# --------------------------------------------------------------------------------------------------
# Institution principles
# --------------------------------------------------------------------------------------------------
def test_leader_records_principles_shown_to_parents_and_staff(client, cast, login):
    _version(cast.aarhus, 1, S.IN_FORCE)
    login(client, cast.lene)
    response = client.post(
        reverse("expectations:principles_create", args=[cast.solsikken.pk]),
        {"text": "We talk every week.", "adopted_on": TODAY.isoformat(), "adopted_by": "Forældrebestyrelsen"},
    )
    assert response["Location"] == reverse("expectations:principles_detail", args=[cast.solsikken.pk])
    url = reverse("expectations:principles_detail", args=[cast.solsikken.pk])
    for person, mfa in [(cast.anna, False), (cast.mikkel, False), (cast.carla, True)]:
        login(client, person, mfa=mfa)
        assert "We talk every week." in client.get(url).content.decode()
        assert url in client.get(reverse("expectations:charter")).content.decode()
    # The municipality's administrator reads them too (they feed the policy review).
    login(client, cast.erik)
    assert "We talk every week." in client.get(url).content.decode()
    for person, mfa in [(cast.bo, False), (cast.dorte, True), (cast.olga, True)]:
        login(client, person, mfa=mfa)
        assert client.get(url).status_code == 404, person
        assert url not in client.get(reverse("expectations:charter")).content.decode()


def test_only_the_leader_records_principles(client, cast, login):
    url = reverse("expectations:principles_create", args=[cast.solsikken.pk])
    for person, mfa in [(cast.carla, True), (cast.anna, False), (cast.erik, True), (cast.bo, False)]:
        login(client, person, mfa=mfa)
        assert client.get(url).status_code == 404
        assert (
            client.post(url, {"text": "X", "adopted_on": TODAY.isoformat(), "adopted_by": "B"}).status_code
            == 404
        )
    assert not InstitutionPrinciples.objects.exists()


def test_invalid_principles_write_nothing(client, cast, login):
    login(client, cast.lene)
    url = reverse("expectations:principles_create", args=[cast.solsikken.pk])
    for data in [
        {"text": "", "adopted_on": TODAY.isoformat(), "adopted_by": "B"},
        {"text": "X", "adopted_on": "yesterday", "adopted_by": "B"},
        {"text": "X", "adopted_on": (TODAY + datetime.timedelta(days=1)).isoformat(), "adopted_by": "B"},
        {"text": "X" * 8001, "adopted_on": TODAY.isoformat(), "adopted_by": "B"},
    ]:
        assert client.post(url, data).status_code == 200
    assert not InstitutionPrinciples.objects.exists()


# --------------------------------------------------------------------------------------------------
# Query budgets
# --------------------------------------------------------------------------------------------------
def _grow_items(version, n=24):
    sides = list(Side.values)
    for i in range(n):
        _item(version, f"Item {i}", side=sides[i % 3], institution_kinds=["school"], age_from_months=i)


def test_charter_page_query_budget_is_constant(client, cast, login):
    version = _version(cast.aarhus, 1, S.IN_FORCE)
    _item(version)
    _version(cast.aarhus, 0, S.RETIRED)
    InstitutionPrinciples.objects.create(
        institution=cast.solsikken, text="P", adopted_on=TODAY, adopted_by="B"
    )

    def grow():
        _grow_items(version)
        for i in range(5):
            _version(cast.aarhus, 10 + i, S.RETIRED)
            child = f.ChildFactory(municipality=cast.aarhus)
            f.GuardianshipFactory(child=child, user=cast.anna)
            daycare = f.InstitutionFactory(municipality=cast.aarhus, name=f"Daycare {i}")
            f.EnrollmentFactory(child=child, group=f.GroupFactory(institution=daycare))
            InstitutionPrinciples.objects.create(
                institution=daycare, text="P", adopted_on=TODAY, adopted_by="B"
            )

    login(client, cast.anna, mfa=False)
    assert_constant_queries(client, reverse("expectations:charter"), 10, grow)


def test_version_detail_query_budget_is_constant(client, cast, login):
    draft = _version(cast.aarhus, 1)
    _item(draft)
    login(client, cast.erik)
    assert_constant_queries(
        client,
        reverse("expectations:charter_version_detail", args=[draft.pk]),
        10,
        lambda: _grow_items(draft),
    )


def test_version_list_and_diff_query_budgets_are_constant(client, cast, login):
    old = _version(cast.aarhus, 1, S.RETIRED)
    new = _version(cast.aarhus, 2, S.IN_FORCE)
    _item(old)
    _item(new)

    def grow():
        _grow_items(old)
        _grow_items(new, 30)
        for i in range(10):
            _version(cast.aarhus, 10 + i)

    login(client, cast.erik)
    list_url = reverse("expectations:charter_version_list")
    diff_url = reverse("expectations:charter_version_diff", args=[new.pk])
    few = (warm_queries(client, list_url)[0], warm_queries(client, diff_url)[0])
    grow()
    many = (warm_queries(client, list_url)[0], warm_queries(client, diff_url)[0])
    assert few == many and max(many) <= 10


def test_principles_page_query_budget_is_constant(client, cast, login):
    version = _version(cast.aarhus, 1, S.IN_FORCE)

    def adopt():
        InstitutionPrinciples.objects.create(
            institution=cast.solsikken, charter_version=version, text="P", adopted_on=TODAY, adopted_by="B"
        )

    adopt()
    login(client, cast.anna, mfa=False)

    def grow():
        for _ in range(10):
            adopt()

    assert_constant_queries(
        client, reverse("expectations:principles_detail", args=[cast.solsikken.pk]), 8, grow
    )
