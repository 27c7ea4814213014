"""Each municipality's rules for passing on information at transitions (Dagtilbudsloven § 3 a stk. 3)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SharingModel(models.TextChoices):
    """How the handover's staff sections may be passed on to the receiving institution."""

    GUIDELINES = "guidelines", _("Under the municipality's guidelines (parents are informed)")
    CONSENT = "consent", _("With the consent of each custody holder, section by section")


class TransitionSettings(models.Model):
    """The municipality's choice of sharing model. Without a row, consent is asked (the careful default)."""

    municipality = models.OneToOneField(
        "organisation.Municipality",
        on_delete=models.CASCADE,
        related_name="transition_settings",
        verbose_name=_("municipality"),
    )
    sharing_model = models.CharField(
        _("how handovers are shared"),
        max_length=20,
        choices=SharingModel.choices,
        default=SharingModel.CONSENT,
    )

    class Meta:
        verbose_name = _("transition settings")
        verbose_name_plural = _("transition settings")

    def __str__(self):
        return f"{self.municipality_id}: {self.sharing_model}"

    @classmethod
    def model_for(cls, municipality_id) -> str:
        found = cls.objects.filter(municipality_id=municipality_id).values_list("sharing_model", flat=True)
        return next(iter(found), SharingModel.CONSENT)
