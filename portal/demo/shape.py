"""The shape of an Aarhus-sized municipality for ``seed_demo --scale municipality``: its institutions,
group sizes, staffing, families and the words its places are named from."""

from portal.demo.common import AFTER_SCHOOL, HEALTH_VISITING, KINDERGARTEN, NURSERY, SCHOOL, YOUTH_GUIDANCE
from portal.organisation.models import Institution, StaffMembership

FULL_CHILDREN = 50_000
PPR = "ppr"

# (name, code, e-mail domain, town, post codes, children as a share of --children)
MUNICIPALITIES = (
    ("Aarhus Kommune", "751", "aarhus", "Aarhus",
     ("8000 Aarhus C", "8200 Aarhus N", "8210 Aarhus V", "8220 Brabrand", "8230 Åbyhøj", "8240 Risskov",
      "8250 Egå", "8260 Viby J", "8270 Højbjerg", "8381 Tilst", "8520 Lystrup"), 1.0),
    ("Favrskov Kommune", "710", "favrskov", "Favrskov",
     ("8370 Hadsten", "8382 Hinnerup", "8450 Hammel"), 0.02),
    ("Odder Kommune", "727", "odder", "Odder", ("8300 Odder",), 0.015),
)  # fmt: skip

K = Institution.Kind
R = StaffMembership.Role
# Institutions of each kind for FULL_CHILDREN children, scaled with the data set (and one after-school
# care per school): 1 + 1 + 1 + 8 + 20 + 35 + 90 + 2 * 52 = 260 in Aarhus.
INSTITUTIONS = {
    K.HEALTH_VISITING: 1, K.YOUTH_GUIDANCE: 1, K.PPR: 1, K.CHILDMINDING: 8, K.NURSERY: 20,
    K.KINDERGARTEN: 35, K.INTEGRATED: 90, K.SCHOOL: 52,
}  # fmt: skip
# Where a child in daycare goes, by stage: (kind, share).
PROVIDERS = {
    NURSERY: ((K.CHILDMINDING, 0.25), (K.NURSERY, 0.20), (K.INTEGRATED, 0.55)),
    KINDERGARTEN: ((K.KINDERGARTEN, 0.35), (K.INTEGRATED, 0.65)),
}
# Children per group, by (stage, kind of institution); and how many staff a group needs, relatively.
GROUP_SIZE = {
    (HEALTH_VISITING, K.HEALTH_VISITING): 150, (NURSERY, K.CHILDMINDING): 20, (NURSERY, K.NURSERY): 15,
    (NURSERY, K.INTEGRATED): 15, (KINDERGARTEN, K.KINDERGARTEN): 26, (KINDERGARTEN, K.INTEGRATED): 26,
    (SCHOOL, K.SCHOOL): 28, (AFTER_SCHOOL, K.AFTER_SCHOOL): 200, (YOUTH_GUIDANCE, K.YOUTH_GUIDANCE): 240,
    (PPR, K.PPR): 80,
}  # fmt: skip
STAFF_WEIGHT = {
    (NURSERY, K.CHILDMINDING): 5.0, (NURSERY, K.NURSERY): 3.5, (NURSERY, K.INTEGRATED): 3.5,
    (KINDERGARTEN, K.KINDERGARTEN): 2.5, (KINDERGARTEN, K.INTEGRATED): 2.5, (SCHOOL, K.SCHOOL): 2.2,
    (AFTER_SCHOOL, K.AFTER_SCHOOL): 6.0,
}  # fmt: skip
CASELOAD_KINDS = {
    K.HEALTH_VISITING: R.HEALTH_VISITOR,
    K.YOUTH_GUIDANCE: R.UU_COUNSELLOR,
    K.PPR: R.PPR_CONSULTANT,
}
ROLE_OF_KIND = {
    **CASELOAD_KINDS, K.CHILDMINDING: R.CHILDMINDER, K.NURSERY: R.PEDAGOGUE, K.KINDERGARTEN: R.PEDAGOGUE,
    K.INTEGRATED: R.PEDAGOGUE, K.SCHOOL: R.TEACHER, K.AFTER_SCHOOL: R.PEDAGOGUE,
}  # fmt: skip
STAFF_PER_CHILD = 0.12
BIG_SCHOOL_SHARE, BIG_CLASS = 0.05, 30  # the very large school: 5 % of each year group in classes of 30
FAMILY_SIZES = ((1, 0.93), (2, 0.05), (3, 0.015), (4, 0.005))
OTHER_LANGUAGES = ("en", "ar", "so", "tr", "pl", "uk", "ur")

DAYCARE_WORDS = (
    "Solsikken", "Mælkebøtten", "Regnbuen", "Troldehøjen", "Skovbrynet", "Kløverengen", "Æblehaven", "Spiren",
    "Krudtuglen", "Myretuen", "Lærkereden", "Stjernen", "Bikuben", "Havblik", "Engblommen", "Pilehuset",
    "Egetræet", "Valmuen", "Kastanjen", "Tusindfryd", "Rosenhaven", "Birkelunden", "Bøgely", "Ahornet",
    "Lindehuset", "Vibereden", "Svalen", "Uglereden", "Nøddebo", "Hasselhuset", "Muldvarpen", "Skovmusen",
    "Blåbærret", "Hyldebusken", "Stubben", "Kirsebærhaven", "Fyrtårnet", "Molevitten", "Pusletten", "Globen",
)  # fmt: skip
GROUP_WORDS = (
    "Mariehønen", "Sommerfuglen", "Græshoppen", "Bierne", "Egernene", "Frøerne", "Pindsvinene", "Ræveungerne",
    "Uglerne", "Bjørnene", "Myrerne", "Sneglene", "Humlebierne", "Guldsmeden", "Spurvene", "Musene",
)  # fmt: skip
SCHOOL_STEMS = [
    a + b
    for a in ("Skov", "Eng", "Bakke", "Sø", "Vester", "Øster", "Nord", "Syd", "Rosen", "Linde", "Bøge", "Ege",
              "Mølle", "Kirke", "Lyng", "Strand", "Hede", "Birke")
    for b in ("vang", "dal", "gård", "bjerg", "høj", "lund", "bakke")
]  # fmt: skip
DISTRICTS = ("Nord", "Syd", "Øst", "Vest", "Midt", "Nordvest", "Sydvest", "Nordøst", "Sydøst")
AFTER_SCHOOL_BANDS = ("0.–1. klasse", "2.–3. klasse")
