"""Demo data of the local canon: a handful of traditional Danish songs, stories and rhymes, and the
groups that use them.

Only public-domain words are given in full. "Lille Peter Edderkop" is sung everywhere, but its Danish
words (Knud Pheiffer, 1948) are still protected, so the demo has its title only; "Jens Vejmand"
(Jeppe Aakjær, 1905) and the rhymes whose wording varies from place to place link to a text or
leave the words for the municipality to write as its groups sing them.
"""

from datetime import date, timedelta

from django.db.models import Q

from portal.organisation.models import Group, Institution
from transitions.models import CanonItem, CanonUse

SONG, STORY, RHYME = CanonItem.Kind.SONG, CanonItem.Kind.STORY, CanonItem.Kind.RHYME
NURSERY, KINDERGARTEN, SCHOOL_START = (
    CanonItem.AgeBand.NURSERY,
    CanonItem.AgeBand.KINDERGARTEN,
    CanonItem.AgeBand.SCHOOL_START,
)

# (kind, title, words, link, age band)
CANON = (
    (SONG, "Mester Jakob", "Mester Jakob, Mester Jakob,\nsover du? Sover du?\n"
     "Hører du ej klokken? Hører du ej klokken?\nDing, dang, dong. Ding, dang, dong.", "", NURSERY),
    (SONG, "Lille Peter Edderkop", "", "", NURSERY),
    (SONG, "Se min kjole", "Se min kjole, den er grøn som græs,\nalt hvad jeg ejer, det er grønt som den.\n"
     "Det er fordi jeg elsker alt, hvad grønt er,\nog fordi en jæger er min ven.", "", KINDERGARTEN),
    (SONG, "Jens Vejmand", "", "https://da.wikipedia.org/wiki/Jens_Vejmand", SCHOOL_START),
    (STORY, "Prinsessen på ærten", "",
     "https://hcandersen.dk/en/vaerker/prindsessen-paa-aerten_modern", KINDERGARTEN),
    (STORY, "Den grimme ælling", "", "https://da.wikipedia.org/wiki/Den_grimme_ælling", SCHOOL_START),
    (STORY, "Kejserens nye klæder", "", "https://da.wikipedia.org/wiki/Kejserens_nye_klæder", SCHOOL_START),
    (RHYME, "Bro, bro, brille", "", "", KINDERGARTEN),
    (RHYME, "Ride, ride ranke", "", "", NURSERY),
)  # fmt: skip

DAYCARE_KINDS = (
    Institution.Kind.CHILDMINDING,
    Institution.Kind.NURSERY,
    Institution.Kind.KINDERGARTEN,
    Institution.Kind.INTEGRATED,
)


def canon_seed(*, municipalities) -> list[CanonItem]:
    """The canon of each municipality that has none yet (idempotent), in one statement."""
    have = set(
        CanonItem.objects.filter(municipality__in=municipalities).values_list("municipality_id", flat=True)
    )
    positions: dict = {}
    items = []
    for municipality in municipalities:
        if municipality.pk in have:
            continue
        for kind, title, text, link, age_band in CANON:
            position = positions[municipality.pk, kind] = positions.get((municipality.pk, kind), 0) + 1
            items.append(
                CanonItem(
                    municipality=municipality,
                    kind=kind,
                    title=title,
                    text=text,
                    link=link,
                    age_band=age_band,
                    position=position,
                )
            )
    return CanonItem.objects.bulk_create(items, batch_size=500)


def canon_uses_seed(*, municipalities, today: date) -> int:
    """Each daycare group and 0. klasse of the municipalities uses some of the canon, chosen by the
    group's id so the same data gives the same marks (idempotent: groups that have marks are left)."""
    items: dict[int, list[CanonItem]] = {}
    for item in CanonItem.objects.filter(municipality__in=municipalities, retired_at__isnull=True).order_by(
        "kind", "position"
    ):
        items.setdefault(item.municipality_id, []).append(item)
    groups = (
        Group.objects.filter(
            Q(institution__kind__in=DAYCARE_KINDS)
            | Q(institution__kind=Institution.Kind.SCHOOL, school_year=0),
            institution__municipality__in=municipalities,
        )
        .exclude(canon_uses__isnull=False)
        .values_list("pk", "institution__municipality_id")
        .order_by("pk")
    )
    uses = []
    for group_id, municipality_id in groups:
        canon = items.get(municipality_id, [])
        for n, item in enumerate(canon):
            if (group_id + n) % 3:  # about two in three items
                uses.append(
                    CanonUse(
                        group_id=group_id,
                        item=item,
                        since=today - timedelta(days=30 * (1 + (group_id + n) % 24)),
                    )
                )
    CanonUse.objects.bulk_create(uses, batch_size=2000)
    return len(uses)
