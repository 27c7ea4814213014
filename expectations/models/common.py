from django.db import models
from django.utils.translation import gettext_lazy as _


class Side(models.TextChoices):
    """Whose responsibility something is, in the charter's three groups."""

    PARENTS = "parents", _("The parents' responsibility")
    INSTITUTION = "institution", _("The institution's responsibility")
    SHARED = "shared", _("Our shared responsibility")
