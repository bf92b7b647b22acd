"""Does the glossary keep the English fluent? Measured on the mini model's held-out set.

    python scripts/eval_glossary_fluency.py MODEL_DIR [--engine ctranslate2 --engine transformers]
                                           [--limit N]

MODEL_DIR is the output of scripts/train_mini_model.py (its heldout.tsv beside the model). Every
held-out sentence is its own document, translated as `jisr translate` does (beam 4, no
translation memory), once without a glossary and once with the shipped default glossary.
Per engine it prints: the ceiling (the share of outputs without the glossary equal to
`reference`: the glossary cannot make right a sentence the model gets wrong), chrF against
`reference` without the glossary, chrF against `house_reference` with it, the share of outputs
equal to `house_reference` (whitespace normalised), overall and among the sentences the model
gets exactly right without the glossary, outputs holding a rendering after their final
punctuation that `house_reference` lacks (and how many of them have a tail without the glossary
too: the model's own babble), outputs holding both a glossary rendering and the model's own
rendering of the same occurrence, the occurrences applied at tier 1 (held by the model's own
translation or by that of the injected input), at tier 3 and failed, and the decodes beyond
one per sentence that the glossary took. `--dump DIR` writes every sentence's outputs.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

import sacrebleu

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mt.app.pipeline import Translator, TranslatorSettings  # noqa: E402
from mt.engines import load_engine  # noqa: E402

FINAL = ".!?؟\"'”»)"


def normalised(text: str) -> str:
    return " ".join(text.split())


def after_final_punctuation(text: str) -> str:
    """What follows the first sentence-final full stop that ends a word ("" if nothing)."""
    words = text.split()
    for k, word in enumerate(words[:-1]):
        if word[-1] in ".!?" and not word[:-1].replace(".", "").isupper():
            return " ".join(words[k + 1 :])
    return ""


def tail_rendering(output: str, house: str, renderings: list[str]) -> bool:
    """Whether `output` holds one of its renderings after its final punctuation where
    `house` holds none there."""
    tail, house_tail = after_final_punctuation(output), after_final_punctuation(house)
    return any(r in tail and r not in house_tail for r in renderings)


def read_heldout(path: Path, limit: int | None) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    return rows[:limit] if limit else rows


def translate(engine, model: str, sources: list[str], glossary: bool):
    settings = TranslatorSettings(model=model, beam=4, cache=False, default_glossary=glossary)
    translator = Translator(settings, engine=engine)
    docs = [translator.translate_text(s, doc_id=f"s{i}") for i, s in enumerate(sources)]
    return [[seg for seg in doc.segments if seg.target or seg.source.strip()] for doc in docs]


def own_renderings(rows: list[dict[str, str]]) -> dict[str, str]:
    """house rendering -> the reference's own rendering, from word-level diffs of the two
    references (the words that differ where the house reference has a glossary rendering)."""
    import difflib

    pairs: dict[str, str] = {}
    for row in rows:
        ref, house = row["reference"].split(), row["house_reference"].split()
        for tag, a0, a1, b0, b1 in difflib.SequenceMatcher(a=ref, b=house).get_opcodes():
            if tag == "replace":
                pairs[" ".join(house[b0:b1])] = " ".join(ref[a0:a1])
    return pairs


def measure(
    engine_name: str, model: str, rows: list[dict[str, str]], dump: Path | None = None
) -> dict[str, float]:
    engine = load_engine(engine_name, model, threads=None)
    calls = {"decodes": 0}
    translate_method = engine.translate

    def counted(sources, *args, **kwargs):
        calls["decodes"] += len(sources)
        return translate_method(sources, *args, **kwargs)

    engine.translate = counted
    sources = [r["source"] for r in rows]
    plain = [" ".join(s.target for s in segs) for segs in translate(engine, model, sources, False)]
    calls["decodes"] = 0
    glossed_segments = translate(engine, model, sources, True)
    extra = calls["decodes"] - sum(len(segs) for segs in glossed_segments)  # beyond tier 1
    glossed = [" ".join(s.target for s in segs) for segs in glossed_segments]
    uses = [u for segs in glossed_segments for s in segs for u in s.matches]
    pairs = own_renderings(rows)
    both = 0
    for out, house in zip(glossed, (r["house_reference"] for r in rows), strict=True):
        for rendering, own in pairs.items():
            if rendering in out and own in out and own not in house and own not in rendering:
                both += 1
                break
    tails = [n for n, (segs, r) in enumerate(zip(glossed_segments, rows, strict=True))
             if tail_rendering(" ".join(s.target for s in segs), r["house_reference"],
                               [u.form for s in segs for u in s.matches])]
    with_term = sum(1 for segs in glossed_segments if any(s.matches for s in segs))
    if dump:
        write_dump(dump, rows, plain, glossed_segments)
    return {
        "sentences": len(rows),
        "exact = reference % (no glossary: the ceiling)": 100 * sum(
            normalised(o) == normalised(r["reference"]) for o, r in zip(plain, rows, strict=True)
        ) / len(rows),
        "exact = house_reference % where no glossary = reference": 100 * sum(
            normalised(o) == normalised(r["house_reference"])
            for o, p, r in zip(glossed, plain, rows, strict=True)
            if normalised(p) == normalised(r["reference"])
        ) / max(1, sum(normalised(p) == normalised(r["reference"])
                       for p, r in zip(plain, rows, strict=True))),
        "chrF no glossary vs reference": sacrebleu.corpus_chrf(
            plain, [[r["reference"] for r in rows]]).score,
        "chrF glossary vs house_reference": sacrebleu.corpus_chrf(
            glossed, [[r["house_reference"] for r in rows]]).score,
        "exact = house_reference %": 100 * sum(
            normalised(o) == normalised(r["house_reference"]) for o, r in zip(glossed, rows,
                                                                               strict=True)
        ) / len(rows),
        "rendering after final punctuation": len(tails),
        "of them also without glossary": sum(bool(after_final_punctuation(plain[n]))
                                             for n in tails),
        "glossary and own rendering both": both,
        "occurrences": len(uses),
        "tier 1": sum(u.tier == 1 for u in uses),
        "tier 3": sum(u.tier == 3 for u in uses),
        "failed": sum(u.tier is None for u in uses),
        "extra decodes per sentence with a term": extra / max(with_term, 1),
    }


def write_dump(path: Path, rows, plain: list[str], glossed_segments) -> None:
    """One row per sentence: source, both references, both outputs, the glossary column, and
    whether the glossed output equals house_reference and the plain one reference."""
    columns = ["source", "reference", "house_reference", "plain", "glossed", "glossary",
               "plain_exact", "glossed_exact"]
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write("\t".join(columns) + "\n")
        for row, out, segs in zip(rows, plain, glossed_segments, strict=True):
            glossed = " ".join(s.target for s in segs)
            fields = [
                row["source"], row["reference"], row["house_reference"], out, glossed,
                " | ".join(s.glossary for s in segs if s.glossary),
                int(normalised(out) == normalised(row["reference"])),
                int(normalised(glossed) == normalised(row["house_reference"])),
            ]
            handle.write("\t".join(normalised(str(f)) for f in fields) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("model", type=Path)
    parser.add_argument("--engine", action="append", choices=["ctranslate2", "transformers"])
    parser.add_argument("--limit", type=int)
    parser.add_argument("--dump", type=Path, help="write ENGINE.tsv per engine into this directory")
    args = parser.parse_args()
    rows = read_heldout(args.model / "heldout.tsv", args.limit)
    for name in args.engine or ["ctranslate2", "transformers"]:
        print(f"## {name}")
        dump = args.dump / f"{name}.tsv" if args.dump else None
        if args.dump:
            args.dump.mkdir(parents=True, exist_ok=True)
        for key, value in measure(name, str(args.model), rows, dump).items():
            print(f"{key}: {value:.1f}" if isinstance(value, float) else f"{key}: {value}")


if __name__ == "__main__":
    main()
