"""The codes of DOMAIN.md. They are part of the public API: keep them stable."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    LONG_TERM = "long_term", _("Long-term residence elsewhere")
    TEMPORARY = "temporary", _("Temporary care elsewhere")


class ValidityRule(models.TextChoices):
    PROOF_EXPIRY = "proof_expiry", _("Ends with the proof's validity")
    FIXED_MONTHS = "fixed_months", _("A fixed number of months")
    NOT_REQUIRED = "not_required", _("No registration needed")
    # Extension of API.md's three values: the source states no period, the registration
    # stands until it is changed or cancelled (射阳 2019 办理指南 §六).
    OPEN_ENDED = "open_ended", _("Until changed or cancelled")


class Channel(models.TextChoices):
    ONLINE = "online", _("Online (this portal / government-services website)")
    JIANGSU_APP = "jiangsu_app", _("江苏医保云 app")
    NATIONAL_APP = "national_app", _("National 异地就医 mini-program / 国家医保服务平台 app")
    WECHAT = "wechat", _("WeChat official account")
    MAIL = "mail", _("By mail")
    SERVICE_STATION = "service_station", _("Medical-insurance service station")
    WINDOW = "window", _("Service window")
    HOSPITAL = "hospital", _("At the referring hospital")


class CareScope(models.TextChoices):
    IN_PROVINCE = "in_province", _("Within Jiangsu")
    CROSS_PROVINCE = "cross_province", _("Outside Jiangsu")


class Catalogue(models.TextChoices):
    JIANGSU_UNIFIED = "jiangsu_unified", _("Jiangsu's unified drug, treatment and facility lists")
    CARE_REGION = "care_region", _("The care region's lists")


class Scheme(models.TextChoices):
    EMPLOYEE = "employee", _("Employee medical insurance (职工)")
    RESIDENT = "resident", _("Urban-rural resident medical insurance (城乡居民)")


class ClaimKind(models.TextChoices):
    OUTPATIENT = "outpatient", _("Outpatient")
    INPATIENT = "inpatient", _("Inpatient")


class Treatment(models.TextChoices):
    TUMOUR_TREATMENT = "tumour_treatment", _("Malignant tumour treatment")
    TUMOUR_RADIOTHERAPY = "tumour_radiotherapy", _("Malignant tumour radiotherapy")
    DIALYSIS = "dialysis", _("Dialysis")
    TRANSPLANT_ANTIREJECTION = "transplant_antirejection", _("Anti-rejection after organ transplant")
    PULMONARY_HYPERTENSION = "pulmonary_hypertension", _("Pulmonary arterial hypertension")
    OTHER = "other", _("Other")


class SpecialDisease(models.TextChoices):
    MALIGNANT_TUMOUR = "malignant_tumour", _("Malignant tumour")
    DIALYSIS = "dialysis", _("End-stage renal disease, outpatient dialysis")
    TRANSPLANT_ANTIREJECTION = "transplant_antirejection", _("Outpatient anti-rejection after organ transplant")
    PULMONARY_HYPERTENSION = "pulmonary_hypertension", _("Pulmonary arterial hypertension")


class SettlementService(models.TextChoices):
    INPATIENT = "inpatient", _("Inpatient")
    OUTPATIENT = "outpatient", _("Outpatient")
    GENERAL_OUTPATIENT = "general_outpatient", _("General outpatient")
    OUTPATIENT_POOLING = "outpatient_pooling", _("Outpatient pooling (门诊统筹)")
    OUTPATIENT_CHRONIC_SPECIAL = "outpatient_chronic_special", _("Outpatient chronic and special diseases")
    PHARMACY = "pharmacy", _("Pharmacy purchases")


class MaterialPurpose(models.TextChoices):
    REGISTRATION = "registration", _("Registration")
    CLAIM = "claim", _("Claim")


class Situation(models.TextChoices):
    """The wizard's plain-language answers. Which registration type an answer leads to is data
    (RegistrationType.wizard_situation), so a rule set with other type codes needs no code."""

    RETIRED_MOVED = (
        "retired_moved",
        _("I am retired, live in another city and moved my household registration (户籍) there"),
    )
    LIVING_ELSEWHERE = "living_elsewhere", _("I live in another city long-term; my household registration stayed")
    POSTED = "posted", _("My employer posted me to work in another city")
    REFERRED = "referred", _("A local hospital is referring me to a hospital elsewhere")
    EMERGENCY = "emergency", _("I need emergency care or rescue while away")
    OTHER = "other", _("I am travelling, or going elsewhere for care for another reason")


# Mainland provinces, as people write them; the care scope is derived from the province.
PROVINCES = [
    "北京市", "天津市", "河北省", "山西省", "内蒙古自治区", "辽宁省", "吉林省", "黑龙江省", "上海市", "江苏省",
    "浙江省", "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省", "湖南省", "广东省", "广西壮族自治区",
    "海南省", "重庆市", "四川省", "贵州省", "云南省", "西藏自治区", "陕西省", "甘肃省", "青海省",
    "宁夏回族自治区", "新疆维吾尔自治区",
]  # fmt: skip
