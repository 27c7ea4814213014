"""The children's community beyond names: a photo beside the name (only with every custody holder's yes),
play dates offered to the group or to one child whose name is shown, suggestions of children not yet
met (alphabetical, never ranked), and parent friends who welcome new families. Every message goes
through the inbox; no one sees another parent's address."""

import io
from datetime import time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from portal.accounts.models import User
from portal.audit.models import AccessEvent
from portal.community import selectors
from portal.community.models import ParentFriend, PlayDate, PlayDateAnswer, Portrait, Welcome
from portal.community.services import name_sharing_choose
from portal.community.services import play as services
from portal.meetings.models import Notification
from portal.todos import parent_todos
from tests import factories as f
from tests.community.test_group_names import choose, family
from tests.queries import assert_exact_queries

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def jpeg_with_location() -> bytes:
    image = Image.new("RGB", (900, 700), (200, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera maker
    exif[0x0132] = "2026:06:01 14:03:00"  # when it was taken
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def upload():
    return SimpleUploadedFile("me.jpg", jpeg_with_location(), content_type="image/jpeg")


def shown_family(cast, name, *, parents=1, group=None):
    """A child in the group whose name is shown; its parents and Anna read in English."""
    child, holders = family(cast, name, parents=parents, group=group)
    User.objects.filter(pk__in=[cast.anna.pk, *(h.pk for h in holders)]).update(language="en")
    for holder in holders:
        choose(child, holder, True)
    return child, holders


def offer(cast, child, user, *, invited=None, days=3, group=None):
    return services.play_date_offer(
        user=user,
        child=child,
        group=group or cast.mariehonen,
        day=timezone.localdate() + timedelta(days=days),
        starts_at=time(15),
        ends_at=time(17),
        place="The playground by the school",
        invited_pk=invited.pk if invited else None,
    )


# ---------------------------------------------------------------------------------------------------
# Photos
# ---------------------------------------------------------------------------------------------------
def test_a_photo_shows_beside_a_shown_name_only_when_every_custody_holder_says_yes(cast):
    liva, (mother, father) = shown_family(cast, "Liva", parents=2)
    services.photo_choose(request=None, user=mother, child=liva, show_photo=True, upload=upload())

    def photos():
        return set().union(*(group.photos for group in selectors.group_names(cast.emil)))

    assert photos() == set()  # the father has not said yes to the photo
    assert not selectors.photo_visible(cast.emil, liva.pk)
    services.photo_choose(request=None, user=father, child=liva, show_photo=True)
    assert photos() == {liva.pk} and selectors.photo_visible(cast.emil, liva.pk)

    name_sharing_choose(request=None, user=father, child=liva, show_name=False)  # no name, no photo
    assert photos() == set() and not selectors.photo_visible(cast.emil, liva.pk)
    name_sharing_choose(request=None, user=father, child=liva, show_name=True)
    services.photo_choose(request=None, user=mother, child=liva, show_photo=False)
    assert photos() == set()


def test_the_photo_is_small_and_keeps_nothing_but_its_pixels(cast):
    services.photo_choose(request=None, user=cast.anna, child=cast.emil, show_photo=True, upload=upload())
    with Image.open(io.BytesIO(bytes(Portrait.objects.get(child=cast.emil).image))) as kept:
        assert kept.format == "JPEG" and max(kept.size) <= 480
        assert not kept.getexif() and "exif" not in kept.info


def test_saying_yes_without_a_photo_or_with_a_document_is_refused_and_nothing_is_kept(cast):
    with pytest.raises(ValidationError) as refused:
        services.photo_choose(request=None, user=cast.anna, child=cast.emil, show_photo=True)
    assert refused.value.message_dict == {"photo": ["Choose a photo to show, or answer no."]}
    pdf = SimpleUploadedFile("x.pdf", b"%PDF-1.4 nothing", content_type="application/pdf")
    with pytest.raises(ValidationError):
        services.photo_choose(request=None, user=cast.anna, child=cast.emil, show_photo=True, upload=pdf)
    with pytest.raises(ValidationError):  # no custody, no decision
        services.photo_choose(request=None, user=cast.mikkel, child=cast.emil, show_photo=False)
    assert not Portrait.objects.exists()


def test_the_photo_page_saves_the_answer_and_the_photo_and_deletes_it(cast, client):
    choose(cast.emil, cast.anna, True)
    client.force_login(cast.anna)
    url = reverse("community:photo", args=[cast.emil.pk])
    assert client.get(url).status_code == 200
    refused = client.post(url, {})
    assert refused.status_code == 200 and b"Choose yes or no." in refused.content

    assert client.post(url, {"show_photo": "yes", "photo": upload()}).status_code == 302
    own = client.get(reverse("community:photo_image", args=[cast.emil.pk, cast.emil.pk]))
    assert own.status_code == 200 and own["Content-Type"] == "image/jpeg"
    assert {"private", "no-store"} <= set(own["Cache-Control"].replace(" ", "").split(","))
    page = client.get(reverse("community:group_names", args=[cast.emil.pk])).content.decode()
    assert reverse("community:photo_image", args=[cast.emil.pk, cast.emil.pk]) in page

    assert client.post(url, {"action": "remove"}).status_code == 302
    assert not Portrait.objects.exists()
    assert AccessEvent.objects.filter(child=cast.emil, subject="group_photo", action="delete").exists()


def test_the_photo_reaches_only_parents_in_the_same_group_and_each_view_is_logged(cast, client, login):
    liva, (mother,) = shown_family(cast, "Liva")
    services.photo_choose(request=None, user=mother, child=liva, show_photo=True, upload=upload())
    bent, (bent_parent,) = shown_family(cast, "Bent", group=cast.bien)

    client.force_login(cast.anna)
    seen = client.get(reverse("community:photo_image", args=[cast.emil.pk, liva.pk]))
    assert seen.status_code == 200
    event = AccessEvent.objects.get(subject="group_photo_seen")
    assert (event.child_id, event.actor_id) == (liva.pk, cast.anna.pk)

    client.force_login(bent_parent)  # another group of the same daycare
    assert client.get(reverse("community:photo_image", args=[bent.pk, liva.pk])).status_code == 404
    for who in ("bo", "carla", "erik"):
        login(client, getattr(cast, who))
        assert client.get(reverse("community:photo_image", args=[cast.emil.pk, liva.pk])).status_code == 404


# ---------------------------------------------------------------------------------------------------
# Play dates
# ---------------------------------------------------------------------------------------------------
def test_an_open_play_date_tells_the_groups_other_parents_and_no_one_else(
    cast, django_capture_on_commit_callbacks
):
    _liva, (mother,) = shown_family(cast, "Liva")
    shown_family(cast, "Bent", group=cast.bien)
    with django_capture_on_commit_callbacks(execute=True):
        offer(cast, cast.emil, cast.anna)
    told = set(
        Notification.objects.filter(kind=Notification.Kind.PLAY_DATE).values_list("user_id", flat=True)
    )
    assert told == {mother.pk}  # not Anna herself, not Mikkel (Emil's), not Bien's families
    notice = Notification.objects.get(user=mother)
    assert notice.title == "Emil invites the children in Mariehønen to play"
    assert "The playground by the school" in notice.body and "15:00" in notice.body


def test_only_a_child_whose_name_is_shown_can_be_invited_and_only_that_family_sees_it(
    cast, client, django_capture_on_commit_callbacks
):
    liva, (mother,) = shown_family(cast, "Liva")
    hidden, (hidden_parent,) = family(cast, "Hidden", parents=1)
    with pytest.raises(ValidationError) as refused:
        offer(cast, cast.emil, cast.anna, invited=hidden)
    assert "invited" in refused.value.message_dict
    with django_capture_on_commit_callbacks(execute=True):
        play_date = offer(cast, cast.emil, cast.anna, invited=liva)
    assert list(Notification.objects.values_list("user_id", "title")) == [
        (mother.pk, "Emil invites Liva to play")
    ]
    (todo,) = [t for t in parent_todos(mother) if t.kind == "play_date"]
    assert todo.deadline == play_date.day and todo.title == "Emil has invited Liva to a play date"

    client.force_login(hidden_parent)
    assert client.get(reverse("community:play_date", args=[hidden.pk, play_date.pk])).status_code == 404
    page = client.get(reverse("community:group_names", args=[hidden.pk])).content.decode()
    assert reverse("community:play_date", args=[hidden.pk, play_date.pk]) not in page


def test_an_answer_reaches_the_host_and_the_to_do_goes(cast, client, django_capture_on_commit_callbacks):
    liva, (mother,) = shown_family(cast, "Liva")
    play_date = offer(cast, cast.emil, cast.anna, invited=liva)
    client.force_login(mother)
    url = reverse("community:play_date", args=[liva.pk, play_date.pk])
    assert client.post(url, {}).status_code == 200  # no answer chosen: the form says so
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"coming": "yes", "message": "Looking forward!"}).status_code == 302
    assert not [t for t in parent_todos(mother) if t.kind == "play_date"]
    notice = Notification.objects.get(user=cast.anna, kind=Notification.Kind.PLAY_DATE)
    assert (
        notice.title.startswith("Liva is coming to the play date on ") and notice.body == "Looking forward!"
    )

    client.force_login(cast.anna)
    host_page = client.get(reverse("community:play_date", args=[cast.emil.pk, play_date.pk])).content.decode()
    assert "Liva (" in host_page and "Looking forward!" in host_page
    assert AccessEvent.objects.filter(child=cast.emil, subject="play_date", object_id=play_date.pk).exists()


def test_a_cancelled_play_date_tells_those_coming_and_takes_no_more_answers(
    cast, django_capture_on_commit_callbacks
):
    liva, (mother,) = shown_family(cast, "Liva")
    otto, (otto_parent,) = shown_family(cast, "Otto")
    play_date = offer(cast, cast.emil, cast.anna)
    services.play_date_answer(user=mother, child=liva, play_date=play_date, coming=True)
    services.play_date_answer(user=otto_parent, child=otto, play_date=play_date, coming=False)
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.play_date_cancel(user=cast.anna, play_date=play_date)
    assert not services.play_date_cancel(user=cast.anna, play_date=play_date)  # once
    assert list(Notification.objects.values_list("user_id", flat=True)) == [mother.pk]
    with pytest.raises(ValidationError):
        services.play_date_answer(user=otto_parent, child=otto, play_date=play_date, coming=True)


def test_children_not_yet_met_are_suggested_alphabetically_and_met_ones_drop_out(cast, client):
    liva, (mother,) = shown_family(cast, "Liva")
    shown_family(cast, "Alma")
    family(cast, "Hidden", parents=1)
    play_date = offer(cast, liva, mother)
    services.play_date_answer(user=cast.anna, child=cast.emil, play_date=play_date, coming=True)
    choose(cast.emil, cast.anna, True)

    client.force_login(cast.anna)
    page = client.get(reverse("community:group_names", args=[cast.emil.pk]))
    (group,) = page.context["groups"]
    assert [ref.first_name for ref in group.not_met] == ["Alma"]  # Liva met; Hidden not shown; not Emil
    assert selectors.met_children(liva) == {cast.emil.pk}


def test_the_play_date_form_refuses_bad_input_with_reasons_and_writes_nothing(cast, client):
    client.force_login(cast.anna)
    url = reverse("community:play_date_create", args=[cast.emil.pk, cast.mariehonen.pk])
    yesterday = timezone.localdate() - timedelta(days=1)
    response = client.post(
        url,
        {
            "day": yesterday.isoformat(),
            "starts_at": "16:00",
            "ends_at": "15:00",
            "place": "Here",
            "invited": "",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["day"] == ["Choose a day from today and within three months."]
    assert errors["ends_at"] == ["The play date must end after it starts."]
    assert not PlayDate.objects.exists()
    other = client.get(reverse("community:play_date_create", args=[cast.emil.pk, cast.bien.pk]))
    assert other.status_code == 404


def test_the_group_page_costs_the_same_with_1_and_25_play_dates_and_friends(cast, client):
    liva, (mother,) = shown_family(cast, "Liva")
    offer(cast, liva, mother)
    services.parent_friend_volunteer(user=mother, child=liva, group=cast.mariehonen, about="I speak Arabic")
    client.force_login(cast.anna)

    def grow():
        for number in range(24):
            child, (holder,) = shown_family(cast, f"Barn{number:02d}")
            offer(cast, child, holder)
            services.parent_friend_volunteer(user=holder, child=child, group=cast.mariehonen, about="Hi")
            services.welcome_ask(user=cast.anna, child=cast.emil, friend=ParentFriend.objects.latest("pk"))

    assert_exact_queries(
        client,
        reverse("community:group_names", args=[cast.emil.pk]),
        15,
        grow,
        shown=lambda response: sum(len(g.play_dates) for g in response.context["groups"]),
    )


# ---------------------------------------------------------------------------------------------------
# Parent friends
# ---------------------------------------------------------------------------------------------------
def test_a_new_family_asks_a_parent_friend_who_answers_through_the_portal(
    cast, client, django_capture_on_commit_callbacks
):
    liva, (mother,) = family(cast, "Liva", parents=1)
    User.objects.filter(pk__in=[cast.anna.pk, mother.pk]).update(language="en")
    client.force_login(mother)
    url = reverse("community:parent_friend", args=[liva.pk, cast.mariehonen.pk])
    assert client.post(url, {"about": ""}).status_code == 200
    assert (
        client.post(url, {"about": "I speak Arabic and Danish. Liva has been here two years."}).status_code
        == 302
    )
    friend = ParentFriend.objects.get()

    client.force_login(cast.anna)
    page = client.get(reverse("community:group_names", args=[cast.emil.pk])).content.decode()
    assert "I speak Arabic and Danish." in page and mother.email not in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("community:welcome_ask", args=[cast.emil.pk, friend.pk]), {"message": "We are new"}
        )
    assert response.status_code == 302
    welcome = Welcome.objects.get()
    notice = Notification.objects.get(user=mother, kind=Notification.Kind.PARENT_FRIEND)
    assert notice.title == "Anna Jensen, Emil's parent in Mariehønen, would like you to welcome them"
    (todo,) = [t for t in parent_todos(mother) if t.kind == "welcome"]
    assert todo.deadline == welcome.asked_at + timedelta(days=7)

    client.force_login(mother)
    answer_url = reverse("community:welcome_answer", args=[welcome.pk])
    assert client.post(answer_url, {"reply": ""}).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(answer_url, {"reply": "Welcome! See you Tuesday."}).status_code == 302
    reply = Notification.objects.get(user=cast.anna, kind=Notification.Kind.PARENT_FRIEND)
    assert reply.title == f"{mother.get_full_name()}, parent friend, has answered you"
    assert reply.body == "Welcome! See you Tuesday."
    assert not [t for t in parent_todos(mother) if t.kind == "welcome"]

    client.force_login(cast.anna)  # only the friend answers
    assert client.get(answer_url).status_code == 404


def test_parent_friends_of_another_group_are_not_reachable_and_no_one_asks_themselves(cast, client):
    bent, (bent_parent,) = family(cast, "Bent", parents=1, group=cast.bien)
    friend = services.parent_friend_volunteer(user=bent_parent, child=bent, group=cast.bien, about="Hello")
    client.force_login(cast.anna)
    assert client.get(reverse("community:welcome_ask", args=[cast.emil.pk, friend.pk])).status_code == 404
    client.force_login(bent_parent)
    assert client.get(reverse("community:welcome_ask", args=[bent.pk, friend.pk])).status_code == 404
    with pytest.raises(ValidationError):
        services.welcome_ask(user=bent_parent, child=bent, friend=friend)
    services.parent_friend_end(friend=friend)
    with pytest.raises(ValidationError):
        services.welcome_ask(user=f.UserFactory(), child=bent, friend=ParentFriend.objects.get())
    assert not Welcome.objects.exists() and not PlayDateAnswer.objects.exists()


@pytest.mark.parametrize(
    ("language", "titles"),
    [
        (
            "en",
            [
                "Emil invites the children in Mariehønen to play",
                "Emil invites Liva to play",
                "Liva is coming to the play date on",
                "Liva cannot come to the play date on",
                "The play date with Emil on",
                "Anna Jensen, Emil's parent in Mariehønen, would like you to welcome them",
                ", parent friend, has answered you",
            ],
        ),
        (
            "da",
            [
                "Emil inviterer børnene i Mariehønen til at lege",
                "Emil inviterer Liva til at lege",
                "Liva kommer til legeaftalen",
                "Liva kan ikke komme til legeaftalen",
                "Legeaftalen med Emil",
                "Anna Jensen, forælder til Emil i Mariehønen, vil gerne bydes velkommen af dig",
                ", forældreven, har svaret dig",
            ],
        ),
    ],
)
def test_every_play_date_and_parent_friend_notice_is_written_in_the_readers_language(
    cast, language, titles, django_capture_on_commit_callbacks
):
    liva, (mother,) = shown_family(cast, "Liva")
    for person in (cast.anna, mother):
        person.language = language
        person.save(update_fields=["language"])
    written = []

    def last(user):
        notice = Notification.objects.filter(user=user).order_by("-pk").first()
        written.append(notice.title)
        return notice

    with django_capture_on_commit_callbacks(execute=True):
        offer(cast, cast.emil, cast.anna)
    last(mother)
    with django_capture_on_commit_callbacks(execute=True):
        invitation = offer(cast, cast.emil, cast.anna, invited=liva, days=4)
    last(mother)
    with django_capture_on_commit_callbacks(execute=True):
        services.play_date_answer(user=mother, child=liva, play_date=invitation, coming=True)
    last(cast.anna)
    with django_capture_on_commit_callbacks(execute=True):
        services.play_date_answer(
            user=mother, child=liva, play_date=invitation, coming=False, now=timezone.now()
        )
    last(cast.anna)
    services.play_date_answer(user=mother, child=liva, play_date=invitation, coming=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.play_date_cancel(user=cast.anna, play_date=invitation)
    assert last(mother).body in (
        "The family that invited has cancelled it.",
        "Familien, der inviterede, har aflyst den.",
    )
    friend = services.parent_friend_volunteer(user=mother, child=liva, group=cast.mariehonen, about="Hej")
    with django_capture_on_commit_callbacks(execute=True):
        welcome = services.welcome_ask(user=cast.anna, child=cast.emil, friend=friend)
    last(mother)
    with django_capture_on_commit_callbacks(execute=True):
        services.welcome_answer(user=mother, welcome=welcome, reply="Velkommen")
    last(cast.anna)

    assert len(written) == len(titles)
    for title, expected in zip(written, titles, strict=True):
        assert expected in title, (title, expected)
