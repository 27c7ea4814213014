"""The small demo's people and places: its institutions and groups, staff, where the generated children
are today, and the learning goals of the named children (in Danish, as staff write them)."""

from children.models import LearningGoal
from portal.demo.common import AFTER_SCHOOL, HEALTH_VISITING, KINDERGARTEN, NURSERY, SCHOOL, YOUTH_GUIDANCE
from portal.organisation.models import Institution, StaffMembership

AARHUS, SKANDERBORG = "751", "746"
MUNICIPALITIES = {AARHUS: "Aarhus Kommune", SKANDERBORG: "Skanderborg Kommune"}

K = Institution.Kind
R = StaffMembership.Role
SOLSIKKEN, SKOVVANG = "Børnehuset Solsikken", "Skovvangskolen"

# (municipality, name, kind, address, [(group, the stage of a child's path it serves)])
INSTITUTIONS = (
    (AARHUS, "Sundhedsplejen Aarhus", K.HEALTH_VISITING, "Værkmestergade 15, 8000 Aarhus C",
     [("Sundhedspleje Vest", HEALTH_VISITING), ("Sundhedspleje Øst", HEALTH_VISITING)]),
    (AARHUS, "Dagplejen Aarhus Vest", K.CHILDMINDING, "Silkeborgvej 260, 8230 Åbyhøj",
     [("Legestuen Bækken", NURSERY), ("Legestuen Engen", NURSERY)]),
    (AARHUS, SOLSIKKEN, K.INTEGRATED, "Solsikkevej 4, 8210 Aarhus V",
     [("Sommerfuglen", NURSERY), ("Mariehønen", KINDERGARTEN), ("Græshoppen", KINDERGARTEN)]),
    (AARHUS, "Børnehaven Troldehøjen", K.KINDERGARTEN, "Troldhøjvej 12, 8220 Brabrand",
     [("Troldene", KINDERGARTEN), ("Nisserne", KINDERGARTEN)]),
    (AARHUS, SKOVVANG, K.SCHOOL, "Skovvangsvej 50, 8200 Aarhus N", [(f"{g}.A", SCHOOL) for g in range(10)]),
    (AARHUS, "SFO Skovvangen", K.AFTER_SCHOOL, "Skovvangsvej 50, 8200 Aarhus N",
     [("Indskolingen", AFTER_SCHOOL), ("Mellemgruppen", AFTER_SCHOOL)]),
    (AARHUS, "UU Aarhus", K.YOUTH_GUIDANCE, "Kalkværksvej 10, 8000 Aarhus C",
     [("UU-vejledning Vest", YOUTH_GUIDANCE)]),
    (SKANDERBORG, "Børnehuset Lærkereden", K.INTEGRATED, "Lærkevej 3, 8660 Skanderborg",
     [("Spirerne", NURSERY), ("Bakketroldene", KINDERGARTEN)]),
    (SKANDERBORG, "Søskolen", K.SCHOOL, "Søvej 21, 8660 Skanderborg", [("0.A", SCHOOL), ("1.A", SCHOOL)]),
)  # fmt: skip

# (persona key, or None for a generated colleague; institution; role; groups)
STAFF = (
    ("carla", SOLSIKKEN, R.PEDAGOGUE, ["Mariehønen"]),
    ("lene", SOLSIKKEN, R.LEADER, []),
    ("dorte", SKOVVANG, R.TEACHER, ["0.A", "1.A"]),
    ("sofie", "Sundhedsplejen Aarhus", R.HEALTH_VISITOR, ["Sundhedspleje Vest"]),
    (None, "Sundhedsplejen Aarhus", R.HEALTH_VISITOR, ["Sundhedspleje Øst"]),
    (None, "Dagplejen Aarhus Vest", R.CHILDMINDER, ["Legestuen Bækken"]),
    (None, "Dagplejen Aarhus Vest", R.CHILDMINDER, ["Legestuen Engen"]),
    (None, SOLSIKKEN, R.PEDAGOGUE, ["Sommerfuglen"]),
    (None, SOLSIKKEN, R.PEDAGOGUE, ["Græshoppen"]),
    (None, "Børnehaven Troldehøjen", R.LEADER, []),
    (None, "Børnehaven Troldehøjen", R.PEDAGOGUE, ["Troldene", "Nisserne"]),
    (None, SKOVVANG, R.LEADER, []),
    (None, SKOVVANG, R.TEACHER, ["2.A", "3.A", "4.A", "5.A"]),
    (None, SKOVVANG, R.TEACHER, ["6.A", "7.A", "8.A", "9.A"]),
    (None, "SFO Skovvangen", R.PEDAGOGUE, ["Indskolingen", "Mellemgruppen"]),
    (None, "UU Aarhus", R.UU_COUNSELLOR, ["UU-vejledning Vest"]),
    (None, "Børnehuset Lærkereden", R.LEADER, []),
    (None, "Børnehuset Lærkereden", R.PEDAGOGUE, ["Spirerne", "Bakketroldene"]),
    (None, "Søskolen", R.TEACHER, ["0.A", "1.A"]),
)
ADMINISTRATORS = (("erik", AARHUS), ("frida", SKANDERBORG))

# Generated children by the group they are in today: (institution, group, how many).
PLACEMENTS = (
    ("Sundhedsplejen Aarhus", "Sundhedspleje Vest", 3),
    ("Sundhedsplejen Aarhus", "Sundhedspleje Øst", 2),
    ("Dagplejen Aarhus Vest", "Legestuen Bækken", 3),
    ("Dagplejen Aarhus Vest", "Legestuen Engen", 2),
    (SOLSIKKEN, "Sommerfuglen", 4),
    (SOLSIKKEN, "Mariehønen", 6),
    (SOLSIKKEN, "Græshoppen", 3),
    ("Børnehaven Troldehøjen", "Troldene", 3),
    ("Børnehaven Troldehøjen", "Nisserne", 2),
    *((SKOVVANG, f"{g}.A", n) for g, n in enumerate((4, 4, 2, 2, 2, 2, 2, 1, 2, 2))),
    ("Børnehuset Lærkereden", "Spirerne", 2),
    ("Børnehuset Lærkereden", "Bakketroldene", 2),
    ("Søskolen", "0.A", 1),
    ("Søskolen", "1.A", 1),
)
# The first generated child in the first group is a younger sibling of the first in the second.
SIBLINGS = (
    ((SOLSIKKEN, "Græshoppen"), (SKOVVANG, "3.A")),
    (("Dagplejen Aarhus Vest", "Legestuen Engen"), (SKOVVANG, "0.A")),
)

# (child: "emil", "freja" or (institution, group) for its first generated child; title; theme; status;
#  description; what you can do at home). The author is the first staff member in the child's group.
S = LearningGoal.Status
G = LearningGoal.Theme
GOALS = (
    ("emil", "Fortælle om noget, han har oplevet", G.LANGUAGE, S.IN_PROGRESS,
     "Emil øver sig i at fortælle en lille historie med en begyndelse og en slutning, fx om turen i skoven.",
     "Spørg ind til dagen ved aftensmaden: »Hvad skete der så?« Giv ham tid til at finde ordene, og "
     "gentag hans sætning med et nyt ord i."),
    ("emil", "Lege med flere forskellige børn", G.SOCIAL, S.IN_PROGRESS,
     "Emil leger mest med én ven. Vi hjælper ham ind i legene med de andre børn på Mariehønen.",
     "Lav en legeaftale med et barn fra stuen, som han ikke plejer at lege med, og lær navnene på "
     "børnene på stuen sammen."),
    ("emil", "Tage overtøjet på selv", G.BODY, S.ACHIEVED,
     "Emil kan nu selv tage flyverdragt, støvler og hue på, når vi skal ud.",
     "Lad ham gøre det selv om morgenen, også når det tager lidt længere tid, og ros forsøget."),
    ("freja", "Læse korte ord ved at lyde sig frem", G.DANISH, S.IN_PROGRESS,
     "Freja kender alle bogstaverne og øver sig i at trække lydene sammen til korte ord.",
     "Læs sammen i ti minutter hver dag. Lad Freja lyde de korte ord, og læs selv resten af siden."),
    ("freja", "Tælle til 100 og baglæns fra 20", G.MATHEMATICS, S.IN_PROGRESS,
     "Freja tæller sikkert til 30. Nu øver vi de store tal og at tælle baglæns.",
     "Tæl trappetrin, biler eller knapper sammen, og tæl baglæns, når I venter på bussen."),
    ("freja", "Sige til, når noget er svært", G.WELLBEING, S.PLANNED,
     "Vi vil gerne have, at Freja siger til en voksen, når hun har brug for hjælp i timen.",
     "Tal om, hvad der var godt og svært i skolen i dag, fx ved sengetid."),
    ((SOLSIKKEN, "Sommerfuglen"), "Sige »mere« og »færdig« ved måltidet", G.LANGUAGE, S.IN_PROGRESS,
     "Vi sætter ord på måltidet, så barnet kan vise og sige, hvad det vil have.",
     "Sæt ord på det, I gør ved måltidet derhjemme, og vent et øjeblik, så barnet selv kan svare."),
    (("Børnehuset Lærkereden", "Bakketroldene"), "Gå på opdagelse i naturen", G.NATURE, S.IN_PROGRESS,
     "Barnet er nysgerrigt på dyr og planter. Vi samler blade og kryb på legepladsen.",
     "Tag en tur i skoven i weekenden, og find tre forskellige blade eller dyr sammen."),
)  # fmt: skip

OTHER_LANGUAGES = ("en", "ar", "so", "uk", "tr")
