"""The role keys of PROCEDURES.md. Which person holds which role is data (RoleAssignment)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SUPREME_ADMIN = "supreme_admin", _("情報システム・セキュリティ統括管理者")
    MANAGER = "manager", _("情報システム・セキュリティ管理者")
    OFFICER = "officer", _("情報システム・セキュリティ責任者")
    STAFF_IN_CHARGE = "staff_in_charge", _("担当者")
    PROMOTER = "promoter", _("情報システム・セキュリティ推進担当")
    AUDITOR = "auditor", _("監査担当")
    STAFF = "staff", _("職員")
    VENDOR = "vendor", _("委託事業者")
