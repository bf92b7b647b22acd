"""A small article for the format tests, written here: every flag, a heading, boilerplate,
glossary uses, word alignments, and text that looks like HTML and XML."""

from aligned.pair_assessment import assess
from glossary.match import Match
from glossary.termbase import Entry
from glossary.uses import TermUse
from mt.document import Block, Document, Segment

HOSTILE_SOURCE = 'قال المسؤول إن الوسم <script>alert("x")</script> ظهر في الموقع & غيره.'
HOSTILE_TARGET = (
    'The official said the tag <script>alert("x")</script> appeared on the site & others.'
)

ROWS = [  # kind, source, target, alignment
    ("heading", "قسد تسيطر على حقل نفطي", "SDF takes control of an oil field",
     "0-0 1-2 2-3 3-6 4-5"),
    ("content", "قالت قوات سوريا الديمقراطية إن 12 مقاتلا قتلوا.",
     "The Syrian Democratic Forces (SDF) said 12 fighters were killed.",
     "0-5 1-1 2-2 3-3 4-5 5-6 6-7 7-9"),
    ("content", "أعلنت الوزارة أن 45 شخصا أصيبوا في الانفجار.",
     "The ministry announced that 54 people were injured in the explosion.", ""),
    ("content", "عاد آلاف النازحين إلى قراهم منذ بداية العام الماضي بعد انتهاء المعارك.",
     "Thousands of displaced people returned returned returned returned returned", ""),
    ("boilerplate", "اقرأ أيضا: أخبار ذات صلة", "", ""),
    ("boilerplate", "حقوق النشر محفوظة", "", ""),
    ("content", HOSTILE_SOURCE, HOSTILE_TARGET, ""),
    ("content", "رحبت الجامعة العربية بالاتفاق.", "The Arab League welcomed the agreement.",
     "0-4 1-1 2-2 3-3 3-5"),
]

TERM_SURFACE = "قوات سوريا الديمقراطية"
TERM_START = ROWS[1][1].index(TERM_SURFACE)
TERM = TermUse(  # a glossary use that tier 1 applied
    match=Match(TERM_START, TERM_START + len(TERM_SURFACE), TERM_SURFACE, "",
                Entry(TERM_SURFACE, "Syrian Democratic Forces (SDF)"), TERM_SURFACE),
    form="Syrian Democratic Forces (SDF)",
    first=True,
    tier=1,
)


def review_document(doc_id: str = "article-1") -> Document:
    text = "\n\n".join(source for _, source, _, _ in ROWS)
    doc = Document(doc_id, text, [], source_path=f"{doc_id}.txt")
    offset = 0
    for index, (kind, source, target, alignment) in enumerate(ROWS):
        doc.blocks.append(Block(source, kind, index, offset))
        seg = Segment(doc_id, index, index, kind, source, offset, offset + len(source),
                      mt_source=source, target=target, alignment=alignment)
        if index == 1:
            seg.matches = [TERM]
            seg.glossary = "قوات سوريا الديمقراطية=Syrian Democratic Forces (SDF):applied/1"
        assess(seg)
        doc.segments.append(seg)
        offset += len(source) + 2
    return doc
