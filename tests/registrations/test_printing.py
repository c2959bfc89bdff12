"""The mail channel's printables: PDFs with an embedded Chinese font, for the owner only."""

import datetime
import io
from importlib.util import find_spec

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from registrations import printing
from tests.conftest import make_enrollee, require
from tests.registrations.factories import LONG_TERM, OTHER_TEMPORARY, make_approved, make_registration

DOCUMENTS = ("registration_form", "commitment", "receipt")
SHEYANG_ENROLLEE_ID = "320924197506120023"
LONG_TERM_PROOF = {
    **LONG_TERM,
    "proof_valid_until": datetime.date(2030, 6, 30),
    "contact_address": "深圳市南山区某街1号",
}


@pytest.fixture
def fonts():
    try:
        return printing.find_fonts()
    except printing.FontUnavailable as error:
        require(False, f"{error} (apt-get install fonts-wqy-microhei)")


@pytest.fixture
def enrollee_client(client, enrollee):
    client.force_login(enrollee)
    return client


def url(name, registration):
    return reverse(f"printing:{name}", kwargs={"uuid": registration.uuid})


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def embedded_font_files(pdf: bytes) -> set[str]:
    """The FontFile* keys of every font the pages use: an empty set means nothing is embedded."""
    found = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", []):
                descriptor = descendant.get_object()["/FontDescriptor"].get_object()
                found |= {key for key in descriptor if key.startswith("/FontFile")}
            if "/FontDescriptor" in font:
                found |= {key for key in font["/FontDescriptor"].get_object() if key.startswith("/FontFile")}
            else:
                assert "/DescendantFonts" in font, f"a font without an embedded file: {font.get('/BaseFont')}"
    return found


def assert_pdf_response(response, filename_start: str) -> bytes:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline;")
    assert "filename*=UTF-8''" + filename_start in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    pdf = response.content
    assert pdf.startswith(b"%PDF")
    assert embedded_font_files(pdf) == {"/FontFile2"}
    return pdf


# --- The registration form ---------------------------------------------------------------------


def test_registration_form_for_owner(enrollee_client, enrollee, fonts):
    registration = make_registration(enrollee, submit=True)

    pdf = assert_pdf_response(enrollee_client.get(url("registration_form", registration)), "%E5%BC%82%E5%9C%B0")

    text = text_of(pdf)
    for expected in ("张三", registration.number, enrollee.national_id_masked, "姓名", "公民身份号码", "备案类型"):
        assert expected in text
    assert "异地转诊人员" in text
    assert "上海市" in text
    assert "南通大学附属医院" in text
    assert "签名" in text
    assert "32060219900101123X" not in text  # the full number is never printed


def test_registration_form_names_the_jurisdictions_mail_form_and_address(enrollee_client, enrollee, fonts):
    registration = make_registration(enrollee, fields=OTHER_TEMPORARY, submit=True)

    text = text_of(enrollee_client.get(url("registration_form", registration)).content)

    assert "《南通市基本医疗保险参保人员异地就医登记备案表》" in text
    assert "南通市崇川区工农南路150号" in text  # the office's mailing address
    assert "12393" in text
    assert "12345" in text
    assert "社会保障卡" in text  # the materials the rules ask for


def test_registration_form_without_a_mail_form_says_the_printout_is_accepted(client, db, fonts):
    sheyang = make_enrollee(SHEYANG_ENROLLEE_ID, name="王五", phone="13800000003", office_code="sheyang")
    registration = make_registration(sheyang, fields=LONG_TERM_PROOF)
    client.force_login(sheyang)

    text = text_of(client.get(url("registration_form", registration)).content)

    assert "射阳县基本医疗保险异地就医备案信息表" in text
    assert "南通" not in text
    assert "受理本门户打印件" in text
    assert "射阳县解放路24号" in text
    assert "0515-82330035" in text


def test_registration_form_query_count(enrollee_client, enrollee, fonts, django_assert_max_num_queries):
    registration = make_registration(enrollee, submit=True)

    with django_assert_max_num_queries(12):
        assert enrollee_client.get(url("registration_form", registration)).status_code == 200


# --- The commitment letter ------------------------------------------------------------------------


def test_commitment_letter_for_owner(enrollee_client, enrollee, fonts):
    registration = make_registration(enrollee, fields=LONG_TERM_PROOF, submit=True)

    pdf = assert_pdf_response(enrollee_client.get(url("commitment", registration)), "%E4%B8%AA%E4%BA%BA")

    text = text_of(pdf)
    for expected in ("个人承诺书", "张三", enrollee.national_id_masked, registration.number, "广东省深圳市"):
        assert expected in text
    assert "长期居住" in text
    assert "承担相应责任" in text
    assert "非经办机构发布的官方文本" in text


def test_commitment_letter_only_where_the_rules_accept_one(enrollee_client, enrollee, fonts):
    referral = make_registration(enrollee, submit=True)

    response = enrollee_client.get(url("commitment", referral))

    assert response.status_code == 409
    assert response["Content-Type"].startswith("text/plain")


# --- The receipt ----------------------------------------------------------------------------------


def test_receipt_for_owner(enrollee_client, enrollee, fonts):
    registration = make_registration(enrollee, submit=True)

    pdf = assert_pdf_response(enrollee_client.get(url("receipt", registration)), "%E5%A4%87%E6%A1%88")

    text = text_of(pdf)
    for expected in ("回执", "张三", registration.number, "异地转诊人员", "已提交，待审核", "当前状态"):
        assert expected in text
    assert timezone.localdate(registration.submitted_at).strftime("%Y年%-m月%-d日") in text


def test_receipt_qr_code_decodes_to_the_status_check(enrollee_client, enrollee, fonts):
    require(find_spec("zxingcpp") is not None, "zxing-cpp decodes the QR code (requirements-dev.txt)")
    import zxingcpp

    registration = make_registration(enrollee, submit=True)

    pdf = enrollee_client.get(url("receipt", registration)).content

    images = PdfReader(io.BytesIO(pdf)).pages[0].images
    assert len(images) == 1
    decoded = [barcode.text for barcode in zxingcpp.read_barcodes(images[0].image)]
    assert decoded == [f"http://testserver/registrations/status/?number={registration.number}"]


def test_receipt_of_an_approved_registration_shows_its_validity(enrollee_client, enrollee, window_staff, fonts):
    with time_machine.travel(datetime.datetime(2025, 9, 1, 10, tzinfo=datetime.UTC), tick=False):
        registration = make_approved(enrollee, window_staff)
        text = text_of(enrollee_client.get(url("receipt", registration)).content)

    assert registration.status == "approved"
    assert "已通过" in text
    valid_from, valid_until = registration.valid_from, registration.valid_until
    assert f"{valid_from.year}年{valid_from.month}月{valid_from.day}日" in text
    assert f"{valid_until.year}年{valid_until.month}月{valid_until.day}日" in text


def test_receipt_of_a_draft_is_refused(enrollee_client, enrollee, fonts):
    draft = make_registration(enrollee)

    assert enrollee_client.get(url("receipt", draft)).status_code == 409


# --- Who may print ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", DOCUMENTS)
def test_printables_of_another_enrollee_are_404(client, enrollee, other_enrollee, name):
    registration = make_registration(enrollee, fields=LONG_TERM_PROOF, submit=True)
    client.force_login(other_enrollee)

    assert client.get(url(name, registration)).status_code == 404


@pytest.mark.parametrize("name", DOCUMENTS)
def test_printables_of_another_office_are_404_for_its_staff(client, enrollee, other_office_staff, name):
    registration = make_registration(enrollee, fields=LONG_TERM_PROOF, submit=True)
    client.force_login(other_office_staff)

    assert client.get(url(name, registration)).status_code == 404


def test_window_staff_of_the_office_may_print(client, enrollee, window_staff, fonts):
    registration = make_registration(enrollee, submit=True)
    client.force_login(window_staff)

    assert client.get(url("registration_form", registration)).status_code == 200


@pytest.mark.parametrize("name", DOCUMENTS)
def test_printables_need_login(client, enrollee, name):
    registration = make_registration(enrollee, submit=True)

    response = client.get(url(name, registration))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


# --- Language, fonts, payload ---------------------------------------------------------------------


def test_printables_carry_english_glosses_in_english(enrollee_client, enrollee, settings, fonts):
    registration = make_registration(enrollee, fields=LONG_TERM_PROOF, submit=True)
    enrollee_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    form = text_of(enrollee_client.get(url("registration_form", registration)).content)
    letter = text_of(enrollee_client.get(url("commitment", registration)).content)
    receipt = text_of(enrollee_client.get(url("receipt", registration)).content)

    assert "姓名" in form
    assert "Name" in form
    assert "Start date" in form
    assert "Registration form for medical care outside the insured region" in form
    assert "Reference translation" in letter
    assert "个人承诺书" in letter
    assert "Status" in receipt
    assert "Scan to check the status" in receipt


def test_printables_in_chinese_have_no_english_glosses(enrollee_client, enrollee, fonts):
    registration = make_registration(enrollee, submit=True)

    text = text_of(enrollee_client.get(url("registration_form", registration)).content)

    assert "Start date" not in text


@pytest.mark.parametrize("name", DOCUMENTS)
def test_printables_answer_503_without_a_chinese_font(enrollee_client, enrollee, settings, tmp_path, name):
    settings.PRINT_FONT_FILE = str(tmp_path / "missing.ttf")
    registration = make_registration(enrollee, fields=LONG_TERM_PROOF, submit=True)

    response = enrollee_client.get(url(name, registration))

    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/plain")
    assert "font" in response.content.decode() or "字体" in response.content.decode()


def test_find_fonts_refuses_a_font_without_truetype_outlines(tmp_path):
    not_a_font = tmp_path / "font.ttf"
    not_a_font.write_bytes(b"not a font")

    with pytest.raises(printing.FontUnavailable):
        printing.find_fonts(str(not_a_font))


def test_status_check_payload_and_qr_code():
    require(find_spec("zxingcpp") is not None, "zxing-cpp decodes the QR code (requirements-dev.txt)")
    import zxingcpp
    from PIL import Image

    assert printing.status_check_path("BA20250901123456") == "/registrations/status/?number=BA20250901123456"
    url_ = "https://portal.example.cn/registrations/status/?number=BA20250901123456"

    image = Image.open(io.BytesIO(printing.qr_png(printing.status_qr(url_))))

    assert [barcode.text for barcode in zxingcpp.read_barcodes(image)] == [url_]


def test_mail_form_title_comes_from_the_rules():
    forms = "《南通市基本医疗保险参保人员异地就医登记备案表》或《个人承诺书》"

    assert printing.mail_form_title(forms) == "南通市基本医疗保险参保人员异地就医登记备案表"
    assert printing.mail_form_title("《个人承诺书》") == ""
    assert printing.mail_form_title("") == ""


def _printout(**overrides):
    values = {
        "number": "BA20250901000001",
        "status": "submitted",
        "jurisdiction_name": "南通市",
        "office": printing.OfficeContact(name="市区", office_address="南通市崇川区工农南路150号", phones=("12393",)),
        "registration_type_name": "异地长期居住人员",
        "category": "long_term",
        "enrollee_name": "张三",
        "national_id_masked": "3206**********123X",
        "care_province": "广东省",
        "care_city": "深圳市",
    }
    return printing.Printout(**{**values, **overrides})


def test_characters_no_font_has_print_as_a_box(fonts):
    pdf = printing.commitment_letter_pdf(
        _printout(enrollee_name="张\U00020000"), fonts=fonts, printed_at=timezone.localtime()
    )

    assert "张□" in text_of(pdf)


def test_rare_characters_of_names_come_from_the_fallback_font(fonts):
    require(bool(fonts.fallbacks), "a fallback font with CJK Extension A (apt-get install fonts-droid-fallback)")

    pdf = printing.registration_form_pdf(_printout(enrollee_name="王䶮"), fonts=fonts, printed_at=timezone.localtime())

    assert "王䶮" in text_of(pdf)
