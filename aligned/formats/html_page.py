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
body:has(#only-open:checked) .row.approved,
body:has(#only-open:checked) .row.flag-skipped,
body:has(#only-open:checked) details.boilerplate { display: none; }
.en[contenteditable] { border-radius: 3px; outline: 1px dashed transparent; cursor: text; }
.en[contenteditable]:hover { outline-color: #b6bcc6; }
.en[contenteditable]:focus { outline: 2px solid var(--term-edge); background: #fff; }
.row.edited { border-left-color: #6a3fb5; }
.row.edited .en { background: #efe8fb; box-shadow: inset 3px 0 #6a3fb5; }
.row.edited .num::after { content: "edited"; display: block; font-size: .72rem; font-weight: 700;
  color: #6a3fb5; }
.row.approved { background: #e3f5e8; border-left-color: #1e8e3e; }
.row.approved .badge { opacity: .6; }
.approve { display: block; margin-top: .3rem; font-size: .75rem; white-space: nowrap;
  cursor: pointer; }
.badge.human { background: #6a3fb5; color: #fff; margin-left: .2rem; }
.review-counts { color: var(--muted); white-space: nowrap; }
.tm-match { grid-column: 2 / 4; display: grid; grid-template-columns: minmax(0, 1fr)
  minmax(0, 1fr); column-gap: 1.2rem; margin-top: .35rem; padding-top: .35rem;
  border-top: 1px dotted #b6bcc6; font-size: .92rem; color: #3c4043; }
.tm-ar { font-family: "Noto Naskh Arabic", "Amiri", "Geeza Pro", "Segoe UI", Tahoma,
  "DejaVu Sans", sans-serif; text-align: right; }
.tm-ar mark { background: #ffd7a8; border-radius: 3px; }
.badge.tm { background: #1a73e8; color: #fff; }
.badge.adapted { background: #e37400; color: #fff; margin-left: .2rem; }
.use-tm { font: inherit; font-size: .8rem; padding: 0 .4rem; cursor: pointer; }
header button { font: inherit; font-size: .85rem; padding: .15rem .6rem; cursor: pointer; }
"""

# Hovering a word highlights it and the words aligned to it (the row's Pharaoh links:
# "source-target" word indices); an edited row's links no longer hold. Editing and approving
# mark the row; the downloads put the edited targets and review states into the TSV and XLIFF
# that jisr's writers made (JSON in #review-data) and save them as files. A reviewed TSV row says
# `approved` or `edited` in its review column; in XLIFF an approved unit is approved="yes" with
# state final, an edited one state translated.
SCRIPT = """
(function () {
var XLIFF = "urn:oasis:names:tc:xliff:document:1.2";
var data = JSON.parse(document.getElementById("review-data").textContent);
var unsaved = false;

function clean(text) {  // one TSV field, as jisr writes it: no control characters, one line
  return text.replace(/[\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029\\s]+/g, " ").trim();
}
function rows() { return Array.prototype.slice.call(document.querySelectorAll(".row")); }
function target(row) {  // the target as the translator left it
  var en = row.querySelector(".en");
  return row.classList.contains("edited") ? clean(en.innerText) : row.dataset.target;
}
function review(row) {
  if (row.classList.contains("approved")) return "approved";
  return row.classList.contains("edited") ? "edited" : "";
}
function refresh() {
  document.getElementById("edited-count").textContent =
    document.querySelectorAll(".row.edited").length;
  document.getElementById("approved-count").textContent =
    document.querySelectorAll(".row.approved").length;
}

document.addEventListener("mouseover", function (event) {
  document.querySelectorAll(".w.hl").forEach(function (w) { w.classList.remove("hl"); });
  var word = event.target.closest ? event.target.closest(".w") : null;
  if (!word) return;
  var row = word.closest(".row");
  if (row.classList.contains("edited")) return;
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

document.addEventListener("input", function (event) {
  var en = event.target.closest ? event.target.closest(".en[contenteditable]") : null;
  if (!en) return;
  var row = en.closest(".row");
  row.classList.toggle("edited", clean(en.innerText) !== clean(row.dataset.target));
  unsaved = true;
  refresh();
});
document.addEventListener("keydown", function (event) {  // a target is one line
  if (event.key === "Enter" && event.target.closest && event.target.closest(".en")) {
    event.preventDefault();
    event.target.blur();
  }
});
document.addEventListener("click", function (event) {  // adopt the fuzzy match's English
  if (!event.target.classList.contains("use-tm")) return;
  var row = event.target.closest(".row");
  var en = row.querySelector(".en");
  en.textContent = event.target.closest(".tm-match").dataset.offered;
  var edited = clean(en.innerText) !== clean(row.dataset.target);
  row.classList.toggle("edited", edited);
  if (!edited) {  // the match is the machine's English already: taking it approves it
    row.querySelector(".approved-box").checked = true;
    row.classList.add("approved");
  }
  unsaved = true;
  refresh();
});
document.addEventListener("change", function (event) {
  if (!event.target.classList.contains("approved-box")) return;
  event.target.closest(".row").classList.toggle("approved", event.target.checked);
  unsaved = true;
  refresh();
});
window.addEventListener("beforeunload", function (event) {
  if (unsaved) event.preventDefault();  // edits not yet downloaded would be lost
});

function reviewedTsv() {
  var lines = data.tsv.replace(/\\n$/, "").split("\\n");
  var header = lines[0].split("\\t");
  var col = function (name) { return header.indexOf(name); };
  var byUnit = {};
  rows().forEach(function (row) { byUnit[row.dataset.unit] = row; });
  var out = [lines[0] + "\\treview"];
  lines.slice(1).forEach(function (line) {
    var fields = line.split("\\t");
    var row = byUnit[fields[col("doc_id")] + ":" + fields[col("seg")]];
    var state = row ? review(row) : "";
    if (row && row.classList.contains("edited")) {
      fields[col("target")] = target(row);
      fields[col("alignment")] = "";  // its word links were the machine translation's
    }
    if (state) fields[col("origin")] = "human";
    out.push(fields.concat([state]).join("\\t"));
  });
  return out.join("\\n") + "\\n";
}

function reviewedXliff() {
  var xml = new DOMParser().parseFromString(data.xliff, "application/xml");
  var units = xml.getElementsByTagNameNS(XLIFF, "trans-unit");
  var byUnit = {};
  rows().forEach(function (row) { byUnit[row.dataset.unit] = row; });
  for (var i = 0; i < units.length; i++) {
    var unit = units[i], row = byUnit[unit.getAttribute("id")];
    var state = row ? review(row) : "";
    if (!state) continue;
    var element = null;  // the unit's own target, not an alt-trans proposal's
    for (var c = unit.firstElementChild; c; c = c.nextElementSibling) {
      if (c.namespaceURI === XLIFF && c.localName === "target") element = c;
    }
    if (!element) {
      element = xml.createElementNS(XLIFF, "target");
      unit.insertBefore(element, unit.getElementsByTagNameNS(XLIFF, "note")[0] || null);
    }
    element.textContent = target(row);
    element.removeAttribute("state-qualifier");  // no longer leveraged from MT as it stands
    element.setAttribute("state", state === "approved" ? "final" : "translated");
    if (state === "approved") unit.setAttribute("approved", "yes");
  }
  return new XMLSerializer().serializeToString(xml);
}

function save(text, suffix, type) {
  var stem = decodeURIComponent(location.pathname.split("/").pop()).replace(/\\.html?$/i, "");
  var link = document.createElement("a");
  link.href = URL.createObjectURL(new Blob([text], { type: type + ";charset=utf-8" }));
  link.download = (stem || "review") + suffix;
  document.body.appendChild(link);
  link.click();
  link.remove();
  unsaved = false;
}
document.getElementById("download-tsv").addEventListener("click", function () {
  save(reviewedTsv(), ".reviewed.tsv", "text/tab-separated-values");
});
document.getElementById("download-xliff").addEventListener("click", function () {
  var xml = reviewedXliff();
  save(xml.indexOf("<?xml") === 0 ? xml : '<?xml version="1.0" encoding="UTF-8"?>\\n' + xml,
       ".reviewed.xlf", "application/xliff+xml");
});
})();
"""
