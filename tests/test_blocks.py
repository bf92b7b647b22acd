"""Paragraph splitting and content / heading / boilerplate tagging on articles we wrote."""

from __future__ import annotations

import pytest

from mt.blocks import boilerplate_reason, build_blocks, split_paragraphs, tag_paragraphs

# A scraped page flattened to text, in the shapes the web gives: menu, headline, author line,
# font-size control, body with a subheading, related headlines between separators, source line,
# ad marker, comment prompt, captcha notice.
PAGE = """\
× الرئيسية أخبار سياسة اقتصاد رياضة ثقافة منوعات
وزير الخارجية يزور بغداد لبحث أمن الحدود
بقلم محرر الشؤون الإقليمية
ع ع ع
الأحد 14 حزيران 2024
وصل وزير الخارجية إلى بغداد صباح اليوم في زيارة تستمر يومين. وقال المتحدث إن الزيارة مهمة.
ملف المعابر الحدودية
وأكد مسؤول أن عدد الشاحنات تجاوز 300 شاحنة يوميا، وأن المعبر سيفتح قريبا.
-
الحكومة تعلن خطة جديدة لدعم المزارعين في الجنوب
-
هل تنجح المفاوضات في إنهاء الأزمة؟
وختم الوزير زيارته بلقاء مع رئيس الوزراء.
المصدر: https://example.com/news/2024/123
[إعلان]
أضف تعليق
This site is protected by reCAPTCHA and the Google Privacy Policy applies.
"""
EXPECTED = [
    "boilerplate", "heading", "boilerplate", "boilerplate", "boilerplate", "content", "heading",
    "content", "boilerplate", "boilerplate", "boilerplate", "boilerplate", "content",
    "boilerplate", "boilerplate", "boilerplate", "boilerplate",
]


def test_scraped_page_is_tagged_line_by_line() -> None:
    paragraphs = split_paragraphs(PAGE)
    assert len(paragraphs) == len(EXPECTED)
    assert list(zip(paragraphs, tag_paragraphs(paragraphs), strict=True)) == list(
        zip(paragraphs, EXPECTED, strict=True)
    )


def test_page_tail_after_related_list_is_boilerplate() -> None:
    page = (
        "عنوان الخبر الرئيسي\n\n"
        "وقع انفجار في وسط المدينة صباح اليوم. ولم تعلن أي جهة مسؤوليتها.\n\n"
        "مقالات ذات صلة\n\n"
        "  1. انفجار ثان في الضاحية الجنوبية\n"
        "  2. الشرطة تعتقل مشتبها به\n\n"
        "الصحافة المستقلة تحتاج دعمك..\n\n"
        "دولار واحد يصنع الفرق\n\n"
        "اضغط هنا للمساهمة\n"
    )
    assert [b.kind for b in build_blocks(page)[1]] == [
        "heading", "content", "boilerplate", "boilerplate", "boilerplate", "boilerplate",
        "boilerplate", "boilerplate",
    ]


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        pytest.param("Photo of author", "photo", id="photo-of-author"),
        pytest.param("By Jane Doe", "byline", id="byline-en"),
        pytest.param("كتب: أحمد علي", "byline", id="byline-ar"),
        pytest.param("A A A", "font_size", id="font-size-latin"),
        pytest.param("A- A A+", "font_size", id="font-size-signs"),
        pytest.param("—", "separator", id="dash"),
        pytest.param("* * *", "separator", id="asterisks"),
        pytest.param("المصدر: وكالات", "source", id="source-ar"),
        pytest.param("Source: Reuters", "source", id="source-en"),
        pytest.param("https://example.com/a/b", "url", id="bare-url"),
        pytest.param("تعليق (3)", "comment", id="comment-counter"),
        pytest.param("اترك تعليقا", "comment", id="comment-prompt"),
        pytest.param("1,234 مشاهدة", "readers", id="view-counter"),
        pytest.param("الأكثر قراءة", "readers", id="most-read"),
        pytest.param("Advertisement", "advert", id="advert-en"),
        pytest.param("إعلان 3", "advert", id="advert-ar"),
        pytest.param("اقرأ أيضا:", "related", id="read-also"),
        pytest.param("اقرأ أيضا: الحكومة تعلن خطة جديدة لدعم المزارعين في الجنوب والشمال",
                     "related", id="read-also-with-headline"),
        pytest.param("الصورة: رويترز", "photo", id="photo-credit-ar"),
        pytest.param("تصوير: أحمد علي", "photo", id="photographer"),
        pytest.param("شارك عبر فيسبوك تويتر واتساب", "share", id="share-bar"),
        pytest.param("تابعونا على تلغرام", "call_to_action", id="follow-us"),
        pytest.param("12/05/2024 - 10:30", "date", id="date-numeric"),
        pytest.param("الخميس 3 أكتوبر 2024", "date", id="date-words"),
        pytest.param("جنود على الحدود (صورة أرشيفية)", "caption", id="caption-archive"),
        pytest.param("© 2024 جميع الحقوق محفوظة", "legal", id="copyright"),
    ],
)
def test_boilerplate_line_rules(line: str, reason: str) -> None:
    assert boilerplate_reason(line) == reason


@pytest.mark.parametrize(
    "line",
    [
        pytest.param("كتب الرئيس رسالة إلى نظيره أكد فيها دعمه للاتفاق وطالب بتنفيذه خلال أسبوعين"
                     " من توقيعه وفق ما نص عليه البند الثالث.", id="sentence-starting-with-kataba"),
        pytest.param("وقال المتحدث إن المصدر الذي نقل الخبر لم يكن دقيقا.", id="mentions-source"),
        pytest.param("وزير الخارجية يزور بغداد", id="headline"),
        pytest.param("قال الوزير: ع", id="one-letter-word"),
        pytest.param("بلغت الخسائر 2.5 مليون دولار في عام 2024.", id="numbers-in-sentence"),
        pytest.param("By the end of the year, prices rose.", id="by-starting-a-sentence"),
        pytest.param("في", id="filler-word-is-no-date"),
        pytest.param("صورة تكشف حجم الدمار في المدينة", id="headline-starting-with-photo"),
        pytest.param("اقرأ أيضا ما كتبه الوزير في مذكراته عن تلك الأيام.", id="read-in-sentence"),
    ],
)
def test_content_is_not_boilerplate(line: str) -> None:
    assert boilerplate_reason(line) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("أ\n\nب", ["أ", "ب"], id="blank-lines"),
        pytest.param("أ\nب\r\nج", ["أ", "ب", "ج"], id="single-newlines"),
        pytest.param("  أ   ب \t ج  \n\u200f\n\nد", ["أ ب ج", "د"], id="whitespace-and-marks"),
        pytest.param(
            "هذا سطر طويل من فقرة مكسورة عند عرض ثابت كما في بعض الملفات\n"
            "وهذا السطر الثاني من الفقرة نفسها يتابع الكلام بلا توقف هنا\n"
            "ثم تنتهي الفقرة.\n\nفقرة ثانية.",
            [
                "هذا سطر طويل من فقرة مكسورة عند عرض ثابت كما في بعض الملفات "
                "وهذا السطر الثاني من الفقرة نفسها يتابع الكلام بلا توقف هنا ثم تنتهي الفقرة.",
                "فقرة ثانية.",
            ],
            id="hard-wrapped-paragraph-joined",
        ),
    ],
)
def test_split_paragraphs(raw: str, expected: list[str]) -> None:
    assert split_paragraphs(raw) == expected


def test_english_line_in_arabic_page_is_boilerplate_but_english_document_is_not() -> None:
    arabic = ["وصل الوزير إلى بغداد اليوم في زيارة رسمية.", "Share this story with friends now."]
    assert tag_paragraphs(arabic) == ["content", "boilerplate"]
    english = ["The minister arrived in Baghdad today.", "He met the prime minister."]
    assert tag_paragraphs(english) == ["content", "content"]


def test_repeated_caption_is_boilerplate_once_repeated() -> None:
    caption = "جنود على الحدود العراقية السورية في صحراء الأنبار"
    kinds = tag_paragraphs([caption, caption, "وصل الوزير إلى بغداد اليوم في زيارة رسمية."])
    assert kinds == ["heading", "boilerplate", "content"]


def test_block_offsets_point_into_the_document_text() -> None:
    text, blocks = build_blocks(PAGE)
    for block in blocks:
        assert text[block.start : block.start + len(block.text)] == block.text
    assert [b.para for b in blocks] == list(range(len(blocks)))
