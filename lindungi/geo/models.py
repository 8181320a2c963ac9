from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lindungi.core.policy import Scope


class Region(models.Model):
    """A province, regency/city or district, keyed by its Ministry of Home Affairs code
    (`31`, `31.71`, `31.71.01`)."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("Province")
        REGENCY = "regency", _("Regency/city")
        DISTRICT = "district", _("District")

    code = models.CharField(_("code"), max_length=13, primary_key=True)
    name = models.CharField(_("name"), max_length=120)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        indexes = [
            # Chained pickers: the children of one region, by name.
            models.Index(fields=["parent", "name"], name="region_children_by_name"),
            # Province list for pickers and statistics.
            models.Index(fields=["level", "name"], name="region_level_name"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(level="province", parent__isnull=True) | Q(parent__isnull=False) & ~Q(level="province"),
                name="region_parent_matches_level",
            )
        ]

    def __str__(self):
        return self.name

    @property
    def province_code(self) -> str:
        return self.code.split(".")[0]

    @classmethod
    def policy_q(cls, user, scope):
        return Q() if scope == Scope.NETWORK else None
