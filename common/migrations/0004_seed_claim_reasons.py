"""Standard reasons for returning or rejecting a reimbursement claim (南通 Q8 materials)."""

from django.db import migrations

# (code, applies_to, Chinese, English)
REASONS = [
    (
        "invoice_unsealed",
        "claim",
        "票据或明细清单缺少医院收费章",
        "The invoice or the itemised list lacks the hospital's charging seal.",
    ),
    (
        "itemised_list_incomplete",
        "claim",
        "费用明细清单不完整，请补充全部页",
        "The itemised list is incomplete: add every page.",
    ),
    (
        "invoice_amount_mismatch",
        "claim",
        "填写的金额与票据不一致",
        "The amounts entered do not match the invoice.",
    ),
    (
        "not_in_policy_scope",
        "claim",
        "部分费用不属于医保政策范围",
        "Part of the costs are outside the policy scope.",
    ),
]


def seed(apps, schema_editor):
    ReasonTemplate = apps.get_model("common", "ReasonTemplate")
    for position, (code, applies_to, text_zh, text_en) in enumerate(REASONS, start=10):
        ReasonTemplate.objects.update_or_create(
            code=code,
            defaults={"applies_to": applies_to, "text_zh": text_zh, "text_en": text_en, "position": position * 10},
        )


def unseed(apps, schema_editor):
    apps.get_model("common", "ReasonTemplate").objects.filter(code__in=[code for code, *_ in REASONS]).delete()


class Migration(migrations.Migration):
    dependencies = [("common", "0003_seed_reasons")]

    operations = [migrations.RunPython(seed, unseed)]
