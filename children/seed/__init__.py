"""The suggested competence framework and home activity library every municipality starts with, in our
own words, and the one function that loads them (used by the services, ``seed_demo`` and the data
migration, each with its own model classes)."""

from children.seed.activities import ACTIVITIES
from children.seed.competences import COMPETENCES

BANDS = ("0-2", "3-5", "6-9", "10-12", "13-16")


def load(*, municipality_id: int, Competence, CompetenceAdvice, HomeActivity) -> tuple[int, int]:
    """Add what is missing of the suggested framework and library to one municipality; what exists
    (perhaps edited by its administrators) is left alone. Returns (competences added, activities
    added). A fixed number of queries."""
    existing = dict(Competence.objects.filter(municipality_id=municipality_id).values_list("code", "pk"))
    new = [
        Competence(
            municipality_id=municipality_id,
            code=c["code"],
            position=position,
            name_da=c["name"][0],
            name_en=c["name"][1],
            description_da=c["description"][0],
            description_en=c["description"][1],
        )
        for position, c in enumerate(COMPETENCES)
        if c["code"] not in existing
    ]
    Competence.objects.bulk_create(new)
    by_code = dict(Competence.objects.filter(municipality_id=municipality_id).values_list("code", "pk"))
    added = {c.code for c in new}
    CompetenceAdvice.objects.bulk_create(
        CompetenceAdvice(
            competence_id=by_code[c["code"]],
            age_band=band,
            audience=audience,
            text_da=texts[0],
            text_en=texts[1],
        )
        for c in COMPETENCES
        if c["code"] in added
        for audience in ("parents", "professionals")
        for band, texts in zip(BANDS, c[audience], strict=True)
    )
    known = set(HomeActivity.objects.filter(municipality_id=municipality_id).values_list("code", flat=True))
    activities = [a for a in ACTIVITIES if a["code"] not in known]
    rows = HomeActivity.objects.bulk_create(
        HomeActivity(
            municipality_id=municipality_id,
            code=a["code"],
            title_da=a["title"][0],
            title_en=a["title"][1],
            text_da=a["text"][0],
            text_en=a["text"][1],
            theme=a.get("theme", ""),
            subject=a.get("subject", ""),
            age_from=a["ages"][0],
            age_to=a["ages"][1],
            language_results=list(a.get("results", ())),
            any_language=a.get("any_language", True),
        )
        for a in activities
    )
    if rows and rows[0].pk is None:  # databases that do not return ids from a bulk insert
        ids = dict(
            HomeActivity.objects.filter(
                municipality_id=municipality_id, code__in=[a["code"] for a in activities]
            ).values_list("code", "pk")
        )
    else:
        ids = {row.code: row.pk for row in rows}
    through = HomeActivity.competences.through
    through.objects.bulk_create(
        through(homeactivity_id=ids[a["code"]], competence_id=by_code[code])
        for a in activities
        for code in a.get("competences", ())
        if code in by_code
    )
    return len(new), len(activities)
