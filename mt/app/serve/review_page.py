"""The live parts of the review page, added to the static page that `jisr translate --formats
html` writes (aligned.formats.html, issue 17's design): the page's own script still marks edits
and approvals and builds the downloads; this one sends each approval to the service's human
memory, asks the model to continue from the translator's words, and offers its n-best
alternatives. Both offers are buttons: the translator picks one or ignores them."""

from html import escape

FORM_CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'"
# The static page may not connect anywhere; the live one talks to the service that served it.
LIVE_CSP_EXTRA = "; connect-src 'self'"

FORM = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<title>jisr review</title>
<style>body {{ font: 16px/1.5 system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; }}
textarea {{ width: 100%; height: 24rem; font-size: 1.1rem; }}</style></head>
<body><h1>jisr: review a translation</h1>
<p>Paste an Arabic article (plain text or HTML). Its translation opens for review: edit the
English, approve a row to store it in the translation memory, ask the model to continue from
your words or for alternatives.</p>
<form method="post" action="review"><input type="hidden" name="api_key" value="{key}">
<textarea name="text" dir="rtl" lang="ar" required></textarea>
<p><button type="submit" id="translate">Translate for review</button></p></form>
</body></html>
"""

STYLE = """<style>
.live-tools { grid-column: 2 / 4; margin-top: .3rem; font-size: .82rem; }
.live-tools button { font: inherit; cursor: pointer; }
.live-status { color: var(--muted); margin-left: .4rem; }
.live-status[data-state="saved"] { color: #1e8e3e; font-weight: 700; }
.live-status[data-state="error"] { color: #c8281e; font-weight: 700; }
.offers .offer { display: block; width: 100%; margin-top: .25rem; text-align: left;
  background: #f1ecfa; border: 1px solid #c9b8ec; border-radius: 3px; padding: .2rem .5rem; }
</style>"""

SCRIPT = """<script>
(function () {
var live = JSON.parse(document.getElementById("live-data").textContent);
function clean(text) {
  return text.replace(/[\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029\\s]+/g, " ").trim();
}
function post(path, body) {
  var headers = {"Content-Type": "application/json"};
  if (live.key) headers["X-API-Key"] = live.key;
  return fetch(path, {method: "POST", headers: headers, body: JSON.stringify(body)})
    .then(function (response) {
      return response.json().then(function (answer) {
        if (!response.ok) throw new Error(answer.error || response.statusText);
        return answer;
      });
    });
}
function source(row) { return live.sources[row.dataset.unit]; }
function target(row) {
  var en = row.querySelector(".en");
  return row.classList.contains("edited") ? clean(en.innerText) : row.dataset.target;
}
function status(row, text, state) {
  var element = row.querySelector(".live-status");
  element.textContent = text;
  element.dataset.state = state;
}
function offer(row, texts) {
  var box = row.querySelector(".offers");
  box.textContent = "";
  texts.forEach(function (text) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "offer";
    button.textContent = text;
    button.addEventListener("click", function () {
      var en = row.querySelector(".en");
      en.textContent = text;
      en.dispatchEvent(new Event("input", {bubbles: true}));  // the page marks it edited
      box.textContent = "";
    });
    box.appendChild(button);
  });
}
document.querySelectorAll(".row").forEach(function (row) {
  if (!row.querySelector(".en[contenteditable]") || !source(row)) return;
  var tools = document.createElement("div");
  tools.className = "live-tools";
  tools.innerHTML = '<button type="button" class="continue">Continue from my words</button> ' +
    '<button type="button" class="alternatives">Alternatives</button>' +
    '<span class="live-status"></span><div class="offers"></div>';
  row.appendChild(tools);
});
document.addEventListener("click", function (event) {
  var button = event.target.closest ? event.target.closest(".live-tools button") : null;
  if (!button || button.classList.contains("offer")) return;
  var row = button.closest(".row");
  status(row, "asking the model\\u2026", "busy");
  var asked = button.classList.contains("continue")
    ? post("/v1/continue", {source: source(row), prefix: clean(row.querySelector(".en").innerText)})
        .then(function (answer) { return [answer.translation]; })
    : post("/v1/alternatives", {source: source(row), count: 4})
        .then(function (answer) { return answer.alternatives; });
  asked.then(function (texts) { offer(row, texts); status(row, "", "offered"); },
             function (error) { status(row, error.message, "error"); });
});
document.addEventListener("change", function (event) {
  var box = event.target;
  if (!box.classList.contains("approved-box") || !box.checked) return;
  var row = box.closest(".row");
  status(row, "saving\\u2026", "busy");
  post("/v1/approve", {source: source(row), target: target(row), unit: row.dataset.unit}).then(
    function () { status(row, "saved to the translation memory", "saved"); },
    function (error) {
      box.checked = false;
      row.classList.remove("approved");
      status(row, error.message, "error");
    });
});
})();
</script>"""


def form_page(api_key: str | None) -> str:
    return FORM.format(csp=FORM_CSP, key=escape(api_key or ""))
