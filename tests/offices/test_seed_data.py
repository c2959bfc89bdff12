"""The offices the migrations load must be the seed documents' rows, character for character.

The seed texts are copied into docs/sources/ (the portal never reads ../shared at run time);
these tests parse them independently of the migration and compare row by row.
"""

import re
from pathlib import Path

import pytest

from offices.models import Institution, Jurisdiction, Office

SOURCES = Path(__file__).resolve().parents[2] / "docs" / "sources"
NANTONG = (SOURCES / "nantong-2025-policy-qa.txt").read_text(encoding="utf-8")
SHEYANG = (SOURCES / "sheyang-2019-guide.txt").read_text(encoding="utf-8")


def _phones(cell: str) -> list[tuple[str, str]]:
    """'12345、 84180001(职工)、 84512074(居民)' → [('12345', ''), ('84180001', '职工'), …]."""
    phones = []
    for part in re.split("、", cell):
        match = re.fullmatch(r"\s*([\d-]+)\s*(?:\((.+)\))?\s*", part)
        assert match, f"unparsed phone {part!r}"
        phones.append((match[1], match[2] or ""))
    return phones


def nantong_rows() -> list[tuple]:
    lines = NANTONG.split("地区\t咨询电话\t邮寄地址\t办公地址\n", 1)[1].splitlines()
    rows = []
    for line in lines:
        if not line.strip():
            break
        area, phones, mailing, office = line.split("\t")
        rows.append((area, _phones(phones), mailing, office))
    return rows


def _office_row(office: Office) -> tuple:
    phones = [(p.number, p.label_zh) for p in office.phones.all()]
    return (office.name_zh, phones, office.mailing_address, office.office_address)


@pytest.mark.django_db
def test_nantong_offices_match_seed_table_row_by_row():
    expected = nantong_rows()
    assert len(expected) == 7
    actual = [_office_row(o) for o in Office.objects.filter(jurisdiction__code="nantong").order_by("position")]
    assert actual == expected


@pytest.mark.django_db
def test_rudong_phones_carry_employee_and_resident_labels():
    rudong = Office.objects.get(name_zh="如东县")
    labels = {p.number: (p.label_zh, p.label_en) for p in rudong.phones.all()}
    assert labels == {"12345": ("", ""), "84180001": ("职工", "employees"), "84512074": ("居民", "residents")}


@pytest.mark.django_db
def test_sheyang_office_matches_guide_section_seven():
    section = SHEYANG.split("**七、", 1)[1].split("**八、", 1)[0]
    address = re.search(r"地址：(\S+)", section)[1]
    phone = re.search(r"联系电话：(\S+)", section)[1]
    office = Office.objects.get(jurisdiction__code="sheyang")
    assert _office_row(office) == ("射阳县", [(phone, "")], "", address)


@pytest.mark.django_db
def test_sheyang_referral_hospitals_match_guide_table():
    table = SHEYANG.split("序号\t医疗机构名称\t地址\t联系电话\n", 1)[1]
    expected = [tuple(line.split("\t")[1:]) for line in table.splitlines() if re.match(r"\d+\t", line)]
    assert len(expected) == 3
    actual = [
        (i.name, i.address, i.phone)
        for i in Institution.objects.filter(jurisdiction__code="sheyang", can_refer=True).order_by("phone")
    ]
    assert sorted(actual, key=lambda r: r[2]) == sorted(expected, key=lambda r: r[2])
    # The guide gives no hospital levels: none may be invented.
    assert not Institution.objects.filter(jurisdiction__code="sheyang", level__isnull=False).exists()


@pytest.mark.django_db
def test_jurisdiction_hotlines_and_dates_match_sources():
    nantong = Jurisdiction.objects.get(code="nantong")
    hotline_line = re.search(r"咨询热线：(.+)", NANTONG)[1]
    assert sorted(nantong.hotlines) == sorted(hotline_line.split())
    assert nantong.effective_from.isoformat()[:7] == "2025-08"
    assert "2025年8月" in NANTONG

    sheyang = Jurisdiction.objects.get(code="sheyang")
    assert sheyang.hotlines == ["0515-82330035"]
    assert "联系电话：0515-82330035" in SHEYANG
    assert sheyang.effective_from.isoformat()[:7] == "2019-08"
    assert "2019年8月" in SHEYANG


@pytest.mark.django_db
def test_every_fresh_database_has_all_eight_offices():
    assert Office.objects.count() == 8
    assert Jurisdiction.objects.count() == 2
