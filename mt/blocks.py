"""Raw article text -> cleaned paragraphs, each tagged content, heading or boilerplate.

Kept apart from ingest.py (which turns files into text) because this is the part that holds the
judgement: what a web page's chrome looks like once it has been flattened into plain text.

The rules look at one line's shape and wording (a byline, a comment prompt, a lone separator, a
font-size control, a source line with a URL, a run of menu words, a date with nothing else) and
at its neighbours (a line after a separator is a related headline; the list after "related
articles"; a repeated line; the short non-sentence lines that end a page once its chrome has
begun). Boilerplate is kept and marked, never dropped: a wrong guess costs a skipped row, which
the reviewer sees, not a lost sentence.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from mt.arabic import FORMAT_MARKS, arabic_letter_ratio
from mt.document import Block

PARAGRAPH_SEPARATOR = "\n\n"
HEADING_MAX_WORDS = 16
HEADING_MAX_CHARS = 150
# Lines this short that are not sentences may be page chrome when they sit among chrome.
CHROME_MAX_WORDS = 12
# No line rule applies to lines longer than this (copyright and captcha notices are the longest).
LINE_RULES_MAX_WORDS = 60
# In an Arabic article a paragraph with fewer Arabic letters than this share is site chrome.
LATIN_LINE_MAX_ARABIC = 0.3
ARABIC_DOCUMENT_MIN_ARABIC = 0.5
# A page's trailing chrome is a few dozen lines at most; a longer run of short lines is a list
# or a poem, not chrome.
TAIL_MAX_BLOCKS = 30
# A line repeated by the layout (a caption under a photo and in the text) is at least this long;
# shorter repeats ("العراق", a name) are ordinary text.
DUPLICATE_MIN_WORDS = 4

_TERMINAL = ".!?؟…"
_CLOSERS = "\"'”’»)]}›"
_LIST_ITEM = re.compile(r"^(?:\d{1,3}[.)\-]|[•·▪◦*\-–—])\s")
_CONTROL = re.compile("[\x00-\x08\x0e-\x1b\x7f-\x9f]")
_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_SENTENCE_BREAK_INSIDE = re.compile(r"(?<![.\d])[.!?؟](?![.\d])\s+\S")


def _words(text: str) -> list[str]:
    return text.split()


def _ends_sentence(text: str) -> bool:
    """Ends with a single . ! ? ؟ or … (an ellipsis of dots, "..", is not a sentence end)."""
    core = text.rstrip(_CLOSERS + " ")
    return bool(core) and core[-1] in _TERMINAL and not core.endswith("..")


def _has_sentence_break_inside(text: str) -> bool:
    return bool(_SENTENCE_BREAK_INSIDE.search(text.rstrip(_CLOSERS + _TERMINAL + " ")))


# ---------------------------------------------------------------- paragraphs


def split_paragraphs(raw: str) -> list[str]:
    """Cleaned paragraphs of `raw`: one per line, or one per blank-line chunk when the chunk's
    lines are hard-wrapped prose. Whitespace runs inside a line become one space."""
    raw = re.sub(r"\r\n?|[\u2028\u2029\f\v]", "\n", raw)
    paragraphs: list[str] = []
    for chunk in re.split(r"\n(?:[^\S\n]*\n)+", raw):
        lines = [_clean_line(line) for line in chunk.split("\n")]
        lines = [line for line in lines if _is_visible(line)]
        if _is_hard_wrapped(lines):
            paragraphs.append(" ".join(lines))
        else:
            paragraphs.extend(lines)
    return paragraphs


def _clean_line(line: str) -> str:
    """Whitespace runs to one space; control characters (which no reader sees and which break
    tabular outputs) dropped."""
    return re.sub(r"\s+", " ", _CONTROL.sub("", line)).strip()


def _is_visible(line: str) -> bool:
    return any(not c.isspace() and c not in FORMAT_MARKS for c in line)


def _is_hard_wrapped(lines: list[str]) -> bool:
    """Lines of one paragraph broken at a fixed width: all but the last are long, of similar
    length, and rarely end a sentence; no list items or separators among them."""
    if len(lines) < 2:
        return False
    body = lines[:-1]
    longest = max(len(line) for line in lines)
    return (
        longest >= 40
        and all(len(line) >= 0.7 * longest for line in body)
        and sum(map(_ends_sentence, body)) * 3 <= len(body)
        and not any(_LIST_ITEM.match(line) or _is_separator(line) for line in lines)
    )


# ---------------------------------------------------------------- one-line rules

# Month and weekday names; a date line has one of them or a number.
_DATE_NAMES = frozenset(
    """
    يناير فبراير مارس أبريل إبريل ابريل مايو يونيو يونيه يوليو يوليه أغسطس اغسطس سبتمبر أكتوبر
    اكتوبر نوفمبر ديسمبر كانون شباط آذار اذار نيسان أيار ايار حزيران تموز آب أيلول ايلول تشرين
    السبت الأحد الاحد الاثنين الإثنين الثلاثاء الأربعاء الاربعاء الخميس الجمعة
    january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday
    saturday sunday mon tue wed thu fri sat sun
    """.split()
)
# Words that come with dates in a page's dateline.
_DATE_FILLERS = frozenset(
    """
    الثاني الأول يوم في منذ نشر نشرت بتاريخ تاريخ آخر اخر تحديث بتوقيت ساعة ساعات ساعتين دقيقة
    دقائق أيام مساء صباحا صباحاً ص م هـ ه غرينتش am pm gmt utc updated published posted on at
    ago hours hour minutes min last update
    """.split()
)
_NAV_WORDS = frozenset(
    """
    الرئيسية الرئيسيه أخبار اخبار اقتصاد سياسة رياضة تكنولوجيا ثقافة فن فنون منوعات صحة مقالات
    رأي تحقيقات محليات عربي دولي العالم فيديو ملتيميديا صور تقارير حوارات مجتمع علوم سيارات
    home news world politics business economy sport sports tech technology culture opinion
    video videos multimedia health science lifestyle contact about
    """.split()
)
_SHARE_WORDS = frozenset(
    """
    شارك شاركها مشاركة المقال الخبر هذا عبر طباعة فيسبوك تويتر واتساب تلغرام تيليغرام لينكدإن
    share this article tweet print email e-mail facebook twitter whatsapp telegram linkedin
    copy link pinterest reddit on via x
    """.split()
)

_PATTERNS: dict[str, re.Pattern[str]] = {
    name: re.compile(pattern, re.IGNORECASE)
    for name, pattern in {
        "byline": r"^(?:by|written by|بقلم|كتب|كتبه|كتبت|إعداد|اعداد|تحرير|مراسل)\b\s*:?\s*\S",
        # "Photo of author", "الصورة: رويترز", "صورة أرشيفية للوزير"; not "صورة تكشف حجم الدمار"
        "photo": r"^(?:photo|image|picture|credit)\b(?:\s+\S+){0,3}$|"
        r"^(?:photo|image|picture|credit|صورة|الصورة|تصوير|مصدر الصورة|حقوق الصورة)\s*[:：(]|"
        r"^(?:صورة|الصورة)\b.*\b(?:الكاتب|للكاتب|أرشيفية|ارشيفية|تعبيرية)\b",
        "comment": r"أضف تعليق|اضف تعليق|اترك تعليق|أكتب تعليق|اكتب تعليق|التعليقات|"
        r"شاركنا رأيك|شارك برأيك|تعليق\s*\(\d+\)|\(\d+\)\s*تعليق|leave a (?:comment|reply)|"
        r"add (?:a |your )?comment|post a comment|^\d*\s*comments?\b",
        "legal": r"recaptcha|captcha|privacy policy|terms of (?:use|service)|cookies?\b|"
        r"سياسة الخصوصية|شروط الاستخدام|جميع الحقوق محفوظة|all rights reserved|©|copyright",
        "source": r"^(?:المصدر|مصدر|المصادر|source|sources|via)\s*[:：]",
        "advert": r"^[\[(]?\s*(?:إعلان|اعلان|advertisement|advertising|ad|sponsored|"
        r"مساحة إعلانية|محتوى مدفوع|محتوى ممول)(?:\s*\d+)?\s*[\])]?$",
        "readers": r"يقرأون الآن|يقرؤون الآن|الأكثر قراءة|الأكثر مشاهدة|الأكثر تداولا|"
        r"most (?:read|popular|viewed)|trending now|عدد (?:القراءات|المشاهدات)|"
        r"\d+\s*(?:مشاهدة|قراءة|views?|reads?)\b|(?:مشاهدات|قراءات)\s*:?\s*\d+",
        # a related-articles header, alone or leading its headline ("اقرأ أيضا: ...")
        "related": r"^(?:(?:مقالات|أخبار|اخبار|مواضيع|قصص|روابط|مواد)\s+"
        r"(?:ذات صلة|متعلقة|مشابهة|مقترحة)|(?:اقرأ|إقرأ|اقرا|شاهد)\s+(?:أيضا|أيضاً|ايضا|المزيد)|"
        r"related(?:\s+\w+)?|read (?:also|more)|see also|more (?:news|stories)|"
        r"you may also like|قد يهمك|قد يعجبك|المزيد من الأخبار)\s*(?:[:：].*)?$",
        "call_to_action": r"اضغط هنا|انقر هنا|click here|subscribe|اشترك|سجل الآن|تابعونا|"
        r"تابعنا|follow us|newsletter|النشرة البريدية|حمل التطبيق|download (?:the|our) app|"
        r"^ادعم\b|support us|donate|تبرع",
        # a photo caption ending in its credit: "... - نيسان 2017 - (سبوتنيك)"
        "caption": r"(?:\s[-–—|]\s*\([^()]{1,30}\)|\((?:صورة\s+)?(?:أرشيفية|ارشيفية|تعبيرية)\))$",
    }.items()
}
# The rules that apply to short lines only (a sentence may mention a comment or a source).
_SHORT_LINE_RULES = ("byline", "photo", "comment", "readers", "call_to_action")
# The rules that a finished sentence escapes ("By the end of the year, prices rose.").
_NOT_FOR_SENTENCES = ("byline", "photo", "caption")


def _is_separator(text: str) -> bool:
    return not any(c.isalnum() for c in text)


def _is_font_size_control(text: str) -> bool:
    """A site's text-size buttons flattened to text: "A A A", "ع ع ع", "A- A A+"."""
    letters = [w.strip("+-") for w in _words(text)]
    return 2 <= len(letters) <= 4 and all(len(w) == 1 and w.isalpha() for w in letters) and (
        len({w.lower() for w in letters}) == 1
    )


def _is_date_only(text: str) -> bool:
    tokens = [t.strip(".,:;،-–—/()|") for t in _words(text)]
    tokens = [t.lower() for t in tokens if t]
    numbers = [t for t in tokens if re.fullmatch(r"[\d:/.\-٠-٩]+", t)]
    names = [t for t in tokens if t in _DATE_NAMES]
    return bool(numbers or names) and all(
        t in _DATE_NAMES or t in _DATE_FILLERS or t in numbers for t in tokens
    )


def _is_navigation(text: str) -> bool:
    if text[0] in "×☰≡":
        return True
    nav = {w for w in _words(text.lower()) if w in _NAV_WORDS}
    return len(nav) >= 4 and not re.search(r"[.،,؛;؟?!]", text)


def _is_share_bar(text: str) -> bool:
    return all(w.lower().strip(":|") in _SHARE_WORDS for w in _words(text))


def _is_mostly_url(text: str) -> bool:
    return sum(len(m) for m in _URL.findall(text)) * 2 >= len(text)


def boilerplate_reason(text: str) -> str | None:
    """Why one line on its own is boilerplate, or None when it is not."""
    n_words = len(_words(text))
    if n_words > LINE_RULES_MAX_WORDS:
        return None
    checks: list[tuple[str, Callable[[str], bool]]] = [
        ("separator", _is_separator),
        ("font_size", _is_font_size_control),
        ("navigation", _is_navigation),
        ("url", _is_mostly_url),
        ("date", _is_date_only),
        ("share", _is_share_bar),
    ]
    for name, check in checks:
        if check(text):
            return name
    for name, pattern in _PATTERNS.items():
        short_enough = n_words <= CHROME_MAX_WORDS or name not in _SHORT_LINE_RULES
        if short_enough and pattern.search(text):
            if name in _NOT_FOR_SENTENCES and _ends_sentence(text):
                continue
            return name
    return None


# ---------------------------------------------------------------- tagging


def _is_heading(text: str) -> bool:
    """A short title-like line: no final period or comma, no sentence break inside."""
    core = text.rstrip(_CLOSERS + " ")
    return (
        len(_words(text)) <= HEADING_MAX_WORDS
        and len(text) <= HEADING_MAX_CHARS
        and any(c.isalpha() for c in text)
        and not (core.endswith(".") and not core.endswith(".."))
        and core[-1:] not in "،,;؛:"
        and not _has_sentence_break_inside(text)
    )


def _is_chrome_shaped(text: str) -> bool:
    return len(_words(text)) <= CHROME_MAX_WORDS and not _ends_sentence(text)


def tag_paragraphs(paragraphs: list[str]) -> list[str]:
    """The kind of each paragraph: content, heading or boilerplate."""
    reasons = [boilerplate_reason(p) for p in paragraphs]
    kinds = ["boilerplate" if r else "heading" if _is_heading(p) else "content"
             for p, r in zip(paragraphs, reasons, strict=True)]
    arabic_document = arabic_letter_ratio(" ".join(paragraphs)) >= ARABIC_DOCUMENT_MIN_ARABIC
    seen: set[str] = set()
    in_related_list = False
    for i, text in enumerate(paragraphs):
        previous = reasons[i - 1] if i else None
        if arabic_document and any(c.isalpha() for c in text) and (
            arabic_letter_ratio(text) < LATIN_LINE_MAX_ARABIC
        ):
            kinds[i] = "boilerplate"  # an English line in an Arabic page: site chrome
        elif previous == "separator" and len(_words(text)) <= 20 and not _ends_with_period(text):
            kinds[i] = "boilerplate"  # a headline between separators: a related-articles list
        elif in_related_list and (_LIST_ITEM.match(text) or _is_chrome_shaped(text)):
            kinds[i] = "boilerplate"
        elif text in seen:
            kinds[i] = "boilerplate"  # a caption or headline repeated by the page layout
        in_related_list = reasons[i] == "related" or (in_related_list and kinds[i] == "boilerplate")
        if len(_words(text)) >= DUPLICATE_MIN_WORDS:
            seen.add(text)
    _tag_page_tail(paragraphs, reasons, kinds)
    return kinds


def _ends_with_period(text: str) -> bool:
    core = text.rstrip(_CLOSERS + " ")
    return core.endswith(".") and not core.endswith("..")


def _tag_page_tail(paragraphs: list[str], reasons: list[str | None], kinds: list[str]) -> None:
    """The page's end: once chrome begins after the last sentence, every short non-sentence line
    after it (donation appeals, app prompts, ...) is chrome too."""
    start = len(paragraphs)
    limit = max(0, len(paragraphs) - TAIL_MAX_BLOCKS)
    while start > limit and (reasons[start - 1] or kinds[start - 1] == "boilerplate"
                             or _is_chrome_shaped(paragraphs[start - 1])):
        start -= 1
    first_chrome = next((i for i in range(start, len(paragraphs)) if reasons[i]), None)
    if first_chrome is not None:
        kinds[first_chrome:] = ["boilerplate"] * (len(paragraphs) - first_chrome)


def build_blocks(raw: str) -> tuple[str, list[Block]]:
    """The cleaned document text and its tagged blocks (offsets point into that text)."""
    paragraphs = split_paragraphs(raw)
    blocks: list[Block] = []
    start = 0
    for para, (text, kind) in enumerate(zip(paragraphs, tag_paragraphs(paragraphs), strict=True)):
        blocks.append(Block(text=text, kind=kind, para=para, start=start))
        start += len(text) + len(PARAGRAPH_SEPARATOR)
    return PARAGRAPH_SEPARATOR.join(paragraphs), blocks
