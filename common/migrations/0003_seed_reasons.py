"""Standard reasons for returning or rejecting a filing; admins edit, add or switch them off."""

from django.db import migrations

# (code, applies_to, Chinese, English)
REASONS = [
    (
        "document_unreadable",
        "both",
        "材料不清晰，请重新上传清晰完整的照片或扫描件",
        "The document is unreadable: upload a clear, complete photo or scan.",
    ),
    (
        "referral_unsealed",
        "registration",
        "转诊转院证明缺少医院盖章",
        "The referral certificate lacks the hospital's seal.",
    ),
    (
        "residence_permit_expired",
        "registration",
        "居住证已过期",
        "The residence permit has expired.",
    ),
    (
        "identity_mismatch",
        "both",
        "身份证件与参保人不一致",
        "The identity document does not match the enrollee.",
    ),
    (
        "region_mismatch",
        "registration",
        "备案地区与证明材料不符",
        "The region filed does not match the proof documents.",
    ),
    (
        "agent_id_missing",
        "both",
        "代办人未提供本人身份证",
        "The agent's own identity card is missing.",
    ),
]


def seed(apps, schema_editor):
    ReasonTemplate = apps.get_model("common", "ReasonTemplate")
    for position, (code, applies_to, text_zh, text_en) in enumerate(REASONS, start=1):
        ReasonTemplate.objects.update_or_create(
            code=code,
            defaults={"applies_to": applies_to, "text_zh": text_zh, "text_en": text_en, "position": position * 10},
        )


def unseed(apps, schema_editor):
    apps.get_model("common", "ReasonTemplate").objects.filter(code__in=[code for code, *_ in REASONS]).delete()


class Migration(migrations.Migration):
    dependencies = [("common", "0002_reasontemplate_accesslog")]

    operations = [migrations.RunPython(seed, unseed)]
