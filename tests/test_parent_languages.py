"""Every parent's language: the pages parents use most are translated in Arabic, Ukrainian, Turkish and
Polish (Somali and Tigrinya as far as quality allows; what is missing shows in English); each page says
when no native speaker has reviewed its language; Arabic reads right to left with stylesheets that rtlcss
made from the left-to-right ones; staff read Danish or English whatever their browser asks for."""

import os
import re
import shutil
import subprocess
from datetime import time
from pathlib import Path
from types import SimpleNamespace

import polib
import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation.template import templatize

from portal.community.services import play
from portal.languages import language_choices
from portal.meetings.models import Notification
from portal.notices import writing
from portal.notices.writing import Item
from tests import factories as f
from tests.test_authorization_matrix import world  # noqa: F401 - the matrix's world, as a fixture

BASE = Path(settings.BASE_DIR)
# The parents' own pages: the layout, the home, the group's names and play dates, the notification centre,
# the meetings and their mails, the child's page and learning plan, expectation agreements.
PARENT_SOURCES = [
    "templates/base.html",
    "templates/includes/_account_menu.html",
    "templates/includes/_language_form.html",
    "templates/includes/_messages.html",
    "templates/includes/_save_form.html",
    "templates/includes/_todos.html",
    "templates/children/parent_home.html",
    "templates/community/group_names.html",
    "templates/community/photo.html",
    "templates/community/play_date.html",
    "templates/community/play_date_form.html",
    "templates/community/parent_friend.html",
    "templates/community/welcome_ask.html",
    "templates/community/welcome_answer.html",
    "templates/community/group_message_form.html",
    "templates/notices/preferences.html",
    "templates/account/login.html",
    "portal/community/forms.py",
    "portal/community/services/play.py",
    "portal/community/services/elections.py",
    "portal/notices/forms.py",
    "portal/notices/topics.py",
    # Meetings: booking, the meeting's page, the inbox, contact settings, and the mails about them.
    *sorted(str(p.relative_to(BASE)) for p in (BASE / "templates/meetings/guardian").glob("*.html")),
    *sorted(str(p.relative_to(BASE)) for p in (BASE / "templates/meetings/email").glob("*.*")),
    "portal/meetings/services/messages.py",
    "portal/meetings/services/nudges.py",
    "portal/meetings/forms/guardian.py",
    "portal/meetings/models/common.py",
    "portal/meetings/ics.py",
    "portal/meetings/selectors/guardian.py",
    "portal/meetings/selectors/todos.py",
    # The child's page and learning plan, also as PDF.
    "templates/children/child_detail.html",
    "templates/children/plan_detail.html",
    "templates/children/_goal_status.html",
    "templates/children/_evidence_list.html",
    "templates/children/plan_pdf.html",
    "children/models/goals.py",
    "children/models/plans.py",
    "children/selectors/plans.py",
    # Expectation agreements and their mails.
    *sorted(
        str(p.relative_to(BASE))
        for p in (BASE / "templates/expectations/agreements").glob("*.html")
        if p.name != "agreement_list.html"  # the staff's list
    ),
    *sorted(str(p.relative_to(BASE)) for p in (BASE / "templates/expectations/email").glob("*.*")),
    "expectations/forms/agreements.py",
    "expectations/services/agreement_notices.py",
    # The invitation and its mail, the welcome and accessibility statement, the parents' survey, the copy
    # of the data, who has looked and the timeline.
    "templates/accounts/invitation_accept.html",
    "templates/accounts/invitation_invalid.html",
    "templates/accounts/email/invitation.html",
    "templates/accounts/email/invitation.txt",
    "templates/portal/welcome.html",
    "templates/portal/accessibility.html",
    "templates/expectations/reviews/survey_form.html",
    "templates/expectations/reviews/survey_list.html",
    "templates/privacy/export_list.html",
    "templates/privacy/export_pdf.html",
    "templates/children/access_log.html",
    "templates/children/timeline.html",
    # Transitions: the handover the parents see and consent to, its PDF, school readiness, the sharing
    # choice, the parent network, the education plan and visits.
    "templates/transitions/handover_detail.html",
    "templates/transitions/handover_pdf.html",
    "templates/transitions/readiness_detail.html",
    "templates/transitions/_readiness_part.html",
    "templates/transitions/_readiness_history.html",
    "templates/transitions/sharing_settings.html",
    "templates/transitions/network_family.html",
    "templates/transitions/education_plan.html",
    "templates/transitions/visit_detail.html",
    # What the portal tells parents about them: their to-dos and notices.
    *sorted(str(p.relative_to(BASE)) for p in (BASE / "transitions/services").glob("*.py")),
    *sorted(str(p.relative_to(BASE)) for p in (BASE / "transitions/selectors").glob("*.py")),
    "expectations/selectors/todos.py",
    "children/selectors/reading.py",
    "children/selectors/related.py",
    "children/selectors/language.py",
    "portal/privacy/selectors.py",
    "portal/privacy/services.py",
    # Language assessments, related plans, the shared competences and the charter as parents read them,
    # the notices of plans, files, assessments and surveys, and the login's own mails and messages.
    "templates/children/language/observation_form.html",
    "templates/children/language/assessment_detail.html",
    "templates/children/related_plan_detail.html",
    "templates/children/competences/_child_support.html",
    "templates/children/competences/competence_list.html",
    "templates/expectations/charter/charter.html",
    "templates/expectations/charter/principles_detail.html",
    "templates/expectations/charter/_sides.html",
    "templates/expectations/charter/_words.html",
    "children/services/plans.py",
    "children/services/evidence.py",
    "children/services/language.py",
    "children/services/related.py",
    "expectations/services/reviews.py",
    "portal/audit/descriptions.py",  # who has looked, in the parents' words
    # The forms parents fill in across the portal.
    "children/forms/__init__.py",
    "children/forms/language.py",
    "children/forms/related.py",
    "children/forms/timeline.py",
    "transitions/forms.py",
    "transitions/forms_education.py",
    "transitions/forms_networks.py",
    "expectations/forms/reviews.py",
    "portal/accounts/forms.py",
    *sorted(str(p.relative_to(BASE)) for p in (BASE / "templates/account/messages").glob("*")),
    *sorted(str(p.relative_to(BASE)) for p in (BASE / "templates/account/email").glob("*.txt")),
]
TRANSLATED = ["ar", "uk", "tr", "pl"]


def _msgids(tmp_path) -> set:
    """The strings the parent sources mark for translation, found as makemessages finds them."""
    paths = []
    for number, name in enumerate(PARENT_SOURCES):
        text = (BASE / name).read_text()
        if name.endswith((".html", ".txt")):
            text = templatize(text, origin=name)
        path = tmp_path / f"source{number}.py"
        path.write_text(text)
        paths.append(str(path))
    keywords = ["gettext_lazy", "ngettext_lazy:1,2", "ngettext:1,2", "pgettext:1c,2", "pgettext_lazy:1c,2",
                "npgettext:1c,2,3", "npgettext_lazy:1c,2,3", "_", "gettext_noop"]  # fmt: skip
    out = tmp_path / "parent.pot"
    options = ["-L", "Python", "--from-code=UTF-8", *[f"--keyword={k}" for k in keywords], "-o", str(out)]
    subprocess.run(["xgettext", *options, *paths], check=True)
    return {(entry.msgctxt, entry.msgid) for entry in polib.pofile(str(out))}


@pytest.mark.skipif(not shutil.which("xgettext") and not os.environ.get("CI"), reason="needs GNU gettext")
@pytest.mark.parametrize("language", TRANSLATED)
def test_the_parents_pages_are_translated(language, tmp_path):
    wanted = _msgids(tmp_path)
    assert len(wanted) > 150  # the extraction found the pages' strings
    catalogue = polib.pofile(str(BASE / "locale" / language / "LC_MESSAGES" / "django.po"))
    done = {(e.msgctxt, e.msgid) for e in catalogue.translated_entries()}
    missing = sorted(msgid for _ctx, msgid in wanted - done)
    assert not missing, f"{language}: {len(missing)} untranslated, e.g. {missing[:5]}"


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES if code not in ("da", "en")])
def test_the_placeholders_of_every_translation_match_the_original(language):
    placeholder = re.compile(r"%\((\w+)\)[sd]")
    catalogue = polib.pofile(str(BASE / "locale" / language / "LC_MESSAGES" / "django.po"))
    for entry in catalogue.translated_entries():
        forms = [entry.msgstr] if not entry.msgid_plural else list(entry.msgstr_plural.values())
        expected = set(placeholder.findall(entry.msgid)) | set(placeholder.findall(entry.msgid_plural or ""))
        for form in forms:
            assert set(placeholder.findall(form)) <= expected, (entry.msgid, form)
            assert set(placeholder.findall(form)) >= set(placeholder.findall(entry.msgid)) - {"counter"}, (
                entry.msgid,
                form,
            )


RTLCSS = BASE / "node_modules" / ".bin" / "rtlcss"


@pytest.mark.skipif(not RTLCSS.exists() and not os.environ.get("CI"), reason="needs npm's rtlcss (make)")
@pytest.mark.parametrize(
    ("source", "mirrored"),
    [
        ("static/dkfds/css/dkfds.min.css", "static/dkfds/css/dkfds.rtl.min.css"),
        ("static/css/portal.css", "static/css/portal.rtl.css"),
    ],
)
def test_the_right_to_left_stylesheets_are_made_from_the_current_ones(source, mirrored, tmp_path):
    fresh = tmp_path / "fresh.css"
    subprocess.run([str(RTLCSS), "--silent", str(BASE / source), str(fresh)], check=True)
    assert fresh.read_text() == (BASE / mirrored).read_text(), f"{mirrored} is stale: run `make rtl`"


@pytest.mark.django_db
def test_a_parent_reads_arabic_right_to_left_with_the_note_and_staff_read_danish(client, cast, login):
    login(client, cast.anna, mfa=False)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    page = client.get(reverse("community:group_names", args=[cast.emil.pk])).content.decode()
    assert '<html lang="ar" dir="rtl">' in page
    assert "dkfds.rtl.min.css" in page and "portal.rtl.css" in page and "dkfds.min.css" not in page
    with translation.override("ar"):
        assert translation.gettext("The children in the group") in page
        assert translation.gettext("This page was translated without review by a native speaker.")[:10]
    assert "portal-translation-note" in page

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "da"
    danish = client.get(reverse("community:group_names", args=[cast.emil.pk])).content.decode()
    assert '<html lang="da" dir="ltr">' in danish and "portal-translation-note" not in danish

    login(client, cast.carla)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    staff = client.get(reverse("children:staff_home"))
    assert '<html lang="da" dir="ltr">' in staff.content.decode()
    assert [code for code, _label in staff.context["language_choices"]()] == ["da", "en"]


@pytest.mark.django_db
def test_the_language_menu_names_each_language_in_itself(cast):
    choices = dict(language_choices(cast.anna))
    assert list(choices) == ["da", "en", "ar", "uk", "tr", "pl", "so", "ti"]
    with translation.override("da"):
        assert dict(language_choices(cast.anna))["ar"] == "العربيّة (Arabisk)"
    assert [code for code, _label in language_choices(cast.carla)] == ["da", "en"]


@pytest.mark.django_db
def test_staff_cannot_choose_a_parents_only_language_for_their_messages(client, cast, login):
    login(client, cast.carla)
    response = client.post(reverse("meetings:contact_settings"), {"notify_by_email": "on", "language": "ar"})
    assert response.status_code == 200 and "language" in response.context["form"].errors
    cast.carla.refresh_from_db()
    assert cast.carla.language == "da"


@pytest.mark.django_db
def test_a_notice_reaches_a_parent_in_their_own_language(cast, django_capture_on_commit_callbacks):
    liva = f.ChildFactory(municipality=cast.aarhus, first_name="Liva")
    f.EnrollmentFactory(child=liva, group=cast.mariehonen)
    mother = f.GuardianshipFactory(child=liva, user=f.UserFactory(language="ar")).user
    with django_capture_on_commit_callbacks(execute=True):
        play.play_date_offer(
            user=cast.anna, child=cast.emil, group=cast.mariehonen, day=timezone.localdate(),
            starts_at=time(15), ends_at=time(17), place="Parken",
        )  # fmt: skip
    notice = Notification.objects.get(user=mother)
    assert notice.title == "Emil يدعو أطفال Mariehønen للعب"
    assert "Parken" in notice.body and "15:00" in notice.body


def test_the_daily_summary_is_written_in_the_readers_language_right_to_left_in_arabic(settings):
    settings.SITE_NAME = "Godt på vej"
    reader = SimpleNamespace(first_name="Amal", language="ar", get_full_name=lambda: "Amal")
    items = [Item(title="Emil يدعو أطفال Mariehønen للعب", body="", url="/messages/", kind="play_date")] * 3
    subject, text, html = writing.email(SimpleNamespace(user=reader, kind="digest"), items)
    assert subject == "Godt på vej: 3 رسائل جديدة"
    assert text.startswith("عزيزي/عزيزتي Amal،")
    assert html.startswith('<html lang="ar" dir="rtl">')
    texted = writing.text_message(SimpleNamespace(user=SimpleNamespace(language="uk"), kind="digest"), items)
    assert texted.startswith("Godt på vej: 3 нові повідомлення. Прочитайте тут: ")
    danish = writing.email(
        SimpleNamespace(user=SimpleNamespace(**{**vars(reader), "language": "da"}), kind="digest"), items
    )
    assert danish[2].startswith('<html lang="da" dir="ltr">')


def _catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(BASE / "locale" / language / "LC_MESSAGES" / "django.po"))


def test_the_four_parent_languages_are_translated_alike():
    """Arabic, Ukrainian, Turkish and Polish hold translations of the very same strings, so what the
    Arabic pages prove below holds for the others too."""
    translated = {
        language: {
            (e.msgctxt, e.msgid)
            for e in polib.pofile(
                str(BASE / "locale" / language / "LC_MESSAGES" / "django.po")
            ).translated_entries()
        }
        for language in TRANSLATED
    }
    for language in TRANSLATED[1:]:
        assert translated[language] == translated[TRANSLATED[0]], language


def _danish_fallbacks(language: str) -> dict[str, str]:
    """The Danish words an untranslated string falls back to in ``language`` (the portal's default),
    in pieces between placeholders of at least 8 characters with a space: what a page would show."""
    danish = {(e.msgctxt, e.msgid): e for e in _catalogue("da")}
    pieces = {}
    for entry in polib.pofile(
        str(BASE / "locale" / language / "LC_MESSAGES" / "django.po")
    ).untranslated_entries():
        da = danish.get((entry.msgctxt, entry.msgid))
        if da is None:
            continue
        for text in [da.msgstr] if not da.msgid_plural else list(da.msgstr_plural.values()):
            for piece in re.split(r"%\(\w+\)[sd]|%[sd]", text):
                piece = piece.strip(" .,:;")
                if len(piece) >= 8 and " " in piece:
                    pieces[piece] = entry.msgid
    return pieces


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["anna", "bo"])
def test_every_page_a_parent_opens_in_arabic_is_translated(persona, world, login):  # noqa: F811
    """Every page the authorization matrix lets a parent open (Anna: daycare, custody, a related plan, a
    handover, a network; Bo: school, a pupil, an education plan), read in Arabic, shows none of the
    Danish an untranslated string would fall back to."""
    from html import unescape

    from tests.matrix.base import OK
    from tests.test_authorization_matrix import MATRIX

    fallbacks = _danish_fallbacks("ar")
    client = Client()
    login(client, getattr(world.cast, persona), mfa=False)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    pages, found = 0, {}
    for url_name, cases in MATRIX.items():
        for case in cases:
            if not case.get or case.get.get(persona) != OK:
                continue
            response = client.get(reverse(url_name, kwargs=case.kwargs(world)) + case.query)
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            pages += 1
            text = unescape(response.content.decode())
            for piece, msgid in fallbacks.items():
                if piece in text:
                    found.setdefault(msgid, set()).add(url_name)
    assert pages > 25
    assert not found, "\n".join(f"{msgid!r} on {sorted(where)}" for msgid, where in sorted(found.items()))


@pytest.mark.django_db
def test_a_parents_saved_language_follows_her_to_a_new_phone_and_the_menu_saves_it(client, cast, login):
    cast.anna.language = "ar"
    cast.anna.save(update_fields=["language"])
    login(client, cast.anna, mfa=False)  # a fresh browser: no language cookie
    page = client.get(reverse("children:parent_home"))
    assert '<html lang="ar" dir="rtl">' in page.content.decode()

    # The menu's choice is saved on the account: mails and summaries follow the pages.
    client.post(reverse("set_language"), {"language": "uk", "next": "/"})
    cast.anna.refresh_from_db()
    assert cast.anna.language == "uk"
    assert '<html lang="uk"' in client.get(reverse("children:parent_home")).content.decode()
    client.post(reverse("set_language"), {"language": "xx", "next": "/"})  # no such language
    cast.anna.refresh_from_db()
    assert cast.anna.language == "uk"


@pytest.mark.django_db
def test_staff_keep_danish_or_english_and_a_parent_who_never_chose_follows_the_browser(client, cast, login):
    cast.carla.language = "ar"  # saved before staff were kept to their working languages
    cast.carla.save(update_fields=["language"])
    login(client, cast.carla)
    assert '<html lang="da"' in client.get(reverse("children:staff_home")).content.decode()
    client.post(reverse("set_language"), {"language": "tr", "next": "/"})
    cast.carla.refresh_from_db()
    assert cast.carla.language == "ar"  # a language staff cannot read is not saved
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    cast.carla.refresh_from_db()
    assert cast.carla.language == "en"

    login(client, cast.bo, mfa=False)
    client.cookies.pop(settings.LANGUAGE_COOKIE_NAME, None)
    page = client.get(reverse("children:parent_home"), HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="en"' in page.content.decode()  # Bo kept the default: his browser decides


def test_anyone_may_switch_language_before_logging_in(client):
    response = client.post(reverse("set_language"), {"language": "pl", "next": "/"})
    assert response.status_code == 302 and response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "pl"
