"""The static parts of the HTML review page: its style and its one small script. Kept apart
from the writer so that the writer reads as the page's structure."""

STYLE = """
:root { --ok: #ffffff; --review: #fff6dc; --review-edge: #d29b00; --bad: #fde4e2;
  --bad-edge: #c8281e; --term: #dcebff; --term-edge: #3b73c4; --hl: #ffd54a; --muted: #5f6368; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.55 system-ui, "Segoe UI", "Noto Sans", "DejaVu Sans", sans-serif;
  color: #202124; background: #f3f4f6; }
header { position: sticky; top: 0; z-index: 1; background: #fff; border-bottom: 1px solid #d0d4da;
  padding: .7rem 1.5rem; display: flex; flex-wrap: wrap; gap: .4rem 1.6rem; align-items: baseline; }
header h1 { font-size: 1.15rem; margin: 0; }
.counts span { margin-right: .8rem; white-space: nowrap; }
.filter { font-weight: 600; cursor: pointer; }
.signature { flex-basis: 100%; margin: 0; color: var(--muted); font-size: .78rem; }
main { max-width: 84rem; margin: 0 auto; padding: 1rem 1.5rem 3rem; }
h2 { font-size: 1rem; color: var(--muted); margin: 1.5rem 0 .5rem; }
.columns, .row { display: grid; grid-template-columns: 4.8rem minmax(0, 1fr) minmax(0, 1fr);
  column-gap: 1.2rem; }
.en, .ar, .reasons { overflow-wrap: anywhere; }
.columns { font-size: .8rem; color: var(--muted); text-transform: uppercase; letter-spacing: .04em;
  padding: 0 .8rem .3rem; }
.columns .ar-head { text-align: right; }
.row { background: var(--ok); border-left: 5px solid transparent; border-radius: 4px;
  padding: .55rem .8rem; margin-bottom: 4px; }
.row.flag-review { background: var(--review); border-left-color: var(--review-edge); }
.row.flag-bad { background: var(--bad); border-left-color: var(--bad-edge); }
.row.flag-skipped { color: var(--muted); }
.row.kind-heading .en, .row.kind-heading .ar { font-weight: 700; }
.num { font-size: .8rem; color: var(--muted); }
.badge { display: inline-block; margin-top: .15rem; padding: 0 .35rem; border-radius: 3px;
  font-size: .72rem; font-weight: 700; background: #e6f4ea; color: #137333; white-space: nowrap; }
.flag-review .badge { background: var(--review-edge); color: #fff; }
.flag-bad .badge { background: var(--bad-edge); color: #fff; }
.flag-skipped .badge { background: #e8eaed; color: var(--muted); }
.ar { font-family: "Noto Naskh Arabic", "Amiri", "Geeza Pro", "Segoe UI", Tahoma, "DejaVu Sans",
  sans-serif; font-size: 1.18rem; line-height: 1.8; text-align: right; }
.reasons { grid-column: 2 / 4; margin: .35rem 0 0; padding: 0; list-style: none;
  font-size: .88rem; }
.reasons li::before { content: "\\26A0\\FE0E  "; }
.flag-bad .reasons { color: #8c1d18; }
.flag-review .reasons { color: #6b4e00; }
.w { border-radius: 3px; }
.term { background: var(--term); box-shadow: inset 0 -2px var(--term-edge); }
.w.hl { background: var(--hl); box-shadow: none; }
details.boilerplate { margin: 4px 0 8px; color: var(--muted); }
details.boilerplate summary { cursor: pointer; padding: .3rem .8rem; font-size: .88rem; }
body:has(#only-flagged:checked) .row.flag-ok,
body:has(#only-flagged:checked) .row.flag-skipped,
body:has(#only-flagged:checked) details.boilerplate { display: none; }
"""

# Hovering a word highlights it and the words aligned to it (the row's Pharaoh links:
# "source-target" word indices).
SCRIPT = """
document.addEventListener("mouseover", function (event) {
  document.querySelectorAll(".w.hl").forEach(function (w) { w.classList.remove("hl"); });
  var word = event.target.closest ? event.target.closest(".w") : null;
  if (!word) return;
  var row = word.closest(".row");
  var fromArabic = word.closest(".ar") !== null;
  word.classList.add("hl");
  (row.dataset.align || "").split(" ").forEach(function (link) {
    var ends = link.split("-");
    if (ends.length !== 2) return;
    var mine = fromArabic ? ends[0] : ends[1], other = fromArabic ? ends[1] : ends[0];
    if (mine !== word.dataset.i) return;
    var side = row.querySelector(fromArabic ? ".en" : ".ar");
    var target = side && side.querySelector('.w[data-i="' + other + '"]');
    if (target) target.classList.add("hl");
  });
});
"""
