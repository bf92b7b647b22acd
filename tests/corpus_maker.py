"""A small news corpus written for the tests: Arabic sentences of our own, combined by a seeded
random generator into articles with a heading and a few paragraphs."""

from __future__ import annotations

import random

SUBJECTS = ("وزير الخارجية", "رئيس الوزراء", "المتحدث باسم الحكومة", "وزير المالية",
            "محافظ البنك المركزي", "رئيس البرلمان")
CITIES = ("بغداد", "القاهرة", "عمّان", "الرباط", "بيروت", "تونس", "الدوحة")
TOPICS = ("الوضع الاقتصادي", "ملف الطاقة", "أمن الحدود", "قطاع التعليم", "سوق العمل")
STATES = ("مستقر", "يتحسن ببطء", "يحتاج إلى إصلاحات عاجلة")
FIELDS = ("التجارة والاستثمار", "الصحة والتعليم", "النقل والطاقة")
HEADINGS = ("{s} يزور {c}", "{c} تستضيف اجتماعا حول {t}")
SENTENCES = (
    "قال {s} إن {t} {st}.",
    "وصل {s} إلى {c} صباح اليوم في زيارة تستمر {n} أيام.",
    "أعلن {s} أن الحكومة ستخصص {n} ملايين دولار لدعم {t}.",
    "وأضاف أن الاجتماع المقبل سيعقد في {c} خلال الأسبوع القادم.",
    "وأكد {s} أهمية التعاون بين البلدين في مجالات {f}.",
    "وأشار التقرير إلى أن نسبة النمو بلغت {n}.5 في المئة هذا العام.",
)


def article(rng: random.Random) -> str:
    """One article: a heading paragraph, then two or three paragraphs of one to three sentences."""

    def fill(template: str) -> str:
        return template.format(
            s=rng.choice(SUBJECTS), c=rng.choice(CITIES), t=rng.choice(TOPICS),
            st=rng.choice(STATES), f=rng.choice(FIELDS), n=rng.randint(2, 9),
        )

    paragraphs = [fill(rng.choice(HEADINGS))]
    for _ in range(rng.randint(2, 3)):
        paragraphs.append(" ".join(fill(rng.choice(SENTENCES)) for _ in range(rng.randint(1, 3))))
    return "\n\n".join(paragraphs) + "\n"


def articles(count: int, seed: int = 0) -> list[str]:
    rng = random.Random(seed)
    return [article(rng) for _ in range(count)]
