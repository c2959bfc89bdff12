"""Printables of the mail channel, as PDF: the registration form, the 个人承诺书, the receipt.

Pure functions over plain values (a `Printout` the view fills in from the registration, its
rule set and its office); no database, no request. They return the PDF's bytes.

The documents are Chinese documents: they go to, or are shown at, a Chinese office, so their
text is Chinese whatever the portal's language. With `english=True` every label carries an
English gloss and the commitment letter an English reference translation, so an English
reader knows what they sign; the glosses are gettext strings with the context "printout".

Chinese in a PDF needs a font *embedded in the file*, or a machine without Chinese fonts shows
blanks. fpdf2 embeds a subset of a TrueType font (only the glyphs used: a PDF is 30–50 kB). The font comes
from the machine (`find_fonts`): Debian's fonts-wqy-microhei (all 20,932 ideographs of
U+4E00–9FA5, with Latin), with Debian's fonts-droid-fallback, when present, for the 6,582
rarer ideographs of Extension A that turn up in names. Noto CJK (CFF outlines) is not used:
fpdf2 2.8 writes its widths under the wrong CIDs, so text extraction and strict viewers break.
A character no font has prints as □, for the person to write in by hand.

Identity numbers are printed masked (3206**********1234), never decrypted for a printout; the
form leaves a box for the full number, written by hand when the office asks for it.
"""

import datetime
import io
import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlencode

import segno
from django.utils.translation import pgettext
from fontTools.ttLib import TTFont
from fpdf import FPDF, FontFace
from fpdf.enums import Align, TableCellFillMode, WrapMode, XPos, YPos

from policy.constants import Category, Scheme, SpecialDisease
from registrations.constants import RegistrationStatus

# Debian's paths; the first that exists is used. Only TrueType (glyf) outlines: see above.
MAIN_FONTS = (
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),  # fonts-wqy-microhei
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),  # fonts-wqy-zenhei
)
FALLBACK_FONTS = (("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", 0),)  # fonts-droid-fallback
MISSING_CHARACTER = "□"
BLANK = "—"
# fontTools logs every table it prunes while fpdf2 subsets the font, at INFO, for every PDF.
logging.getLogger("fontTools.subset").setLevel(logging.WARNING)

# The public status page (another app's) takes the number; the person adds the ID's last 4.
STATUS_CHECK_PATH = "/registrations/status/"

SCHEME_ZH = {Scheme.EMPLOYEE: "职工基本医疗保险", Scheme.RESIDENT: "城乡居民基本医疗保险"}
CATEGORY_ZH = {Category.LONG_TERM: "长期异地居住人员", Category.TEMPORARY: "临时外出就医人员"}
SPECIAL_DISEASE_ZH = {
    SpecialDisease.MALIGNANT_TUMOUR: "恶性肿瘤门诊治疗",
    SpecialDisease.DIALYSIS: "终末期肾病门诊透析",
    SpecialDisease.TRANSPLANT_ANTIREJECTION: "器官移植门诊抗排异治疗",
    SpecialDisease.PULMONARY_HYPERTENSION: "肺动脉高压",
}
STATUS_ZH = {
    RegistrationStatus.DRAFT: "草稿（未提交）",
    RegistrationStatus.SUBMITTED: "已提交，待审核",
    RegistrationStatus.RETURNED: "已退回补正",
    RegistrationStatus.APPROVED: "已通过",
    RegistrationStatus.REJECTED: "未通过",
    RegistrationStatus.CANCELLED: "已取消",
    RegistrationStatus.EXPIRED: "已过期",
    RegistrationStatus.SUPERSEDED: "已变更",
}


class FontUnavailable(Exception):
    """No usable Chinese font on this machine: the views answer 503."""


@dataclass(frozen=True)
class FontFile:
    path: str
    index: int = 0  # the face in a .ttc collection


@dataclass(frozen=True)
class Fonts:
    main: FontFile
    fallbacks: tuple[FontFile, ...] = ()


@dataclass(frozen=True)
class OfficeContact:
    name: str  # e.g. 南通市 · 市区
    office_address: str
    mailing_address: str = ""
    phones: tuple[str, ...] = ()  # "12393", "84180001（职工）"


@dataclass(frozen=True)
class Printout:
    """What the three documents show, as plain values (dates are local dates)."""

    number: str
    status: str
    jurisdiction_name: str  # 参保地, e.g. 南通市
    office: OfficeContact
    registration_type_name: str  # name_zh of the rule
    category: str
    enrollee_name: str
    national_id_masked: str
    phone: str = ""
    scheme: str = ""
    care_province: str = ""
    care_city: str = ""
    contact_address: str = ""
    start_date: datetime.date | None = None
    proof_valid_until: datetime.date | None = None
    referral_hospital: str = ""
    special_disease: str = ""
    designated_institution: str = ""
    agent_name: str = ""
    agent_id_masked: str = ""
    agent_relationship: str = ""
    submitted_on: datetime.date | None = None
    valid_from: datetime.date | None = None
    valid_until: datetime.date | None = None
    mail_forms: str = ""  # RegistrationType.mail_forms of its rule set
    mail_accepted: bool = False  # "mail" is one of the type's channels
    materials: tuple[str, ...] = ()  # what the rules ask to enclose, one line each
    ruleset_name: str = ""

    @property
    def care_region(self) -> str:
        if self.care_city and self.care_city != self.care_province:
            return f"{self.care_province}{self.care_city}"
        return self.care_province


# --- Fonts ---------------------------------------------------------------------------------


@lru_cache(maxsize=8)
def _has_truetype_outlines(path: str, index: int) -> bool:
    try:
        return "glyf" in TTFont(path, fontNumber=index, lazy=True)
    except Exception:  # an unreadable file is as good as none
        return False


def find_fonts(configured: str = "", main=MAIN_FONTS, fallbacks=FALLBACK_FONTS) -> Fonts:
    """The fonts to embed: `configured` (a path, e.g. settings.PRINT_FONT_FILE) or the first of
    `main` that exists, plus each of `fallbacks` that exists. FontUnavailable when none."""
    candidates = [(configured, 0)] if configured else list(main)
    found = [FontFile(path, index) for path, index in candidates if Path(path).is_file()]
    usable = [font for font in found if _has_truetype_outlines(font.path, font.index)]
    if not usable:
        tried = ", ".join(path for path, _ in candidates)
        reason = "has no TrueType outlines" if found else "not found"
        raise FontUnavailable(f"No Chinese TrueType font for PDFs ({reason}): {tried}")
    extra = tuple(
        FontFile(path, index)
        for path, index in fallbacks
        if Path(path).is_file() and _has_truetype_outlines(path, index) and path != usable[0].path
    )
    return Fonts(main=usable[0], fallbacks=extra)


# --- Helpers for the views ----------------------------------------------------------------------


def mail_form_title(mail_forms: str) -> str:
    """The registration form a filing by mail needs, from the rule's text, or "".

    "《南通市基本医疗保险参保人员异地就医登记备案表》或《个人承诺书》" → the first title that is
    not the commitment letter, which is its own document.
    """
    titles = re.findall(r"《([^》]+)》", mail_forms or "")
    return next((title for title in titles if "承诺书" not in title), "")


def status_check_path(number: str) -> str:
    """The public status page for a number, as a path: the view makes it absolute for the QR."""
    return f"{STATUS_CHECK_PATH}?{urlencode({'number': number})}"


def status_qr(url: str) -> segno.QRCode:
    # Level M survives a smudge or a fold of the printed page; the URL is short enough.
    return segno.make_qr(url, error="m")


def qr_png(qr: segno.QRCode) -> bytes:
    buffer = io.BytesIO()
    qr.save(buffer, kind="png", scale=8, border=4)
    return buffer.getvalue()


def _day(value: datetime.date | None) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else BLANK


def _or_blank(value: str) -> str:
    return value or BLANK


# --- Layout -----------------------------------------------------------------------------------

GREY = (90, 90, 90)
LABEL_FILL = (238, 238, 238)


def _filled_in_text(printout: Printout) -> str:
    """Every text value of the printout: what people typed and the rules' data."""
    values = [*vars(printout).values(), *vars(printout.office).values()]
    strings = [value for value in values if isinstance(value, str)]
    strings += [item for value in values if isinstance(value, tuple) for item in value if isinstance(item, str)]
    return "".join(strings)


class _Sheet(FPDF):
    """An A4 page in the embedded Chinese font, with the glosses and the footer."""

    def __init__(self, fonts: Fonts, printout: Printout, *, english: bool, title: str, footer: str):
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.english = english
        self.footer_text = footer
        self.set_margins(18, 16, 18)
        self.set_auto_page_break(auto=True, margin=18)
        self.add_font("cjk", fname=fonts.main.path, collection_font_number=fonts.main.index)
        covered = set(self.fonts["cjk"].cmap)
        # Loading a font takes a quarter of a second: the fallbacks only when the person's
        # own text (names, addresses) has characters the main font lacks. Ours it has all.
        if fonts.fallbacks and {ord(ch) for ch in _filled_in_text(printout)} - covered:
            names = []
            for position, font in enumerate(fonts.fallbacks):
                name = f"cjk-fallback{position}"
                self.add_font(name, fname=font.path, collection_font_number=font.index)
                covered |= set(self.fonts[name].cmap)
                names.append(name)
            self.set_fallback_fonts(names)
        self._covered = frozenset(covered)
        self.set_title(title)
        self.set_lang("zh-CN")
        self.set_creator("异地就医 service portal")
        self.set_font("cjk", size=11)
        self.add_page()

    def printable(self, text: str) -> str:
        """Characters no embedded font has become □ (fpdf2 would drop them silently)."""
        return "".join(ch if ch in "\n\t" or ord(ch) in self._covered else MISSING_CHARACTER for ch in str(text))

    def label(self, zh: str, en) -> str:
        return f"{zh}\n{en}" if self.english else zh

    def footer(self):
        self.set_y(-12)
        self.set_font("cjk", size=8)
        self.set_text_color(*GREY)
        self.cell(0, 5, self.printable(f"{self.footer_text}　第 {self.page_no()}/{{nb}} 页"), align=Align.C)
        self.set_text_color(0)

    def block(self, text: str, *, height: float, align=Align.L) -> None:
        """Text across the page, then back to the left margin on the next line.

        Chinese wraps between any two characters, mostly-English text between words. The
        width is the page's, not 0 ("to the right margin"): after a cell that left x at the
        right margin that would be no width at all, and fpdf2's line breaking never ends.
        """
        self.set_x(self.l_margin)
        latin = sum(ch.isascii() for ch in text)
        wrap = WrapMode.WORD if latin > len(text) / 2 else WrapMode.CHAR
        self.multi_cell(
            self.epw, height, self.printable(text), align=align, wrapmode=wrap, new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )

    def heading(self, zh: str, en) -> None:
        self.set_font("cjk", size=17)
        self.block(zh, height=9, align=Align.C)
        if self.english:
            self.small(str(en), align=Align.C)
        self.set_font("cjk", size=11)
        self.ln(2)

    def small(self, text: str, *, align=Align.L, size: float = 9) -> None:
        self.set_font("cjk", size=size)
        self.set_text_color(*GREY)
        self.block(text, height=size * 0.5, align=align)
        self.set_text_color(0)
        self.set_font("cjk", size=11)

    def paragraph(self, text: str, *, size: float = 11.5, height: float = 7.5) -> None:
        self.set_font("cjk", size=size)
        self.block(text, height=height)
        self.set_font("cjk", size=11)

    def section(self, zh: str, en) -> None:
        self.ln(3)
        self.set_font("cjk", size=12.5)
        self.cell(0, 7, self.printable(f"{zh}　{en}" if self.english else zh), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font("cjk", size=11)

    def fields(self, rows, *, width: float | None = None, label_share: float = 0.3) -> None:
        """A table of shaded labels (with glosses) and values, like a paper form.

        Each row is a list of one or two (label, value) pairs, or None to leave it out. With
        two pairs the table has four columns and a single pair's value spans the other three;
        an empty value is a box to fill in by hand, so it gets room for handwriting.
        """
        rows = [row for row in rows if row]
        columns = 4 if any(len(row) == 2 for row in rows) else 2
        widths = (label_share, 1 - label_share) if columns == 2 else (0.18, 0.32, 0.18, 0.32)
        labels = FontFace(fill_color=LABEL_FILL, size_pt=9.5)
        self.set_font("cjk", size=10.5)
        with self.table(
            width=width or self.epw,
            col_widths=widths,
            align=Align.L,
            first_row_as_headings=False,
            text_align=Align.L,
            # English glosses break between words; Chinese between any two characters.
            wrapmode=WrapMode.WORD if self.english else WrapMode.CHAR,
            line_height=5.2,
            padding=1.3,
            cell_fill_mode=TableCellFillMode.NONE,
        ) as table:
            for row in rows:
                cells = table.row(min_height=10 if any(value == "" for _, value in row) else None)
                for label, value in row:
                    cells.cell(self.printable(label), style=labels)
                    span = 1 if len(row) == 2 or columns == 2 else columns - 1
                    cells.cell(self.printable(value), colspan=span)

    def signature(self, text: str) -> None:
        self.ln(6)
        self.set_font("cjk", size=11.5)
        self.block(text, height=9)

    def pdf_bytes(self) -> bytes:
        return bytes(self.output())


def _footer(printout: Printout, printed_at: datetime.datetime) -> str:
    return f"备案编号 {printout.number}　·　本门户打印件，打印时间 {printed_at:%Y-%m-%d %H:%M}"


# --- 1. The registration form -------------------------------------------------------------------


def registration_form_pdf(
    printout: Printout, *, fonts: Fonts, printed_at: datetime.datetime, english: bool = False
) -> bytes:
    """The pre-filled 登记备案表 to sign and mail (or bring) to the insured region's office.

    Its title is the jurisdiction's own form named in the rules (RegistrationType.mail_forms,
    南通 Q9: 《南通市基本医疗保险参保人员异地就医登记备案表》). A type whose rules name no form
    gets the portal's own 备案信息表, with a note that the office takes the portal's printout.
    """
    p = printout
    official = mail_form_title(p.mail_forms)
    title = f"《{official}》" if official else f"{p.jurisdiction_name}基本医疗保险异地就医备案信息表"
    pdf = _Sheet(fonts, p, english=english, title=title, footer=_footer(p, printed_at))
    g = pdf.label
    pdf.heading(title, pgettext("printout", "Registration form for medical care outside the insured region"))
    pdf.small(f"备案编号：{p.number}　本表由异地就医服务门户按网上填报内容预填，请核对无误后签名。")
    if english:
        pdf.small(
            pgettext(
                "printout",
                "Pre-filled by the portal from what you filed online: check it, then sign. The text is in "
                "Chinese because the office reads it; the English lines only explain it.",
            )
        )

    pdf.section("一、参保人员信息", pgettext("printout", "Enrollee"))
    pdf.fields(
        [
            [
                (g("姓名", pgettext("printout", "Name")), p.enrollee_name),
                (g("联系电话", pgettext("printout", "Phone")), _or_blank(p.phone)),
            ],
            [
                (g("公民身份号码", pgettext("printout", "Identity number")), _or_blank(p.national_id_masked)),
                (g("完整号码（如需请手写）", pgettext("printout", "Full number (by hand, if asked)")), ""),
            ],
            [
                (g("参保地", pgettext("printout", "Insured region")), p.jurisdiction_name),
                (g("参保经办机构", pgettext("printout", "Insured at office")), p.office.name),
            ],
            [(g("险种", pgettext("printout", "Insurance scheme")), SCHEME_ZH.get(p.scheme, BLANK))],
        ]
    )

    pdf.section("二、备案信息", pgettext("printout", "Registration"))
    category = CATEGORY_ZH.get(p.category, "")
    disease = SPECIAL_DISEASE_ZH.get(p.special_disease, "")
    if english and disease:
        disease = f"{disease}（{SpecialDisease(p.special_disease).label}）"
    pdf.fields(
        [
            [
                (g("备案编号", pgettext("printout", "Registration number")), p.number),
                (g("开始日期", pgettext("printout", "Start date")), _day(p.start_date)),
            ],
            [
                (
                    g("备案类型", pgettext("printout", "Registration type")),
                    f"{p.registration_type_name}（{category}）" if category else p.registration_type_name,
                )
            ],
            [
                (g("就医地", pgettext("printout", "Place of care")), _or_blank(p.care_region)),
                (g("证明材料有效期至", pgettext("printout", "Proof valid until")), _day(p.proof_valid_until)),
            ],
            [(g("就医地联系地址", pgettext("printout", "Address there")), _or_blank(p.contact_address))],
            [
                (g("转诊医院", pgettext("printout", "Referring hospital")), _or_blank(p.referral_hospital)),
                (g("特殊病种", pgettext("printout", "Special disease")), disease or BLANK),
            ],
            [
                (
                    g("选定的定点医疗机构", pgettext("printout", "Chosen designated institution")),
                    _or_blank(p.designated_institution),
                )
            ],
        ]
    )

    # Empty when nobody files for the enrollee: whoever mails it for them fills it in.
    pdf.section("三、代办人信息（本人办理的不填）", pgettext("printout", "Agent (leave empty when filing yourself)"))
    pdf.fields(
        [
            [
                (g("代办人姓名", pgettext("printout", "Agent's name")), p.agent_name),
                (g("与参保人关系", pgettext("printout", "Relationship to the enrollee")), p.agent_relationship),
            ],
            [(g("代办人身份号码", pgettext("printout", "Agent's identity number")), p.agent_id_masked)],
        ]
    )

    if p.materials:
        pdf.section("四、随表提交的材料", pgettext("printout", "Materials to enclose"))
        basis = f"（依据：{p.ruleset_name}）" if p.ruleset_name else ""
        pdf.paragraph("\n".join(f"□ {item}" for item in p.materials) + (f"\n{basis}" if basis else ""), size=10.5)

    pdf.signature(
        "本人承诺以上填写内容及所附材料真实、准确、完整。\n"
        "参保人（或代办人）签名：____________________　　日期：________年____月____日"
    )
    if english:
        pdf.small(
            pgettext(
                "printout",
                "I declare that the above and the enclosed materials are true, accurate and complete. "
                "Signature of the enrollee (or agent), date.",
            )
        )
    _where_to_send(pdf, p, official=bool(official))
    return pdf.pdf_bytes()


def _where_to_send(pdf: _Sheet, p: Printout, *, official: bool) -> None:
    office = p.office
    pdf.section("办理地址", pgettext("printout", "Where to send it"))
    if official and p.mail_accepted:
        how = "请将本表签名后，连同上列材料寄至下列地址，或交到经办窗口。"
        how_en = pgettext("printout", "Sign the form and mail it with the materials to this address, or bring it.")
    elif p.mail_accepted:
        how = "参保地规则未列出邮寄专用表格，经办机构受理本门户打印件：请签名后连同材料寄至下列地址，或交到经办窗口。"
        how_en = pgettext(
            "printout",
            "The rules name no form of their own: the office accepts this printout. Sign it and mail it with the "
            "materials, or bring it.",
        )
    else:
        how = "此备案类型不接受邮寄办理；经办机构受理本门户打印件：请签名后携本表及材料到下列经办窗口办理。"
        how_en = pgettext(
            "printout",
            "This registration type cannot be filed by mail; the office accepts this printout: sign it and bring it "
            "with the materials to the window below.",
        )
    pdf.paragraph(how, size=10.5, height=6.5)
    if pdf.english:
        pdf.small(how_en)
    g = pdf.label
    mailing = office.mailing_address if p.mail_accepted else ""
    pdf.fields(
        [
            [
                (
                    g("经办机构", pgettext("printout", "Office")),
                    f"{p.jurisdiction_name}医疗保险经办机构（{office.name}）",
                )
            ],
            [(g("邮寄地址", pgettext("printout", "Mailing address")), mailing)] if mailing else None,
            [(g("办公地址", pgettext("printout", "Office address")), _or_blank(office.office_address))],
            [(g("咨询电话", pgettext("printout", "Phones")), "、".join(office.phones) or BLANK)],
        ]
    )


# --- 2. The commitment letter ---------------------------------------------------------------------


def commitment_letter_pdf(
    printout: Printout, *, fonts: Fonts, printed_at: datetime.datetime, english: bool = False
) -> bytes:
    """The 个人承诺书 that may replace the proofs of long-term residence (南通 Q9（一）1).

    The text is the portal's template, said so on the page: no official wording is in the
    seeds, and an office that has its own form may ask for that one instead.
    """
    p = printout
    title = "个人承诺书"
    pdf = _Sheet(fonts, p, english=english, title=title, footer=_footer(p, printed_at))
    pdf.heading(title, pgettext("printout", "Personal commitment letter"))
    pdf.small(
        f"（{p.jurisdiction_name}基本医疗保险异地就医备案用。本承诺书为异地就医服务门户提供的参考样式，"
        "并非经办机构发布的官方文本；经办机构另有格式要求的，以其要求为准。）",
        align=Align.C,
    )
    if english:
        pdf.small(
            pgettext(
                "printout",
                "This is the portal's template, not an official text; if the office has its own form, use that one.",
            ),
            align=Align.C,
        )
    pdf.ln(4)
    scheme = SCHEME_ZH.get(p.scheme, "基本医疗保险")
    address = p.contact_address or "________________________________"
    since = _day(p.start_date) if p.start_date else "______年____月____日"
    pdf.paragraph(
        f"本人{p.enrollee_name}，公民身份号码{p.national_id_masked or '____________________'}，"
        f"系{p.jurisdiction_name}{scheme}参保人员。现申请办理异地就医备案（{p.registration_type_name}，"
        f"备案编号{p.number}），就医地为{p.care_region or '________'}。"
    )
    pdf.ln(2)
    pdf.paragraph("本人郑重承诺：")
    pdf.paragraph(
        f"一、本人自{since}起在{p.care_region or '________'}长期居住，居住地址为：{address}。\n"
        "二、本人填报的信息和提交的材料真实、准确、完整。\n"
        "三、居住地发生变化或不再在上述地区长期居住时，本人将及时办理备案变更或取消手续。\n"
        "四、如承诺内容不实，本人愿意承担相应责任，包括退还医保基金因此多支付的费用，并承担由此产生的法律责任。"
    )
    agent = ""
    if p.agent_name:
        agent = f"\n代办人（签名）：____________________　　与承诺人关系：{p.agent_relationship or '________'}"
    pdf.signature(
        f"承诺人（签名）：____________________　　联系电话：{p.phone or '________________'}{agent}\n"
        "日期：________年____月____日"
    )
    if english:
        pdf.ln(4)
        pdf.small(pgettext("printout", "Reference translation (the Chinese text above is what you sign):"), size=9.5)
        pdf.small(
            pgettext(
                "printout",
                "I, %(name)s, identity number %(id)s, insured in %(region)s, apply for registration %(number)s "
                "for medical care in %(care)s. I solemnly declare: 1. I have lived in %(care)s long-term since "
                "%(since)s, at the address stated. 2. The information and materials I provide are true, accurate "
                "and complete. 3. If I move, or no longer live there long-term, I will change or cancel the "
                "registration without delay. 4. If this statement is untrue, I accept the responsibility, "
                "including repaying what the insurance fund paid because of it, and the legal consequences.",
            )
            % {
                "name": p.enrollee_name,
                "id": p.national_id_masked or "—",
                "region": p.jurisdiction_name,
                "number": p.number,
                "care": p.care_region or "—",
                "since": p.start_date.isoformat() if p.start_date else "—",
            },
            size=9.5,
        )
    return pdf.pdf_bytes()


# --- 3. The receipt of an online filing ---------------------------------------------------------


def receipt_pdf(
    printout: Printout,
    *,
    status_url: str,
    fonts: Fonts,
    printed_at: datetime.datetime,
    english: bool = False,
) -> bytes:
    """Proof that a filing was made online, with a QR code of the public status check."""
    p = printout
    title = "异地就医备案网上申报回执"
    pdf = _Sheet(fonts, p, english=english, title=title, footer=_footer(p, printed_at))
    g = pdf.label
    pdf.heading(title, pgettext("printout", "Receipt of an online registration filing"))
    status = STATUS_ZH.get(p.status, p.status)
    if english:
        status = f"{status}（{RegistrationStatus(p.status).label}）"
    if p.status == RegistrationStatus.APPROVED and p.valid_from:
        validity = (
            f"{_day(p.valid_from)} 至 {_day(p.valid_until)}"
            if p.valid_until
            else f"{_day(p.valid_from)}起，至变更或取消"
        )
    elif p.status in (RegistrationStatus.SUBMITTED, RegistrationStatus.RETURNED):
        validity = "审核通过后确定"
    else:
        validity = BLANK

    top = pdf.get_y()
    qr_size = 42
    table_width = pdf.epw - qr_size - 6
    pdf.fields(
        [
            [(g("备案编号", pgettext("printout", "Registration number")), p.number)],
            [(g("参保人", pgettext("printout", "Enrollee")), p.enrollee_name)],
            [(g("公民身份号码", pgettext("printout", "Identity number")), _or_blank(p.national_id_masked))],
            [(g("备案类型", pgettext("printout", "Registration type")), p.registration_type_name)],
            [(g("就医地", pgettext("printout", "Place of care")), _or_blank(p.care_region))],
            [(g("受理经办机构", pgettext("printout", "Office")), f"{p.jurisdiction_name} · {p.office.name}")],
            [(g("当前状态", pgettext("printout", "Status")), status)],
            [(g("提交日期", pgettext("printout", "Submitted on")), _day(p.submitted_on))],
            [(g("备案有效期", pgettext("printout", "Valid")), validity)],
        ],
        width=table_width,
        label_share=0.34,
    )
    bottom = pdf.get_y()

    qr_x = pdf.l_margin + table_width + 6
    pdf.image(io.BytesIO(qr_png(status_qr(status_url))), x=qr_x, y=top, w=qr_size, h=qr_size, link=status_url)
    pdf.set_xy(qr_x, top + qr_size + 1)
    pdf.set_font("cjk", size=8.5)
    caption = "扫码查询办理进度\n（需输入身份证号码后4位）"
    if english:
        caption += "\n" + pgettext("printout", "Scan to check the status (you need your ID's last 4 characters)")
    pdf.multi_cell(
        qr_size, 4.2, pdf.printable(caption), align=Align.C, wrapmode=WrapMode.CHAR, new_x=XPos.LMARGIN, new_y=YPos.NEXT
    )
    pdf.set_xy(pdf.l_margin, max(bottom, pdf.get_y()) + 4)
    pdf.small(f"查询网址：{status_url}")
    pdf.ln(2)
    pdf.paragraph(
        "本回执仅证明上述备案已在网上提交，不代表备案已通过；办理结果以查询结果或经办机构通知为准。"
        "如需邮寄或现场补交材料，请注明备案编号。",
        size=10.5,
        height=6.5,
    )
    if english:
        pdf.small(
            pgettext(
                "printout",
                "This receipt only shows that the filing was submitted online; it is not an approval. The result is "
                "what the status check or the office says. Quote the registration number when you send materials.",
            )
        )
    office = p.office
    phones = "、".join(office.phones)
    pdf.small(
        f"经办机构：{p.jurisdiction_name} · {office.name}　{office.office_address}"
        + (f"　电话：{phones}" if phones else "")
    )
    return pdf.pdf_bytes()
