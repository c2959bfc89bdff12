from django.db import models
from django.utils.translation import gettext_lazy as _


class InstitutionLevel(models.IntegerChoices):
    LEVEL_1 = 1, _("Level 1 (一级)")
    LEVEL_2 = 2, _("Level 2 (二级)")
    LEVEL_3 = 3, _("Level 3 (三级)")
