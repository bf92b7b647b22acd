"""Sentence splitting, offsets, and cutting over-long sentences into clause pieces."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mt.ingest import read_text
from mt.segment import segment_document, sentence_spans, split_long


def sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in sentence_spans(text)]


WHOLE = None  # the text is one sentence


BASICS = [
    pytest.param("وصل الوزير. وبدأ الاجتماع.", ["وصل الوزير.", "وبدأ الاجتماع."], id="period"),
    pytest.param("هل وصل؟ نعم وصل!", ["هل وصل؟", "نعم وصل!"], id="question-exclamation"),
    pytest.param("انتظر… ثم تكلم.", ["انتظر…", "ثم تكلم."], id="ellipsis-char"),
    pytest.param("الحرب.. ونحن هنا", ["الحرب..", "ونحن هنا"], id="double-dot"),
    pytest.param("قال الوزير، وهو يبتسم، إن الوضع جيد.", WHOLE, id="arabic-comma"),
    pytest.param("بلغ النمو 2.5 في المئة و3.000 وظيفة.", WHOLE, id="decimal-numbers"),
    pytest.param("الاتفاق (الموقع أمس. بحضور الوزراء) مهم.", WHOLE, id="parentheses"),
    pytest.param("التقى د. أحمد مع أ. محمد في م. الوزارة.", WHOLE, id="arabic-abbreviations"),
    pytest.param("زوروا example.com للمزيد.", WHOLE, id="domain"),
    pytest.param("لا نهاية", WHOLE, id="no-terminator"),
    pytest.param(
        "قال “انتهى الأمر.” ثم غادر.",
        ["قال “انتهى الأمر.”", "ثم غادر."],
        id="period-before-closing-quote",
    ),
    pytest.param(
        "The U.S. envoy met Dr. Smith. He left.",
        ["The U.S. envoy met Dr. Smith.", "He left."],
        id="latin-abbreviations",
    ),
    pytest.param(
        "بالتنسيق مع (قسد) .وبموافقة الحكومة تم ذلك.",
        ["بالتنسيق مع (قسد) .", "وبموافقة الحكومة تم ذلك."],
        id="misplaced-period",
    ),
    pytest.param(
        "قال إن “الاتفاق مع (قسد) .وبموافقة الحكومة” تم.",
        ["قال إن “الاتفاق مع (قسد) .", "وبموافقة الحكومة” تم."],
        id="misplaced-period-inside-quote",
    ),
    pytest.param(
        "الحدود مع سوريا.والتي يزيد طولها.",
        ["الحدود مع سوريا.", "والتي يزيد طولها."],
        id="glued-period",
    ),
    pytest.param(
        "تأسست عام 1990 م. وما زالت تعمل.",
        ["تأسست عام 1990 م.", "وما زالت تعمل."],
        id="era-marker-after-year",
    ),
    pytest.param(
        "1. قوات تتقدم. 2. قوات تنسحب.",
        ["1. قوات تتقدم.", "2. قوات تنسحب."],
        id="list-numbers-join-their-item",
    ),
]


# Quotation marks change where a sentence ends only as much as they must: a quotation of several
# sentences is cut into them, each mark staying with the text it belongs to.
QUOTATIONS = [
    pytest.param(
        'أعلن القائد: "سنفتح الطريق غدا. لن يبقى أي حاجز".',
        ['أعلن القائد: "سنفتح الطريق غدا.', 'لن يبقى أي حاجز".'],
        id="two-sentences-straight",
    ),
    pytest.param(
        "قالت المديرة: «المدرسة مغلقة. التلاميذ في بيوتهم. ننتظر القرار». وعادت إلى مكتبها.",
        ["قالت المديرة: «المدرسة مغلقة.", "التلاميذ في بيوتهم.", "ننتظر القرار».",
         "وعادت إلى مكتبها."],
        id="three-sentences-guillemets",
    ),
    pytest.param(
        "وكتب: “لا ماء هنا. لا دواء.” ثم أغلق الهاتف.",
        ["وكتب: “لا ماء هنا.", "لا دواء.”", "ثم أغلق الهاتف."],
        id="curly-period-inside-closing-quote",
    ),
    pytest.param(
        "«لن نوقع على الاتفاق. الشروط مجحفة»، قال المفاوض.",
        ["«لن نوقع على الاتفاق.", "الشروط مجحفة»، قال المفاوض."],
        id="speaker-after-the-quotation",
    ),
    pytest.param('قال: "سنعود، مهما طال الغياب" وغادر.', WHOLE, id="one-sentence-quote"),
    pytest.param('وقال: "النمو بلغ 3.5 في المئة" أمس.', WHOLE, id="number-in-quote"),
    pytest.param('"انتهت المعركة"، قال الضابط.', WHOLE, id="quote-then-comma"),
    pytest.param("الاتفاق (الموقع أمس. بحضور الوزراء) مهم.", WHOLE, id="brackets-still-hold"),
]


# A quote never closed (or never opened) in its paragraph leaves the rest of it split as usual.
UNBALANCED_QUOTES = [
    pytest.param(
        'قال أحد الجنود: "القصف لم يتوقف. نحن في الملاجئ منذ الفجر. وصلت الإسعاف مساء.',
        ['قال أحد الجنود: "القصف لم يتوقف.', "نحن في الملاجئ منذ الفجر.",
         "وصلت الإسعاف مساء."],
        id="opened-never-closed",
    ),
    pytest.param(
        'لن نغادر أرضنا." وعاد المتحدث إلى مقعده. ثم بدأ التصويت.',
        ['لن نغادر أرضنا."', "وعاد المتحدث إلى مقعده.", "ثم بدأ التصويت."],
        id="closed-never-opened",
    ),
    pytest.param(
        'وقال إن "المعبر مغلق. وأكد مسؤول أن "الشاحنات تنتظر". ولم يحدد موعدا.',
        ['وقال إن "المعبر مغلق.', 'وأكد مسؤول أن "الشاحنات تنتظر".', "ولم يحدد موعدا."],
        id="left-open-before-a-closed-pair",
    ),
    pytest.param(
        'وصف الخطة بأنها "ناجحة، وقال إن 2.5 مليون شخص استفادوا منها.',
        WHOLE,
        id="left-open-no-sentence-end",
    ),
]


# A sentence ending inside its closing quote or right before an opening one; a quoted title or
# the speaker's own question goes on.
ENDS_AT_QUOTE_MARKS = [
    pytest.param(
        'وقال المدير إن "العمل سيستأنف في الميناء." وأضاف أن السفن تنتظر.',
        ['وقال المدير إن "العمل سيستأنف في الميناء."', "وأضاف أن السفن تنتظر."],
        id="period-inside-closing-quote",
    ),
    pytest.param(
        'وصاحت امرأة: "أين أبنائي؟" ثم بكت.',
        ['وصاحت امرأة: "أين أبنائي؟"', "ثم بكت."],
        id="question-inside-closing-quote",
    ),
    pytest.param(
        'ورفع الطلاب لافتة: "نريد مدرستنا!" وساروا نحو البلدية.',
        ['ورفع الطلاب لافتة: "نريد مدرستنا!"', "وساروا نحو البلدية."],
        id="exclamation-inside-closing-quote",
    ),
    pytest.param(
        'وصلت القافلة عند الفجر. "وقال السائق إن الطريق كان آمنا".',
        ["وصلت القافلة عند الفجر.", '"وقال السائق إن الطريق كان آمنا".'],
        id="before-an-opening-quote",
    ),
    pytest.param(
        'وصلت القافلة عند الفجر."وقال السائق إن الطريق آمن".',
        ["وصلت القافلة عند الفجر.", '"وقال السائق إن الطريق آمن".'],
        id="glued-to-an-opening-quote",
    ),
    pytest.param("وقرأ مقالا بعنوان «إلى أين؟» في الصحيفة.", WHOLE, id="quoted-title"),
    pytest.param('شارك في مسيرة "كفى حربا!" التي نظمها الطلاب.', WHOLE, id="quoted-slogan"),
    pytest.param("«هل انتهت الحرب؟» سأل الصبي أمه.", WHOLE, id="speaker-after-question"),
]


# Dotted abbreviations of foreign names and initials hold; a real sentence end after one splits.
ABBREVIATIONS = [
    pytest.param("وأكد متحدث باسم إف.بي.آي أن التحقيق مستمر.", WHOLE, id="dotted-arabic"),
    pytest.param("ونقلت سي. إن. إن عن مصادرها أن الوفد وصل.", WHOLE, id="spaced-arabic"),
    pytest.param("وحاضر أ.د. سمير نجم في الجامعة.", WHOLE, id="arabic-initials"),
    pytest.param("وقالت شركة Apple Inc. إنها ستفتح متجرا.", WHOLE, id="latin-then-arabic"),
    pytest.param("The U.S. Army denied it.", WHOLE, id="us-inside-a-name"),
    pytest.param(
        "وزار بغداد أمس مدير سي.آي.إيه. والتقى رئيس الوزراء.",
        ["وزار بغداد أمس مدير سي.آي.إيه.", "والتقى رئيس الوزراء."],
        id="sentence-end-after-dotted-arabic",
    ),
    pytest.param(
        "He moved to the U.S. The talks failed.",
        ["He moved to the U.S.", "The talks failed."],
        id="sentence-end-after-us",
    ),
    pytest.param(
        "وبنيت المدينة في القرن الخامس ق.م. ثم دمرت.",
        ["وبنيت المدينة في القرن الخامس ق.م.", "ثم دمرت."],
        id="sentence-end-after-bc",
    ),
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [*BASICS, *QUOTATIONS, *UNBALANCED_QUOTES, *ENDS_AT_QUOTE_MARKS, *ABBREVIATIONS],
)
def test_sentence_splitting(text: str, expected: list[str] | None) -> None:
    assert sentences(text) == (expected or [text])


ARTICLE = """وزير الخارجية يزور بغداد

Photo of author

وصل الوزير إلى بغداد. وقال المتحدث إن الزيارة (التي تستمر يومين) .وبموافقة الحكومة تمت.

-

المصدر: https://example.com/x
"""


def test_segments_have_truthful_offsets_kinds_and_mt_source() -> None:
    doc = segment_document(read_text(ARTICLE, "d"))
    rows = [(s.seg, s.para, s.kind, s.source) for s in doc.segments]
    assert rows == [
        (0, 0, "heading", "وزير الخارجية يزور بغداد"),
        (1, 1, "boilerplate", "Photo of author"),
        (2, 2, "content", "وصل الوزير إلى بغداد."),
        (3, 2, "content", "وقال المتحدث إن الزيارة (التي تستمر يومين) ."),
        (4, 2, "content", "وبموافقة الحكومة تمت."),
        (5, 3, "boilerplate", "-"),
        (6, 4, "boilerplate", "المصدر: https://example.com/x"),
    ]
    for seg in doc.segments:
        assert doc.text[seg.start : seg.end] == seg.source
    assert doc.segments[3].mt_source == "وقال المتحدث إن الزيارة (التي تستمر يومين)."


arabic_words = st.text(alphabet="ابتثجحخدذرسشصطعغفقكلمنهوي", min_size=1, max_size=8)
separators = st.sampled_from([" ", " ", " ", ". ", "، ", "؟ ", " .", ".", "\n", "\n\n", " (", ") ",
                              "«", "» ", "“", "” ", '"', " 2.5 ", " - ", "\u200f", "…"])
article_like = st.lists(st.tuples(arabic_words, separators), min_size=1, max_size=60).map(
    lambda parts: "".join(w + s for w, s in parts)
)


def _visible(text: str) -> str:
    return re.sub(r"[\s\u200f]", "", text)


@settings(max_examples=200, deadline=None)
@given(article_like)
def test_segmentation_loses_and_duplicates_no_character(text: str) -> None:
    doc = segment_document(read_text(text, "p"))
    assert _visible("".join(seg.source for seg in doc.segments)) == _visible(doc.text)
    assert _visible(doc.text) == _visible(text)
    for seg in doc.segments:
        assert doc.text[seg.start : seg.end] == seg.source
    assert [s.seg for s in doc.segments] == list(range(len(doc.segments)))


plain_sentences = st.lists(st.lists(arabic_words, min_size=1, max_size=6).map(" ".join),
                           min_size=1, max_size=12)


@settings(max_examples=100, deadline=None)
@given(plain_sentences, st.sampled_from(['"', "“", "«", "”"]))
def test_a_quote_left_open_changes_no_cut(words: list[str], quote: str) -> None:
    text = ". ".join(words) + "."
    quoted = [(start + 1, end + 1) for start, end in sentence_spans(text)]
    quoted[0] = (0, quoted[0][1])
    assert sentence_spans(quote + text) == quoted


def _count_words(text: str) -> int:
    return len(text.split()) + 1  # like a tokenizer: at least one token (EOS) per piece


@pytest.mark.parametrize(
    ("text", "max_tokens", "expected"),
    [
        pytest.param("قصير جدا", 10, ["قصير جدا"], id="fits"),
        pytest.param("أولا هنا، ثانيا هناك، ثالثا هنالك", 3,
                     ["أولا هنا، ", "ثانيا هناك، ", "ثالثا هنالك"], id="arabic-commas"),
        pytest.param("جاء الوزير ثم غادر الرئيس", 4, ["جاء الوزير ", "ثم غادر الرئيس"],
                     id="conjunction"),
        pytest.param("أ ب ج د هـ", 3, ["أ ب ", "ج د ", "هـ"], id="whitespace"),
    ],
)
def test_split_long_cuts_at_the_best_boundary(text: str, max_tokens: int, expected: list[str]):
    assert split_long(text, max_tokens, _count_words) == expected


def test_split_long_hard_splits_a_word_without_spaces() -> None:
    word = "كلمة" * 50
    pieces = split_long(word, 20, len)
    assert "".join(pieces) == word
    assert all(len(p) <= 20 for p in pieces)


def test_split_long_on_a_one_megabyte_line_without_punctuation() -> None:
    line = " ".join(["كلمة", "أخرى", "هنا"] * 60_000)[:1_000_000]
    calls: list[int] = []

    def count(text: str) -> int:
        calls.append(len(text))
        return len(text) // 4 + 1

    pieces = split_long(line, 512, count)
    assert "".join(pieces) == line
    assert all(count(p) <= 512 for p in pieces)
    assert sum(calls) <= 5 * len(line)  # linear: each character is counted a few times at most


@settings(max_examples=100, deadline=None)
@given(article_like, st.integers(min_value=1, max_value=12))
def test_split_long_pieces_rejoin_and_fit(text: str, max_tokens: int) -> None:
    pieces = split_long(text, max_tokens, _count_words)
    assert "".join(pieces) == text
    assert all(_count_words(p) <= max_tokens or len(p) == 1 for p in pieces)
