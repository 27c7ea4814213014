"""The words of a letter, in its person's language: one notice at once, or the daily summary listing
what is new, each with its link; and the short text message. The notices themselves were written in
the person's language when they were made; only the frame around them is written here, once per
language and process."""

from dataclasses import dataclass
from functools import lru_cache
from html import escape

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.meetings.services.inbox import user_language


@dataclass(frozen=True)
class Item:
    title: str
    body: str
    url: str
    kind: str


def _link(url: str) -> str:
    return url if url.startswith(("http://", "https://")) else settings.SITE_URL + (url or "/")


@lru_cache(maxsize=16)
def _frame(language: str) -> dict:
    with translation.override(language):
        return {
            "greeting": _("Dear %(name)s,"),
            "greeting_anonymous": _("Hello,"),
            "digest_intro": _("Here is what is new for you in %(site)s since the last summary.")
            % {"site": settings.SITE_NAME},
            "read": _("Read it in the portal"),
            "why": _("You get this because of your choices under Messages → What we tell you and when:"),
            "settings_url": settings.SITE_URL + reverse("notices:preferences"),
            "inbox_url": settings.SITE_URL + reverse("meetings:notifications"),
            "lang": language,
            "dir": "rtl" if translation.get_language_info(language)["bidi"] else "ltr",
        }


@lru_cache(maxsize=256)
def _digest_subject(language: str, count: int) -> str:
    with translation.override(language):
        return ngettext("%(site)s: %(count)d new message", "%(site)s: %(count)d new messages", count) % {
            "site": settings.SITE_NAME,
            "count": count,
        }


def email(letter, items: list[Item]) -> tuple[str, str, str]:
    """(subject, text, html) of a letter's e-mail."""
    user = letter.user
    language = user_language(user)
    frame = _frame(language)
    name = user.first_name or user.get_full_name()
    greeting = frame["greeting"] % {"name": name} if name else frame["greeting_anonymous"]
    digest = letter.kind == "digest"
    subject = _digest_subject(language, len(items)) if digest else items[0].title
    lines = [greeting, ""]
    html = [f'<html lang="{language}" dir="{frame["dir"]}"><body><p>{escape(greeting)}</p>']
    if digest:
        lines += [frame["digest_intro"], ""]
        html.append(f"<p>{escape(frame['digest_intro'])}</p><ul>")
    for item in items:
        link = _link(item.url)
        if digest:
            lines += [f"* {item.title}", *([f"  {item.body}"] if item.body else []), f"  {link}", ""]
            html.append(
                f'<li><a href="{escape(link)}">{escape(item.title)}</a>'
                + (f"<br>{escape(item.body)}" if item.body else "")
                + "</li>"
            )
        else:
            lines += [*([item.body, ""] if item.body else []), f"{frame['read']}: {link}", ""]
            html.append(
                (f"<p>{escape(item.body)}</p>" if item.body else "")
                + f'<p><a href="{escape(link)}">{escape(frame["read"])}</a></p>'
            )
    if digest:
        html.append("</ul>")
    lines += ["-- ", frame["why"], frame["settings_url"]]
    html.append(
        f'<hr><p><small>{escape(frame["why"])} <a href="{escape(frame["settings_url"])}">'
        f"{escape(frame['settings_url'])}</a></small></p></body></html>"
    )
    return subject, "\n".join(lines), "".join(html)


def text_message(letter, items: list[Item]) -> str:
    """A short text: the notice's title and link, or how many are new and where to read them."""
    language = user_language(letter.user)
    frame = _frame(language)
    if letter.kind != "digest":
        return f"{settings.SITE_NAME}: {items[0].title} {_link(items[0].url)}"
    with translation.override(language):
        return ngettext(
            "%(site)s: %(count)d new message. Read it here: %(url)s",
            "%(site)s: %(count)d new messages. Read them here: %(url)s",
            len(items),
        ) % {"site": settings.SITE_NAME, "count": len(items), "url": frame["inbox_url"]}
