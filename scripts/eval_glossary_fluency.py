"""Does the glossary change the names and nothing else? Measured on a mini model's sentences.

    python scripts/eval_glossary_fluency.py MODEL_DIR [--split heldout|test]
        [--engine ctranslate2 --engine transformers] [--limit N] [--dump DIR]

MODEL_DIR is the output of scripts/train_mini_model.py: heldout.tsv (the development set) and
test.tsv (the test split, for final figures only) beside the model, world.json saying which
world it learnt. Every sentence is its own document, translated as `jisr translate` does (beam
4, no translation memory), once without a glossary and once with the shipped default glossary.

Per engine, on all sentences and on those that need the glossary (house_reference differs from
reference), it prints:
- exact: the output equals house_reference (whitespace normalised); and the ceiling, the share
  of outputs without the glossary equal to reference (the glossary cannot mend the rest);
- renderings in, own gone: every required rendering held and none of the world's own renderings
  that the house reference replaces left in;
- rest unchanged: the output differs from the one without the glossary only at the words of
  the renderings it holds (`rest_unchanged`);
- both of these;
- doubles: the glossary's rendering and the world's own of the same name side by side; tails:
  a rendering after the final full stop that neither house_reference nor the model's own
  translation holds there;
- chrF against house_reference with and without the glossary;
- the occurrences applied at tiers 1, 2 and 3 and failed; decodes beyond one per sentence with
  a term; the time with the glossary as a ratio to the time without (one run, side by side);
- of the outputs exactly right, how many the quality score flags review or bad.
`--dump DIR` writes every sentence's outputs to DIR/ENGINE.tsv.
"""

from __future__ import annotations

import argparse
import csv
import difflib
import time
from pathlib import Path

import sacrebleu

from glossary.placement import tokens, tokens_in
from mt.app.pipeline import Translator, TranslatorSettings
from mt.engines import load_engine
from mt.engines.phrases import phrase_spans
from mt.ingest import read_text

FINAL = ".!?؟\"'”»)"
SPLITS = {"heldout": "heldout.tsv", "test": "test.tsv"}


def normalised(text: str) -> str:
    return " ".join(text.split())


def after_final_punctuation(text: str) -> str:
    """What follows the first sentence-final full stop that ends a word ("" if nothing)."""
    words = text.split()
    for k, word in enumerate(words[:-1]):
        if word[-1] in ".!?" and not word[:-1].replace(".", "").isupper():
            return " ".join(words[k + 1 :])
    return ""


def tail_rendering(output: str, house: str, renderings: list[str], plain: str = "") -> bool:
    """Whether `output` holds one of its renderings after its final punctuation where neither
    `house` nor the model's own translation (`plain`: its babble) holds it there."""
    tail = after_final_punctuation(output)
    before = after_final_punctuation(house) + " " + after_final_punctuation(plain)
    return any(r in tail and r not in before for r in renderings)


def rest_unchanged(plain: str, glossed: str, renderings: list[str]) -> bool:
    """Whether `glossed` differs from `plain` only at words holding one of `renderings`."""
    rendered = tokens_in(glossed, [s for s in phrase_spans(glossed, renderings) if s])
    words = [t.text for t in tokens(glossed)]
    opcodes = difflib.SequenceMatcher(a=[t.text for t in tokens(plain)], b=words,
                                      autojunk=False).get_opcodes()
    return all(tag == "equal" or set(range(b0, b1)) <= rendered
               for tag, _, _, b0, b1 in opcodes)


def read_rows(path: Path, limit: int | None = None) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    return rows[:limit] if limit else rows


def translate(engine, model: str, sources: list[str], glossary: bool):
    settings = TranslatorSettings(model=model, beam=4, cache=False, default_glossary=glossary)
    translator = Translator(settings, engine=engine)
    # Each sentence an article of its own (its first mentions its own), all in one run as
    # `jisr translate` runs a directory: batches fill across articles.
    docs = translator.translate_documents([read_text(s, f"s{i}") for i, s in enumerate(sources)])
    return [[seg for seg in doc.segments if seg.target or seg.source.strip()] for doc in docs]


def own_renderings(rows: list[dict[str, str]]) -> dict[str, str]:
    """house rendering -> the reference's own rendering, from word-level diffs of the two
    references (the words that differ where the house reference has a glossary rendering)."""
    pairs: dict[str, str] = {}
    for row in rows:
        ref, house = row["reference"].split(), row["house_reference"].split()
        for tag, a0, a1, b0, b1 in difflib.SequenceMatcher(a=ref, b=house).get_opcodes():
            if tag == "replace":
                pairs[" ".join(house[b0:b1])] = " ".join(ref[a0:a1])
    return pairs


def _double(output: str, house: str, pairs: dict[str, str]) -> bool:
    return any(rendering in output and own in output and own not in house
               and own not in rendering for rendering, own in pairs.items())


def _own_left(output: str, house: str, pairs: dict[str, str]) -> bool:
    return any(own in output and own not in house for own in pairs.values())


def counting_engine(engine_name: str, model: str):
    """The engine, and a dict whose "decodes" counts the texts it has decoded."""
    engine = load_engine(engine_name, model, threads=None)
    calls = {"decodes": 0}
    translate_method = engine.translate

    def counted(sources, *args, **kwargs):
        calls["decodes"] += len(sources)
        return translate_method(sources, *args, **kwargs)

    engine.translate = counted
    return engine, calls


def measure(
    engine_name: str, model: str, rows: list[dict[str, str]], dump: Path | None = None
) -> dict[str, float]:
    """The figures of the module docstring for one engine."""
    engine, calls = counting_engine(engine_name, model)
    sources = [r["source"] for r in rows]
    translate(engine, model, sources[:2], True)  # warm up both paths before timing
    started = time.perf_counter()
    plain_segments = translate(engine, model, sources, False)
    plain_time = time.perf_counter() - started
    calls["decodes"] = 0
    started = time.perf_counter()
    glossed_segments = translate(engine, model, sources, True)
    glossed_time = time.perf_counter() - started
    extra = calls["decodes"] - sum(len(segs) for segs in glossed_segments)
    plain = [" ".join(s.target for s in segs) for segs in plain_segments]
    glossed = [" ".join(s.target for s in segs) for segs in glossed_segments]
    forms = [[u.form for s in segs for u in s.matches] for segs in glossed_segments]
    uses = [u for segs in glossed_segments for s in segs for u in s.matches]
    pairs = own_renderings(rows)
    house = [r["house_reference"] for r in rows]
    needing = [n for n, r in enumerate(rows)
               if normalised(r["house_reference"]) != normalised(r["reference"])]
    exact = [normalised(o) == normalised(h) for o, h in zip(glossed, house, strict=True)]
    placed = [all(u.tier is not None for s in segs for u in s.matches)
              and not _own_left(o, h, pairs)
              for segs, o, h in zip(glossed_segments, glossed, house, strict=True)]
    unchanged = [rest_unchanged(p, g, f) for p, g, f in zip(plain, glossed, forms, strict=True)]
    flagged = sum(any(s.flag in ("review", "bad") for s in segs)
                  for segs, right in zip(glossed_segments, exact, strict=True) if right)
    with_term = sum(1 for segs in glossed_segments if any(s.matches for s in segs))
    if dump:
        write_dump(dump, rows, plain, glossed_segments)

    def share(flags: list[bool], among: list[int] | None = None) -> float:
        among = range(len(flags)) if among is None else among
        return 100 * sum(flags[n] for n in among) / max(len(among), 1)

    figures: dict[str, float] = {"sentences": len(rows), "needing the glossary": len(needing)}
    for label, among in (("all", None), ("needing", needing)):
        chosen = range(len(rows)) if among is None else among
        figures |= {
            f"{label}: exact = house_reference %": share(exact, among),
            f"{label}: renderings in, own gone %": share(placed, among),
            f"{label}: rest unchanged %": share(unchanged, among),
            f"{label}: both %": share([a and b for a, b in zip(placed, unchanged, strict=True)],
                                      among),
            f"{label}: chrF with glossary vs house_reference": sacrebleu.corpus_chrf(
                [glossed[n] for n in chosen], [[house[n] for n in chosen]]).score,
            f"{label}: chrF without glossary vs house_reference": sacrebleu.corpus_chrf(
                [plain[n] for n in chosen], [[house[n] for n in chosen]]).score,
        }
    figures |= {
        "ceiling: no glossary = reference %": share(
            [normalised(p) == normalised(r["reference"]) for p, r in zip(plain, rows,
                                                                          strict=True)]),
        "doubles": sum(_double(o, h, pairs) for o, h in zip(glossed, house, strict=True)),
        "tails": sum(tail_rendering(o, h, f, p) for o, h, f, p in zip(glossed, house, forms,
                                                                      plain, strict=True)),
        "occurrences": len(uses),
        "tier 1": sum(u.tier == 1 for u in uses),
        "tier 2": sum(u.tier == 2 for u in uses),
        "tier 3": sum(u.tier == 3 for u in uses),
        "failed": sum(u.tier is None for u in uses),
        "extra decodes per sentence with a term": extra / max(with_term, 1),
        "time with glossary / without": glossed_time / plain_time,
        "exact outputs flagged review or bad %": 100 * flagged / max(sum(exact), 1),
    }
    return figures


def write_dump(path: Path, rows, plain: list[str], glossed_segments) -> None:
    """One row per sentence: source, both references, both outputs, the glossary column, the
    flags, and whether the glossed output equals house_reference and the plain one reference."""
    columns = ["source", "reference", "house_reference", "plain", "glossed", "glossary", "flag",
               "plain_exact", "glossed_exact"]
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write("\t".join(columns) + "\n")
        for row, out, segs in zip(rows, plain, glossed_segments, strict=True):
            glossed = " ".join(s.target for s in segs)
            fields = [
                row["source"], row["reference"], row["house_reference"], out, glossed,
                " | ".join(s.glossary for s in segs if s.glossary),
                " ".join(f"{s.flag}:{s.score}" for s in segs),
                int(normalised(out) == normalised(row["reference"])),
                int(normalised(glossed) == normalised(row["house_reference"])),
            ]
            handle.write("\t".join(normalised(str(f)) for f in fields) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("model", type=Path)
    parser.add_argument("--split", choices=list(SPLITS), default="heldout",
                        help="heldout: the development set; test: final figures only")
    parser.add_argument("--engine", action="append", choices=["ctranslate2", "transformers"])
    parser.add_argument("--limit", type=int)
    parser.add_argument("--dump", type=Path, help="write ENGINE.tsv per engine into this directory")
    args = parser.parse_args()
    rows = read_rows(args.model / SPLITS[args.split], args.limit)
    world = args.model / "world.json"
    engines = args.engine or ["ctranslate2", "transformers"]
    if args.dump:
        args.dump.mkdir(parents=True, exist_ok=True)
    figures = {name: measure(name, str(args.model), rows,
                             args.dump / f"{name}.tsv" if args.dump else None)
               for name in engines}
    switches = world.read_text().strip() if world.exists() else "the default world"
    print(f"World {switches}, {args.split} split, {len(rows)} sentences.\n")
    print_table(figures, digits=1)


def print_table(figures: dict[str, dict[str, float]], digits: int) -> None:
    """A Markdown table of each engine's figures, a row per figure, a column per engine."""
    engines = list(figures)
    print("| figure | " + " | ".join(engines) + " |")
    print("| --- |" + " ---: |" * len(engines))
    for key in figures[engines[0]]:
        cells = [figures[name][key] for name in engines]
        print(f"| {key} | " + " | ".join(
            f"{value:.{digits}f}" if isinstance(value, float) else str(value) for value in cells)
            + " |")

if __name__ == "__main__":
    main()
