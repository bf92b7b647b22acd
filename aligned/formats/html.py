"""The bilingual review page: one self-contained HTML file (no network requests, enforced by
its Content-Security-Policy). English on the left, Arabic on the right (dir="rtl" lang="ar");
rows shaded by flag with the reasons in words; glossary terms highlighted on both sides;
hovering a word highlights its aligned words; filters show only review and bad rows, or only
rows not yet approved; boilerplate collapsed. Every piece of text is escaped.

A translator edits an English target in place and marks rows approved, then downloads the
reviewed article as TSV and XLIFF 1.2, built in the page (it works opened from disk). The page
carries the TSV and XLIFF that jisr's own writers make of the same documents, and its script
only puts in the edited targets and the review states: one writer per format, not a second one
in JavaScript. `jisr tm import` reads either download back.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Sequence
from html import escape
from itertools import groupby

from aligned.formats.base import WriteContext, Writer
from aligned.formats.html_page import SCRIPT, STYLE
from aligned.formats.tsv import TsvWriter
from aligned.formats.xliff import XliffWriter, unit_id
from aligned.formats.xml_text import xml_safe
from aligned.word_alignment import from_pharaoh
from mt.document import Document, Segment

_WORD = re.compile(r"\S+")
CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'"


def _spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _WORD.finditer(text)]


def _term_words(seg: Segment) -> tuple[dict[int, str], dict[int, str]]:
    """Glossary terms as word indices with a tooltip: (Arabic words, English words). The English
    occurrence is found by its text, or else through the word alignment."""
    source_spans, target_spans = _spans(seg.source), _spans(seg.target)
    links = _alignment(seg)
    source_terms: dict[int, str] = {}
    target_terms: dict[int, str] = {}
    lowered = seg.target.lower()
    for use in seg.matches:
        match, form = use.match, use.form
        tip = f"glossary: {match.surface} \u2192 {form} {use.status}".strip()
        words = {i for i, (s, e) in enumerate(source_spans) if s < match.end and e > match.start}
        source_terms.update(dict.fromkeys(words, tip))
        found = [m.span() for m in re.finditer(re.escape(form.lower()), lowered)] if form else []
        english = {i for i, (s, e) in enumerate(target_spans) for fs, fe in found
                   if s < fe and e > fs}
        if not english:
            english = {t for s, t in links if s in words}
        target_terms.update(dict.fromkeys(english, tip))
    return source_terms, target_terms


def _alignment(seg: Segment) -> list[tuple[int, int]]:
    """The row's word links, when they index the words shown: the alignment is over the model's
    normalised input, which keeps the source's words unless normalisation changed their count."""
    if not seg.alignment or (seg.mt_source and len(seg.mt_source.split()) !=
                             len(seg.source.split())):
        return []
    return from_pharaoh(seg.alignment)


def _words_html(text: str, terms: dict[int, str]) -> str:
    parts = []
    for index, match in enumerate(_WORD.finditer(text)):
        classes = "w term" if index in terms else "w"
        title = f' title="{escape(terms[index])}"' if index in terms else ""
        parts.append(
            f'<span class="{classes}" data-i="{index}"{title}>{escape(match.group())}</span>'
        )
    return " ".join(parts)


def _marked(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """`text` escaped, with the spans (a fuzzy match's differing words) in <mark>."""
    parts, position = [], 0
    for start, end in sorted(spans):
        parts += [escape(text[position:start]), f"<mark>{escape(text[start:end])}</mark>"]
        position = end
    return "".join(parts) + escape(text[position:])


def _tm_match(seg: Segment) -> str:
    """The best fuzzy match under the machine translation: its percentage, the English it
    offers (adopted in one click), and its Arabic source with the words that differ marked."""
    if not seg.tm_matches or seg.kind == "boilerplate":
        return ""
    best = seg.tm_matches[0]
    adapted = ('<span class="badge adapted" title="the human translation with numbers or names '
               'replaced">placeables replaced</span>' if best.adapted else "")
    return (
        f'<div class="tm-match" data-offered="{escape(best.offered)}">'
        f'<div class="tm-en" lang="en" dir="ltr"><span class="badge tm">TM {best.percent}%</span>'
        f'{adapted} <span class="tm-text">{escape(best.offered)}</span> '
        '<button type="button" class="use-tm">Use this translation</button></div>'
        f'<div class="tm-ar" lang="ar" dir="rtl">{_marked(best.source, best.changed)}</div></div>'
    )


def _row(seg: Segment) -> str:
    source_terms, target_terms = _term_words(seg)
    links = _alignment(seg)
    align = " ".join(f"{s}-{t}" for s, t in links)
    score = "" if seg.score is None else f" {seg.score:.2f}"
    reasons = "".join(f"<li>{escape(reason)}</li>" for reason in seg.reasons)
    reviewable = seg.kind != "boilerplate"  # boilerplate is marked translate="no" in XLIFF
    editable = ' contenteditable="plaintext-only" spellcheck="true"' if reviewable else ""
    approve = (
        '<label class="approve"><input type="checkbox" class="approved-box"> approved</label>'
        if reviewable else ""
    )
    return (
        f'<div class="row flag-{escape(seg.flag or "none")} kind-{escape(seg.kind)} '
        f'origin-{escape(seg.origin)}" id="{escape(f"s-{seg.doc_id}-{seg.seg}")}" '
        f'data-unit="{escape(unit_id(seg))}" data-target="{escape(seg.target)}" '
        f'data-align="{escape(align)}">'
        f'<div class="num">{seg.seg + 1}<br><span class="badge">'
        f"{escape(seg.flag or 'none')}{score}</span>"
        + ('<span class="badge human">human</span>' if seg.origin == "human" else "")
        + f"{approve}</div>"
        f'<div class="en" lang="en" dir="ltr"{editable}>'
        f"{_words_html(seg.target, target_terms)}</div>"
        f'<div class="ar" lang="ar" dir="rtl">{_words_html(seg.source, source_terms)}</div>'
        + _tm_match(seg)
        + (f'<ul class="reasons">{reasons}</ul>' if reasons else "")
        + "</div>"
    )


def _document(doc: Document) -> str:
    parts = [f"<section class=\"doc\"><h2>{escape(doc.doc_id)}</h2>"]
    for boilerplate, group in groupby(doc.segments, key=lambda seg: seg.kind == "boilerplate"):
        rows = [_row(seg) for seg in group]
        if boilerplate:
            label = "line" if len(rows) == 1 else "lines"
            parts.append(
                f'<details class="boilerplate"><summary>{len(rows)} boilerplate {label} '
                f"(navigation, captions, credits)</summary>{''.join(rows)}</details>"
            )
        else:
            parts.extend(rows)
    parts.append("</section>")
    return "".join(parts)


def _counts(docs: Sequence[Document]) -> str:
    counts = Counter(seg.flag or "none" for doc in docs for seg in doc.segments)
    total = sum(counts.values())
    shown = [f"<span>{total} segments</span>"]
    shown += [f"<span>{counts[flag]} {flag}</span>" for flag in ("ok", "review", "bad", "skipped")
              if counts[flag]]
    return "".join(shown)


def _review_data(docs: Sequence[Document], context: WriteContext) -> str:
    """The TSV and XLIFF of the documents, for the page's downloads, as JSON safe inside a
    <script> element: no "<" can close it."""
    data = {
        "tsv": TsvWriter().render(docs, context),
        "xliff": XliffWriter().render(docs, context),
    }
    return json.dumps(data, ensure_ascii=False).replace("<", "\\u003c")


_TOOLBAR = (
    '<label class="filter"><input type="checkbox" id="only-flagged"> '
    "Show only sentences to review (review and bad)</label>"
    '<label class="filter"><input type="checkbox" id="only-open"> '
    "Hide approved sentences</label>"
    '<span class="review-counts"><span id="edited-count">0</span> edited, '
    '<span id="approved-count">0</span> approved</span>'
    '<button type="button" id="download-tsv">Download reviewed TSV</button>'
    '<button type="button" id="download-xliff">Download reviewed XLIFF</button>'
)


class HtmlWriter(Writer):
    name = "html"
    suffix = ".html"

    def render(self, docs: Sequence[Document], context: WriteContext) -> str:
        title = "jisr review: " + ", ".join(doc.doc_id for doc in docs)
        return xml_safe(  # control characters in a source or target are HTML parse errors
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>"
            f"<header><h1>{escape(title)}</h1><div class=\"counts\">{_counts(docs)}</div>"
            f"{_TOOLBAR}"
            f'<p class="signature">{escape(context.signature)}</p></header><main>'
            '<div class="columns"><span>#</span><span>English</span>'
            '<span class="ar-head">Arabic</span></div>'
            + "".join(_document(doc) for doc in docs)
            + "</main>"
            f'<script type="application/json" id="review-data">{_review_data(docs, context)}'
            f"</script><script>{SCRIPT}</script></body></html>\n"
        )
