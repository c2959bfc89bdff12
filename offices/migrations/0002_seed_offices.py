"""Load the offices of the two seed documents (docs/sources/), row by row as printed there.

Nantong: the table 南通市医疗保险异地就医结算经办机构地址及联系电话 (2025-08).
Sheyang: 办理指南 §七 (address, phone) and §八 (referral hospitals) (2019-08).
tests/offices/test_seed_data.py compares these rows with the seed text.
"""

import datetime

from django.db import migrations

JURISDICTIONS = [
    {
        "code": "nantong",
        "name_zh": "南通市",
        "name_en": "Nantong",
        "hotlines": ["12345", "12393"],
        "source": "南通市医疗保险异地就医政策问答（南通市医疗保险基金管理中心）",
        "effective_from": datetime.date(2025, 8, 1),
    },
    {
        "code": "sheyang",
        "name_zh": "射阳县",
        "name_en": "Sheyang County",
        "hotlines": ["0515-82330035"],
        "source": "致全县医疗保险参保人员的一封信；射阳县医疗保险异地就医办理指南（射阳县医疗保险基金管理中心）",
        "effective_from": datetime.date(2019, 8, 1),
    },
]

# (jurisdiction, code, name_zh, name_en, phones [(number, label_zh, label_en)], mailing, office)
# fmt: off
OFFICES = [
    (
        "nantong", "nantong-urban", "市区", "Urban districts",
        [("12393", "", ""), ("12345", "", "")],
        "南通市崇川区工农南路150号 市政务服务中心裙楼三楼354办公室",
        "南通市崇川区工农南路150号市政务中心",
    ),
    (
        "nantong", "tongzhou", "通州区", "Tongzhou District",
        [("12345", "", ""), ("86541625", "", "")],
        "通州区金新街道碧华路197号 通州区政务服务大厅5楼医疗服务管理科",
        "通州区金新街道碧华路197号通州区政务服务大厅",
    ),
    (
        "nantong", "haimen", "海门区", "Haimen District",
        [("12345", "", ""), ("82202568", "", "")],
        "海门区长江南路777号海门区行政审批局55号窗口",
        "海门区长江南路777号 海门区行政审批局",
    ),
    (
        "nantong", "qidong", "启东市", "Qidong",
        [("12345", "", ""), ("83348048", "", "")],
        "启东市公园南路199号行政审批局2楼28号窗口",
        "启东市公园南路199号 行政审批局",
    ),
    (
        "nantong", "rugao", "如皋市", "Rugao",
        [("12345", "", ""), ("87286151", "", "")],
        "如皋市解放路199号 如皋市民服务中心C411室",
        "如皋市民服务中心",
    ),
    (
        "nantong", "haian", "海安市", "Hai'an",
        [("12345", "", ""), ("88921526", "", "")],
        "海安市长江东路10号 海安市医疗保险基金管理中心1-10号窗口",
        "海安市长江东路10号 海安市医疗保险基金管理中心",
    ),
    (
        "nantong", "rudong", "如东县", "Rudong County",
        [("12345", "", ""), ("84180001", "职工", "employees"), ("84512074", "居民", "residents")],
        "如东县掘港镇秦山路16号 如东县医疗保障局一楼大厅50-54号窗口",
        "如东县掘港镇秦山路16号如东县医疗保障局",
    ),
    (
        "sheyang", "sheyang", "射阳县", "Sheyang County",
        [("0515-82330035", "", "")],
        "",
        "射阳县解放路24号（射阳县人社局大厅）",
    ),
]
# fmt: on

# 射阳县转诊转院医疗机构 (办理指南 §八). The guide gives no levels: left unknown.
INSTITUTIONS = [
    ("射阳县人民医院", "合德镇发鸿街27号", "0515-82365070"),
    ("射阳县中医院", "合德镇解放路28号", "0515-82321136"),
    ("射阳县第三人民医院", "合德镇北环路50号", "0515-82353252"),
]


def load(apps, schema_editor):
    Jurisdiction = apps.get_model("offices", "Jurisdiction")
    Office = apps.get_model("offices", "Office")
    OfficePhone = apps.get_model("offices", "OfficePhone")
    Institution = apps.get_model("offices", "Institution")

    by_code = {}
    for row in JURISDICTIONS:
        by_code[row["code"]], _ = Jurisdiction.objects.update_or_create(code=row["code"], defaults=row)
    for position, (jcode, code, name_zh, name_en, phones, mailing, office_address) in enumerate(OFFICES):
        office, _ = Office.objects.update_or_create(
            code=code,
            defaults={
                "jurisdiction": by_code[jcode],
                "name_zh": name_zh,
                "name_en": name_en,
                "mailing_address": mailing,
                "office_address": office_address,
                "position": position,
            },
        )
        for phone_position, (number, label_zh, label_en) in enumerate(phones):
            OfficePhone.objects.update_or_create(
                office=office,
                number=number,
                defaults={"label_zh": label_zh, "label_en": label_en, "position": phone_position},
            )
    for name, address, phone in INSTITUTIONS:
        Institution.objects.update_or_create(
            jurisdiction=by_code["sheyang"],
            name=name,
            defaults={
                "province": "江苏省",
                "city": "盐城市",
                "address": address,
                "phone": phone,
                "can_refer": True,
                "source_ref": "射阳县医疗保险异地就医办理指南 §八 射阳县转诊转院医疗机构联系方式",
            },
        )


class Migration(migrations.Migration):
    dependencies = [("offices", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
