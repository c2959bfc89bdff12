"""Load the two seed rule sets (docs/sources/): 南通 2025-08 and 射阳 2019-08.

Every row names the seed sentence it comes from (source_ref). Where a seed is silent the
row is left out rather than invented: 射阳 2019 states no claim window, no claim materials,
no special-disease designation and no reduction for any type (§五: benefits follow the
insured region's policy, so 0 points); neither seed gives benefit figures, so the benefit
table ships empty.
"""

import datetime

from django.db import migrations

NT_Q3 = "南通 Q3 异地就医备案类型"
NT_Q5 = "南通 Q5 异地就医联网结算范围"
NT_Q7 = "南通 Q7 异地就医直接结算政策"
NT_Q8 = "南通 Q8 报销材料、办理时限"
NT_Q9 = "南通 Q9 备案流程、方式、所需材料"
SY_LETTER = "射阳 2019 致参保人员的一封信"
SY_GUIDE = "射阳 2019 办理指南"

DOCUMENT_KINDS = [
    ("medical_insurance_e_voucher", "医保电子凭证", "Medical-insurance e-voucher"),
    ("id_document", "有效身份证件", "Valid identity document"),
    ("social_security_card", "社会保障卡", "Social security card"),
    ("household_register_front", "户口簿首页", "Household register, first page"),
    ("permanent_residence_card", "本人常住人口登记卡", "Own permanent-residence registration card"),
    ("residence_permit", "居住证", "Residence permit"),
    ("residence_proof", "有效的居住证明", "Valid proof of residence"),
    ("posting_certificate", "参保地工作单位派出凭证", "Employer's posting certificate"),
    ("labour_contract", "异地工作劳动合同", "Labour contract for work elsewhere"),
    ("commitment_letter", "个人承诺书", "Personal commitment letter"),
    ("referral_certificate", "转诊转院证明", "Referral certificate"),
    ("agent_id", "代办人身份证", "Agent's identity card"),
    ("outpatient_record", "门诊病历", "Outpatient medical record"),
    ("prescription", "处方底方", "Prescription"),
    ("invoice", "有效票据（加盖医院收费章）", "Valid invoices (with the hospital's charge seal)"),
    ("itemised_list", "费用明细清单（加盖医院收费章）", "Itemised list (with the hospital's charge seal)"),
    (
        "tumour_treatment_record",
        "有明确治疗记录的门诊病历（医院盖章）",
        "Outpatient record with clear treatment notes (sealed)",
    ),
    ("radiotherapy_record", "放射治疗记录单（医院盖章）", "Radiotherapy record sheet (sealed)"),
    ("radiotherapy_summary", "放疗小结（医院盖章）", "Radiotherapy summary (sealed)"),
    ("diagnosis_certificate", "诊断证明", "Diagnosis certificate"),
    ("discharge_summary", "出院小结", "Discharge summary"),
]

LONG_TERM_CHANNELS_NT = ["jiangsu_app", "national_app", "online", "mail", "service_station", "window"]

# (code, category, zh, en, description zh, description en, validity, months, points,
#  filing_required, review_required, channels, source_ref)
# fmt: off
NANTONG_TYPES = [
    ("retired_resettled", "long_term", "异地安置退休人员", "Retired and resettled elsewhere",
     "退休后在参保地设区市外定居并且户籍迁入定居地的人员。",
     "Retired, settled outside the city, household registration moved there.",
     "proof_expiry", None, 0, True, True, LONG_TERM_CHANNELS_NT,
     f"{NT_Q3}（一）1；有效期 {NT_Q7}.4；待遇 {NT_Q7}.3 长期异地居住…与本市相应等级医疗机构的一致；方式 {NT_Q9}（一）2"),
    ("long_term_resident", "long_term", "异地长期居住人员", "Living elsewhere long-term",
     "在参保地设区市外长期居住且未迁户籍的人员。",
     "Living outside the city long-term, household registration not moved.",
     "proof_expiry", None, 0, True, True, LONG_TERM_CHANNELS_NT,
     f"{NT_Q3}（一）2；有效期 {NT_Q7}.4；待遇 {NT_Q7}.3；方式 {NT_Q9}（一）2"),
    ("posted_worker", "long_term", "常驻异地工作人员", "Posted to work elsewhere",
     "用人单位派驻参保地设区市外长期工作的人员。",
     "Posted by the employer to work outside the city long-term.",
     "proof_expiry", None, 0, True, True, LONG_TERM_CHANNELS_NT,
     f"{NT_Q3}（一）3；有效期 {NT_Q7}.4；待遇 {NT_Q7}.3；方式 {NT_Q9}（一）2"),
    ("referral", "temporary", "异地转诊人员", "Referred by a hospital",
     "经参保地规定的定点医疗机构批准，需要到设区市外医疗机构继续就医的人员。",
     "Referred by an approved local designated hospital for further care outside the city.",
     "fixed_months", 12, 10, True, True, ["hospital", "jiangsu_app", "national_app", "online", "mail", "window"],
     f"{NT_Q3}（二）1；有效期 {NT_Q7}.4 临时外出就医人员备案有效期12个月；待遇 {NT_Q7}.3 经规定医疗机构审核办理备案手续…降低10个百分点；方式 {NT_Q9}（二）"),
    ("emergency", "temporary", "异地急诊抢救人员", "Emergency or rescue while away",
     "因工作、旅游等原因在异地急诊抢救的人员，视同已备案，无需办理备案手续。",
     "Emergency or rescue while away (work, travel…): counts as registered, no filing needed.",
     "not_required", None, 10, False, False, [],
     f"{NT_Q3}（二）2；{NT_Q7}.4 异地急诊抢救人员视同已备案，无需办理备案手续；待遇 {NT_Q7}.3 异地急诊抢救的，降低10个百分点；{NT_Q9}（二）异地急诊抢救人员"),
    ("other_temporary", "temporary", "其他临时外出就医人员", "Other temporary care elsewhere",
     "未办理异地转诊手续且不属于异地急诊抢救的临时外出就医人员。",
     "Neither referred nor an emergency.",
     "fixed_months", 12, 20, True, False, ["jiangsu_app", "national_app", "window", "mail"],
     f"{NT_Q3}（二）3；有效期 {NT_Q7}.4；待遇 {NT_Q7}.3 非急诊且未经规定医疗机构审核办理备案手续的，降低20个百分点；材料 {NT_Q9}（二）仅需提供本人有效身份证明材料"),
]

SHEYANG_TYPES = [
    ("retired_resettled", "long_term", "异地安置退休人员", "Retired and resettled elsewhere",
     "退休后在异地定居并迁入户籍的人员。",
     "Retired, settled elsewhere, household registration moved there.",
     "proof_expiry", None, 0, True, True, ["window", "online", "wechat"],
     f"{SY_GUIDE} 二.1；材料与方式 {SY_LETTER} 三.1–2；待遇 {SY_GUIDE} 五 待遇标准执行参保地政策（未规定降低比例）"),
    ("long_term_resident", "long_term", "异地长期居住人员", "Living elsewhere long-term",
     "在异地居住生活的人员。",
     "Living elsewhere.",
     "proof_expiry", None, 0, True, True, ["window", "online", "wechat"],
     f"{SY_GUIDE} 二.2；材料与方式 {SY_LETTER} 三.1–2；待遇 {SY_GUIDE} 五"),
    ("posted_worker", "long_term", "常驻异地工作人员", "Posted to work elsewhere",
     "用人单位派驻异地工作的人员。",
     "Posted by the employer to work elsewhere.",
     "proof_expiry", None, 0, True, True, ["window", "online", "wechat"],
     f"{SY_GUIDE} 二.3；材料与方式 {SY_LETTER} 三.1–2；待遇 {SY_GUIDE} 五"),
    ("referral", "temporary", "异地转诊人员", "Referred by a hospital",
     "因病需要转异地医疗机构治疗的人员，在参保地具有转诊资格的定点医疗机构办理。",
     "Needs treatment elsewhere; filed at a local hospital with referral rights.",
     "open_ended", None, 0, True, True, ["hospital"],
     f"{SY_GUIDE} 二.4、四；{SY_LETTER} 三 转诊就医…不需要再到经办机构办理；有效期未规定，变更见 {SY_GUIDE} 六.2"),
]
# fmt: on

IDENTITY_NT = (
    "identity",
    "身份证明",
    "Proof of identity",
    [
        ("e_voucher", "医保电子凭证", "Medical-insurance e-voucher", ["medical_insurance_e_voucher"]),
        ("id_document", "有效身份证件", "Valid identity document", ["id_document"]),
        ("social_security_card", "社会保障卡", "Social security card", ["social_security_card"]),
    ],
)
COMMITMENT = ("commitment_letter", "个人承诺书", "Personal commitment letter", ["commitment_letter"])
HOUSEHOLD = (
    "household_register",
    "户口簿首页和本人常住人口登记卡",
    "Household register first page and own registration card",
    ["household_register_front", "permanent_residence_card"],
)
AGENT = (
    "agent_id",
    "代办人身份证",
    "Agent's identity card",
    [("agent_id", "代办人身份证", "Agent's identity card", ["agent_id"])],
)

# type code -> [(group code, zh, en, options, when_agent, source_ref)]
NANTONG_REGISTRATION_MATERIALS = {
    "retired_resettled": [
        (*IDENTITY_NT, False, f"{NT_Q9}（一）1 医保电子凭证或有效身份证件或社会保障卡"),
        (
            "resettlement_proof",
            "异地安置认定材料",
            "Proof of resettlement",
            [HOUSEHOLD, COMMITMENT],
            False,
            f"{NT_Q9}（一）1 异地安置认定材料（“户口簿首页”和本人“常住人口登记卡”）…或个人承诺书",
        ),
    ],
    "long_term_resident": [
        (*IDENTITY_NT, False, f"{NT_Q9}（一）1 医保电子凭证或有效身份证件或社会保障卡"),
        (
            "residence_proof",
            "长期居住认定材料",
            "Proof of long-term residence",
            [
                ("residence_permit", "居住证", "Residence permit", ["residence_permit"]),
                HOUSEHOLD,
                COMMITMENT,
            ],
            False,
            f"{NT_Q9}（一）1 长期居住认定材料（居住证、户口簿首页和本人常住人口登记卡任选其一）…或个人承诺书",
        ),
    ],
    "posted_worker": [
        (*IDENTITY_NT, False, f"{NT_Q9}（一）1 医保电子凭证或有效身份证件或社会保障卡"),
        (
            "work_proof",
            "异地工作证明材料",
            "Proof of work elsewhere",
            [
                (
                    "posting_certificate",
                    "参保地工作单位派出凭证",
                    "Employer's posting certificate",
                    ["posting_certificate"],
                ),
                ("labour_contract", "异地工作劳动合同", "Labour contract for work elsewhere", ["labour_contract"]),
                COMMITMENT,
            ],
            False,
            f"{NT_Q9}（一）1 异地工作证明材料（参保地工作单位派出凭证、异地工作劳动合同任选其一）或个人承诺书",
        ),
    ],
    "referral": [
        (*IDENTITY_NT, False, f"{NT_Q9}（二）异地转诊人员备案 1 医保电子凭证或有效身份证件或社保卡"),
        (
            "referral_certificate",
            "转诊转院证明",
            "Referral certificate",
            [
                ("referral_certificate", "转诊转院证明", "Referral certificate", ["referral_certificate"]),
            ],
            False,
            f"{NT_Q9}（二）南通市医疗保险定点二级及以上医院（二级专科医院限专科疾病）出具的转诊转院证明材料",
        ),
    ],
    "emergency": [],
    "other_temporary": [
        (*IDENTITY_NT, False, f"{NT_Q9}（二）其他临时外出就医人员备案仅需提供本人有效身份证明材料"),
    ],
}
# Filing for someone else: the agent's ID (portal rule; 南通 Q8 asks the same for claims).
for _groups in NANTONG_REGISTRATION_MATERIALS.values():
    if _groups:
        _groups.append((*AGENT, True, f"代办：代办人身份证（参照 {NT_Q8} 代报销人提供代办人身份证）"))

SY_ID = ("id_card", "本人身份证", "Own identity card", [("id_document", "身份证", "Identity card", ["id_document"])])
SY_CARD = (
    "social_security_card",
    "江苏省社会保障卡",
    "Jiangsu social security card",
    [("social_security_card", "社会保障卡", "Social security card", ["social_security_card"])],
)
SY_RESIDENCE = (
    "residence_proof",
    "居住证明",
    "Proof of residence",
    [("residence_proof", "各类有效的居住证明", "Any valid proof of residence", ["residence_proof"])],
)
SY_LONG_TERM = [
    (*SY_ID, False, f"{SY_LETTER} 三.1 需携带本人身份证、社会保障卡和相关材料"),
    (*SY_CARD, False, f"{SY_LETTER} 三.1；到外地异地就医只能使用全省统一的社会保障卡"),
    (*SY_RESIDENCE, False, f"{SY_LETTER} 三.1 相关材料是各类有效的居住证明"),
    (*AGENT, True, f"{SY_LETTER} 三.1 如果需要委托他人代办时，应提供代办人身份证"),
]
SHEYANG_REGISTRATION_MATERIALS = {
    "retired_resettled": SY_LONG_TERM,
    "long_term_resident": SY_LONG_TERM,
    "posted_worker": SY_LONG_TERM,
    "referral": [
        (*SY_ID, False, f"{SY_LETTER} 三 转诊就医办理备案，可携带身份证、社保卡"),
        (*SY_CARD, False, f"{SY_LETTER} 三 转诊就医办理备案，可携带身份证、社保卡"),
    ],
}

CARD_NT = (
    "social_security_card",
    "江苏省社会保障卡",
    "Jiangsu social security card",
    [("social_security_card", "社会保障卡", "Social security card", ["social_security_card"])],
)
INVOICES = (
    "invoices",
    "有效票据及明细清单（加盖医院收费章）",
    "Valid invoices and itemised list (sealed)",
    [("invoices_and_list", "有效票据及明细清单", "Invoices and itemised list", ["invoice", "itemised_list"])],
)
# (claim kind, group..., treatments, when_agent, source_ref)
NANTONG_CLAIM_MATERIALS = [
    ("outpatient", *CARD_NT, [], False, f"{NT_Q8} 门诊费用报销…参保人员江苏省社会保障卡"),
    (
        "outpatient",
        "record_or_prescription",
        "门诊病历或处方底方",
        "Outpatient record or prescription",
        [
            ("outpatient_record", "门诊病历", "Outpatient medical record", ["outpatient_record"]),
            ("prescription", "处方底方", "Prescription", ["prescription"]),
        ],
        [],
        False,
        f"{NT_Q8} 就诊医院门诊病历或处方底方",
    ),
    ("outpatient", *INVOICES, [], False, f"{NT_Q8} 有效票据及明细清单（加盖医院收费章）"),
    (
        "outpatient",
        "tumour_treatment_record",
        "有明确治疗记录的门诊病历（医院盖章）",
        "Outpatient record with clear treatment notes (sealed)",
        [
            (
                "tumour_treatment_record",
                "有明确治疗记录的门诊病历",
                "Outpatient record with treatment notes",
                ["tumour_treatment_record"],
            ),
        ],
        ["tumour_treatment", "tumour_radiotherapy"],
        False,
        f"{NT_Q8} 恶性肿瘤（放疗、化疗、介入治疗、生物靶向药物治疗、内分泌治疗）的费用，另需提供医院盖章的有明确治疗记录的门诊病历",
    ),
    (
        "outpatient",
        "radiotherapy_record",
        "放射治疗记录单或放疗小结（医院盖章）",
        "Radiotherapy record sheet or summary (sealed)",
        [
            ("radiotherapy_record", "放射治疗记录单", "Radiotherapy record sheet", ["radiotherapy_record"]),
            ("radiotherapy_summary", "放疗小结", "Radiotherapy summary", ["radiotherapy_summary"]),
        ],
        ["tumour_radiotherapy"],
        False,
        f"{NT_Q8} 恶性肿瘤门诊放疗的费用，另需提供医院盖章的放射治疗记录单或放疗小结",
    ),
    ("outpatient", *AGENT, [], True, f"{NT_Q8} 代报销人提供代办人身份证"),
    ("inpatient", *CARD_NT, [], False, f"{NT_Q8} 住院费用报销…参保人员江苏省社会保障卡"),
    ("inpatient", *INVOICES, [], False, f"{NT_Q8} 住院有效票据及明细清单（加盖医院收费章）"),
    (
        "inpatient",
        "diagnosis",
        "诊断证明或出院小结",
        "Diagnosis certificate or discharge summary",
        [
            ("diagnosis_certificate", "诊断证明", "Diagnosis certificate", ["diagnosis_certificate"]),
            ("discharge_summary", "出院小结", "Discharge summary", ["discharge_summary"]),
        ],
        [],
        False,
        f"{NT_Q8} 诊断证明或出院小结",
    ),
    ("inpatient", *AGENT, [], True, f"{NT_Q8} 代报销人提供代办人身份证"),
]

NANTONG = {
    "jurisdiction": "nantong",
    "name": "南通 2025-08",
    "effective_from": datetime.date(2025, 8, 1),
    "source": "南通市医疗保险异地就医政策问答（南通市医疗保险基金管理中心，2025年8月）",
    "source_ref": "nantong-2025-policy-qa.txt",
    "claim_deadline_month": 12,
    "claim_deadline_day": 31,
    "claim_extension_month": 3,
    "claim_extension_day": 31,
    "claim_extension_year_offset": 1,
    "claim_window_source_ref": f"{NT_Q8} 当年发生的医疗费用应在当年12月底前报销，特殊情况可延至次年3月底",
}
SHEYANG = {
    "jurisdiction": "sheyang",
    "name": "射阳 2019-08",
    "effective_from": datetime.date(2019, 8, 1),
    "source": "致全县医疗保险参保人员的一封信；射阳县医疗保险异地就医办理指南（射阳县医疗保险基金管理中心，2019年8月）",
    "source_ref": "sheyang-2019-guide.txt",
    "claim_window_source_ref": f"{SY_LETTER} 四 手工报销…具体规定请咨询参保地医保部门（未规定时限）",
}

NT_Q6 = "南通 Q6 定点医疗机构如何查询"
# (care scope, catalogue, institution look-up name, look-up URL, source_ref)
# fmt: off
CATALOGUE = {
    "nantong": [
        ("in_province", "jiangsu_unified", "江苏省医疗保障局官网", "http://ybj.jiangsu.gov.cn",
         f"{NT_Q7}.1 执行江苏省统一的基本医疗保险药品目录、诊疗项目及耗材和医疗服务设施标准范围；查询 {NT_Q6}.1"),
        ("cross_province", "care_region", "国家医保服务平台", "https://fuwu.nhsa.gov.cn",
         f"{NT_Q7}.2 执行就医地规定的医保目录及范围；查询 {NT_Q6}.2"),
    ],
    "sheyang": [
        ("in_province", "jiangsu_unified", "", "",
         f"{SY_LETTER} 四 省内…执行全省统一的医疗保险药品目录、诊疗项目、医疗服务设施标准"),
        ("cross_province", "care_region", "", "",
         f"{SY_LETTER} 四 跨省…执行就医所在省的医保目录及范围；与上海门诊费用结算，执行就医地规定的医保目录及范围"),
    ],
}
# fmt: on
MAIL_FORMS_NT = {
    "retired_resettled": "《南通市基本医疗保险参保人员异地就医登记备案表》或《个人承诺书》",
    "long_term_resident": "《南通市基本医疗保险参保人员异地就医登记备案表》或《个人承诺书》",
    "posted_worker": "《南通市基本医疗保险参保人员异地就医登记备案表》或《个人承诺书》",
    "other_temporary": "《南通市基本医疗保险参保人员异地就医登记备案表》",
}
# Who may refer: 南通 Q9（二）定点二级及以上医院; 射阳 指南 四 具有转诊资格的定点医疗机构.
REFERRER = {"nantong": {"referrer_min_level": 2}, "sheyang": {"referrer_needs_referral_rights": True}}

SETTLEMENT = {
    "nantong": [
        ("", "", service, f"{NT_Q5} “一单制”…直接结算范围覆盖住院、普通门诊、门诊统筹、门诊慢特病以及药店购药相关费用")
        for service in [
            "inpatient",
            "general_outpatient",
            "outpatient_pooling",
            "outpatient_chronic_special",
            "pharmacy",
        ]
    ],
    "sheyang": [
        ("in_province", "", "outpatient", f"{SY_LETTER} 二 省内异地就医门诊和住院费用直接结算"),
        ("in_province", "", "inpatient", f"{SY_LETTER} 二 省内异地就医门诊和住院费用直接结算"),
        ("cross_province", "", "inpatient", f"{SY_LETTER} 二 跨省异地就医住院费用直接结算"),
        ("cross_province", "上海市", "outpatient", f"{SY_LETTER} 二 与上海市异地就医门诊费用直接结算"),
    ],
}

SPECIAL_DISEASES = [
    ("malignant_tumour", 2, False, f"{NT_Q5}(1) 恶性肿瘤…应选择一家…二级及以上医疗机构"),
    ("dialysis", None, True, f"{NT_Q5}(2) 终末期肾病门诊透析治疗的，应选择一家…具备透析治疗资质的医疗机构"),
    ("transplant_antirejection", 3, False, f"{NT_Q5}(3) 门诊器官移植抗排异…应选择一家…三级医疗机构"),
    ("pulmonary_hypertension", 3, False, f"{NT_Q5}(3) 肺动脉高压治疗的，应选择一家…三级医疗机构"),
]


def _add_groups(apps, ruleset, purpose, groups, kinds, registration_type=None, claim_kind=""):
    MaterialGroup = apps.get_model("policy", "MaterialGroup")
    MaterialOption = apps.get_model("policy", "MaterialOption")
    for position, (code, name_zh, name_en, options, treatments, when_agent, source_ref) in enumerate(groups):
        group = MaterialGroup.objects.create(
            ruleset=ruleset,
            purpose=purpose,
            registration_type=registration_type,
            claim_kind=claim_kind,
            treatments=treatments,
            when_agent=when_agent,
            code=code,
            name_zh=name_zh,
            name_en=name_en,
            position=position,
            source_ref=source_ref,
        )
        for option_position, (option_code, option_zh, option_en, documents) in enumerate(options):
            option = MaterialOption.objects.create(
                group=group, code=option_code, name_zh=option_zh, name_en=option_en, position=option_position
            )
            option.document_kinds.set([kinds[d] for d in documents])


def load(apps, schema_editor):
    Jurisdiction = apps.get_model("offices", "Jurisdiction")
    RuleSet = apps.get_model("policy", "RuleSet")
    RegistrationType = apps.get_model("policy", "RegistrationType")
    DocumentKind = apps.get_model("policy", "DocumentKind")
    CatalogueRule = apps.get_model("policy", "CatalogueRule")
    SettlementScope = apps.get_model("policy", "SettlementScope")
    SpecialDiseaseRule = apps.get_model("policy", "SpecialDiseaseRule")

    kinds = {code: DocumentKind.objects.create(code=code, name_zh=zh, name_en=en) for code, zh, en in DOCUMENT_KINDS}
    for header, types, registration_materials in (
        (NANTONG, NANTONG_TYPES, NANTONG_REGISTRATION_MATERIALS),
        (SHEYANG, SHEYANG_TYPES, SHEYANG_REGISTRATION_MATERIALS),
    ):
        jurisdiction = Jurisdiction.objects.get(code=header["jurisdiction"])
        ruleset = RuleSet.objects.create(**{**header, "jurisdiction": jurisdiction})
        for position, row in enumerate(types):
            (code, category, name_zh, name_en, desc_zh, desc_en, validity_rule, months, points,
             filing_required, review_required, channels, source_ref) = row  # fmt: skip
            registration_type = RegistrationType.objects.create(
                ruleset=ruleset,
                code=code,
                category=category,
                name_zh=name_zh,
                name_en=name_en,
                description_zh=desc_zh,
                description_en=desc_en,
                validity_rule=validity_rule,
                validity_months=months,
                reduction_points=points,
                filing_required=filing_required,
                review_required=review_required,
                channels=channels,
                mail_forms=MAIL_FORMS_NT.get(code, "") if header["jurisdiction"] == "nantong" else "",
                position=position,
                source_ref=source_ref,
                **(REFERRER[header["jurisdiction"]] if code == "referral" else {}),
            )
            groups = [
                (code_, zh, en, options, [], when_agent, ref)
                for code_, zh, en, options, when_agent, ref in registration_materials[code]
            ]
            _add_groups(apps, ruleset, "registration", groups, kinds, registration_type=registration_type)
        for care_scope, catalogue, lookup_name, lookup_url, source_ref in CATALOGUE[header["jurisdiction"]]:
            CatalogueRule.objects.create(
                ruleset=ruleset,
                care_scope=care_scope,
                catalogue=catalogue,
                institution_lookup_name=lookup_name,
                institution_lookup_url=lookup_url,
                source_ref=source_ref,
            )
        for care_scope, province, service, source_ref in SETTLEMENT[header["jurisdiction"]]:
            SettlementScope.objects.create(
                ruleset=ruleset, care_scope=care_scope, care_province=province, service=service, source_ref=source_ref
            )
        if header["jurisdiction"] == "nantong":
            for claim_kind, *group in NANTONG_CLAIM_MATERIALS:
                _add_groups(apps, ruleset, "claim", [tuple(group)], kinds, claim_kind=claim_kind)
            for disease, min_level, dialysis, source_ref in SPECIAL_DISEASES:
                SpecialDiseaseRule.objects.create(
                    ruleset=ruleset,
                    disease=disease,
                    min_level=min_level,
                    requires_dialysis_qualification=dialysis,
                    source_ref=source_ref,
                )


class Migration(migrations.Migration):
    dependencies = [("policy", "0001_initial"), ("offices", "0002_seed_offices")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
