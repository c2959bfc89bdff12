"""Mark in the seeded rows what the portal used to read from their codes (0004 adds the fields).

Until now the code knew the two seed rule sets' codes: which type each wizard answer leads to,
that the rescue guide files `other_temporary` (南通 Q3（二）3 未办理异地转诊手续且不属于异地急诊抢救),
that a group whose code ends in `proof` is the proof a long-term registration ends with
(南通 Q7.4 长期异地居住人员…与提交的证明材料有效期一致) and that `commitment_letter` is accepted
in the portal (南通 Q9（一）1 个人承诺书). Every version of 南通 and 射阳 says so now in its rows, and
every page behaves as before; a new jurisdiction's admins set the same fields on their own rows.
"""

from django.db import migrations

SEEDED_JURISDICTIONS = ("nantong", "sheyang")
SITUATIONS = {
    "retired_resettled": "retired_moved",
    "long_term_resident": "living_elsewhere",
    "posted_worker": "posted",
    "referral": "referred",
    "emergency": "emergency",
    "other_temporary": "other",
}
RESCUE_DEFAULT = "other_temporary"
PROOF_GROUPS = ("resettlement_proof", "residence_proof", "work_proof")
PORTAL_LETTERS = ("commitment_letter",)


def mark(apps, schema_editor):
    RegistrationType = apps.get_model("policy", "RegistrationType")
    MaterialGroup = apps.get_model("policy", "MaterialGroup")
    DocumentKind = apps.get_model("policy", "DocumentKind")

    types = RegistrationType.objects.filter(ruleset__jurisdiction__code__in=SEEDED_JURISDICTIONS)
    for code, situation in SITUATIONS.items():
        types.filter(code=code).update(wizard_situation=situation)
    types.filter(code=RESCUE_DEFAULT, filing_required=True).update(rescue_default=True)
    MaterialGroup.objects.filter(
        ruleset__jurisdiction__code__in=SEEDED_JURISDICTIONS,
        purpose="registration",
        when_agent=False,
        code__in=PROOF_GROUPS,
        registration_type__validity_rule="proof_expiry",
    ).update(sets_validity=True)
    DocumentKind.objects.filter(code__in=PORTAL_LETTERS).update(accepted_in_portal=True)


class Migration(migrations.Migration):
    dependencies = [("policy", "0004_purpose_flags")]

    # Backwards, 0004 drops the fields with their values.
    operations = [migrations.RunPython(mark, migrations.RunPython.noop)]
