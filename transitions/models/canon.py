"""The municipality's local canon of songs, stories and rhymes used from nursery to school start
(Randers): the groups mark what they use, the families sing and read the same at home, and the
receiving class sees which ones its new children know."""

from django.conf import settings
from django.core.validators import URLValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

CANON_TEXT_MAX = 10_000
LINK_MAX = 500
# Only web addresses: a link is shown to families, so never javascript:, data: or file:.
link_validator = URLValidator(
    schemes=["http", "https"], message=_("Enter a web address starting with https://.")
)


def normalize_link(link: str) -> str:
    """The address trimmed, its scheme in lower case (HTTPS://… is https://…)."""
    link = link.strip()
    scheme, sep, rest = link.partition("://")
    return f"{scheme.lower()}{sep}{rest}" if sep else link


class CanonItem(models.Model):
    """One song, story or rhyme in the municipality's list. A retired item is kept for the groups and
    children who used it, but no group marks it anew."""

    class Kind(models.TextChoices):
        SONG = "song", _("Song")
        STORY = "story", _("Story")
        RHYME = "rhyme", _("Rhyme")

    class AgeBand(models.TextChoices):
        NURSERY = "nursery", _("Nursery (0–3 years)")
        KINDERGARTEN = "kindergarten", _("Kindergarten (3–6 years)")
        SCHOOL_START = "school_start", _("School start")

    municipality = models.ForeignKey(
        "organisation.Municipality",
        on_delete=models.CASCADE,
        related_name="canon_items",
        verbose_name=_("municipality"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=150)
    text = models.TextField(
        _("text"),
        max_length=CANON_TEXT_MAX,
        blank=True,
        help_text=_("The words of a song or rhyme. Leave it empty for a book."),
    )
    link = models.URLField(
        _("link"),
        max_length=LINK_MAX,
        blank=True,
        validators=[link_validator],
        help_text=_("A web page with the text, a recording or the book, starting with https://."),
    )
    age_band = models.CharField(_("meant for"), max_length=20, choices=AgeBand.choices)
    position = models.PositiveSmallIntegerField(_("place in the list"), default=0)
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("canon item")
        verbose_name_plural = _("canon items")
        ordering = ["municipality_id", "kind", "position", "title"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "kind", "title"], name="canonitem_unique_title"),
            models.CheckConstraint(
                condition=Q(link="") | Q(link__startswith="http://") | Q(link__startswith="https://"),
                name="canonitem_link_is_web",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None


class CanonUse(models.Model):
    """A group uses a canon item from ``since`` on; ``ended_on`` is the last day it was used. The row is
    kept when the group stops, so the children who were there still know the item."""

    group = models.ForeignKey(
        "organisation.Group", on_delete=models.CASCADE, related_name="canon_uses", verbose_name=_("group")
    )
    item = models.ForeignKey(
        CanonItem, on_delete=models.CASCADE, related_name="uses", verbose_name=_("canon item")
    )
    since = models.DateField(_("used since"))
    ended_on = models.DateField(_("last used"), null=True, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    marked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("use of a canon item")
        verbose_name_plural = _("uses of canon items")
        constraints = [
            models.UniqueConstraint(fields=["group", "item"], name="canonuse_one_per_group"),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("since")),
                name="canonuse_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["item", "group"], name="canonuse_item")]

    def __str__(self):
        return f"{self.group_id}: {self.item_id}"

    @property
    def in_use(self) -> bool:
        return self.ended_on is None
