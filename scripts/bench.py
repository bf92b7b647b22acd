"""Benchmark jisr against plain transformers on a model with the real opus-mt-ar-en shape.

    python scripts/bench.py [--seeds DIR] [--json PATH] [--quick] [--profile]

Builds the random `--shape opus-mt-ar-en` model once (scripts/make_tiny_model.py, kept in
--build-dir), segments the seed articles with jisr's own ingest and segmenter, and times on the
same sentences, at beam 4 and beam 1, in one run:

- plain:        transformers as its documentation shows, one sentence per generate() call (the
                translation pipeline's default batch size of 1; transformers 5 has no
                "translation" pipeline task any more, so the model card's generate() call it is);
- transformers: jisr's transformers engine (length-sorted token-budget batches);
- ctranslate2:  jisr's CTranslate2 engine, int8 (what --engine auto picks);
- cached:       jisr rerunning warm from the translation memory.

`--settings` picks settings, among them ablations of the CTranslate2 setting that show what each
of its choices buys: ct2-raw (CTranslate2 alone: no log-probs, attention or jisr), ct2-1-thread,
ct2-unbatched (one sentence per batch) and ct2-no-attention.

Every setting decodes exactly --tokens target tokens per sentence (min = max length), so random
weights do the work real ones would. Each setting runs in its own process, which reports its
peak resident memory (ru_maxrss) and its model load time. --profile also runs `jisr translate`
over the seeds under cProfile and reports the share of wall time spent outside the model.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SETTINGS = ("plain", "transformers", "ctranslate2", "cached")
ABLATIONS = ("ct2-raw", "ct2-1-thread", "ct2-unbatched", "ct2-no-attention")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=Path, default=REPO.parent / "shared" / "seeds")
    parser.add_argument("--build-dir", type=Path, default=REPO / "build" / "bench")
    parser.add_argument("--json", type=Path, help="Also write the figures here as JSON.")
    parser.add_argument("--quick", action="store_true", help="Beam 4 only, fewer sentences.")
    parser.add_argument("--beams", default="4,1", help="Comma-separated beam sizes.")
    parser.add_argument("--sentences", type=int, help="Use the first N sentences.")
    parser.add_argument("--tokens", type=int, default=48, help="Target tokens per sentence.")
    parser.add_argument("--settings", default=",".join(SETTINGS),
                        help="Comma-separated, from: " + ", ".join(SETTINGS + ABLATIONS))
    parser.add_argument("--profile", action="store_true",
                        help="Also profile `jisr translate` over the seeds.")
    parser.add_argument("--tier3", action="store_true",
                        help="Only the glossary's tier-3 cost (scripts/bench_tier3.py).")
    parser.add_argument("--child", help=argparse.SUPPRESS)  # run one setting in this process
    parser.add_argument("--beam", type=int, default=4, help=argparse.SUPPRESS)
    parser.add_argument("--memory", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.environ.setdefault("JISR_CACHE_DIR", str(args.build_dir / "cache"))
    if args.child:
        print(json.dumps(run_setting(args)))
        return

    model_dir = bench_model(args.build_dir)
    sentences = seed_sentences(args.seeds)[: args.sentences or (8 if args.quick else None)]
    if not sentences:
        sys.exit(f"bench: no sentences in {args.seeds}/*.txt; pass --seeds DIR")
    if args.tier3:
        from bench_tier3 import tier3_cost

        for engine_name in ("ctranslate2", "transformers"):
            print(json.dumps(tier3_cost(str(model_dir), sentences, engine_name)), flush=True)
        return
    sentence_file = args.build_dir / "sentences.json"
    sentence_file.write_text(json.dumps(sentences, ensure_ascii=False))
    print(f"{len(sentences)} sentences from {args.seeds}, {args.tokens} target tokens each; "
          f"model {model_dir}", flush=True)
    child(args, "prepare", 4)  # converts to CTranslate2 once, outside the timings
    results = []
    with tempfile.TemporaryDirectory() as memory_dir:
        memory = Path(memory_dir) / "memory.sqlite3"
        for beam in (4,) if args.quick else [int(b) for b in args.beams.split(",")]:
            child(args, "cached", beam, memory)  # fills the memory: the next run is warm
            rows = [child(args, setting, beam, memory) for setting in args.settings.split(",")]
            plain = [row["tokens_per_s"] for row in rows if row["setting"] == "plain"]
            for row in rows:
                if plain:
                    row["ratio_to_pipeline"] = round(row["tokens_per_s"] / plain[0], 2)
                print(format_row(row), flush=True)
            results.extend(rows)
    if args.profile:
        print(profile_cli(args, model_dir))
    print()
    print(markdown_table(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n")


def bench_model(build_dir: Path) -> Path:
    model_dir = build_dir / "opus-mt-ar-en-random"
    if not (model_dir / "config.json").is_file():
        print(f"building the opus-mt-ar-en shaped model in {model_dir} (once)", flush=True)
        subprocess.run(
            [sys.executable, str(REPO / "scripts" / "make_tiny_model.py"), str(model_dir),
             "--shape", "opus-mt-ar-en"],
            check=True,
        )
    return model_dir


def seed_sentences(seeds: Path) -> list[str]:
    """The content sentences of the seed articles, as the pipeline would translate them."""
    sys.path.insert(0, str(REPO))
    from mt.ingest import read_path
    from mt.segment import segment_document

    sentences = []
    for path in sorted(seeds.glob("*.txt")):
        for doc in read_path(path):
            segment_document(doc)
            sentences.extend(s.mt_source for s in doc.segments
                             if s.kind == "content" and s.mt_source.strip())
    return sentences


def child(args: argparse.Namespace, setting: str, beam: int, memory: Path | None = None) -> dict:
    command = [sys.executable, __file__, "--child", setting, "--beam", str(beam),
               "--build-dir", str(args.build_dir), "--tokens", str(args.tokens)]
    if memory:
        command += ["--memory", str(memory)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=REPO)
    if done.returncode != 0:
        sys.exit(f"bench: setting {setting} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_setting(args: argparse.Namespace) -> dict:
    """Load, translate every sentence once, and measure; runs in its own process."""
    import resource

    sys.path.insert(0, str(REPO))
    model_dir = str(args.build_dir / "opus-mt-ar-en-random")
    sentences = json.loads((args.build_dir / "sentences.json").read_text())
    started = time.perf_counter()
    if args.child == "plain":
        translate = plain_transformers(model_dir, args.beam, args.tokens)
    elif args.child == "ct2-raw":
        translate = raw_ctranslate2(model_dir, args.beam, args.tokens)
    else:
        translate = jisr_engine(model_dir, args.child, args.beam, args.tokens, args.memory)
    load_s = time.perf_counter() - started
    translate(sentences[:1])  # first-call set-up (allocations, lazy imports) is not throughput
    started = time.perf_counter()
    lengths = translate(sentences)
    elapsed = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "setting": args.child,
        "beam": args.beam,
        "tokens_per_s": round(sum(lengths) / elapsed, 1),
        "sentences_per_s": round(len(lengths) / elapsed, 2),
        "peak_mb": round(peak_kb / 1024),
        "load_s": round(load_s, 2),
        "ratio_to_pipeline": None,
        "target_tokens": sum(lengths),
        "seconds": round(elapsed, 2),
    }


# jisr settings: engine, engine keyword arguments, DecodeOptions overrides. The last three are
# ablations of what the CTranslate2 setting does: one thread instead of the machine's cores,
# one sentence per batch instead of length-sorted token-budget batches, no attention.
JISR_SETTINGS: dict[str, tuple[str, dict, dict]] = {
    "prepare": ("ctranslate2", {}, {}),  # converts the model, untimed
    "transformers": ("transformers", {}, {}),
    "ctranslate2": ("ctranslate2", {}, {}),
    "cached": ("ctranslate2", {}, {}),
    "ct2-1-thread": ("ctranslate2", {"threads": 1}, {}),
    "ct2-unbatched": ("ctranslate2", {}, {"max_batch_tokens": 1}),
    "ct2-no-attention": ("ctranslate2", {}, {"with_attention": False}),
}


def jisr_engine(model_dir: str, setting: str, beam: int, tokens: int, memory: Path | None):
    from mt.engines import DecodeOptions, load_engine

    name, engine_args, overrides = JISR_SETTINGS[setting]
    engine = load_engine(name, model_dir, **engine_args)
    if setting == "cached":
        from mt.cache import CachedEngine, TranslationMemory

        engine = CachedEngine(engine, TranslationMemory(memory))
    options = DecodeOptions(beam=beam, max_new_tokens=tokens, min_new_tokens=tokens, **overrides)

    def translate(texts: list[str]) -> list[int]:
        return [len(h.tokens) for h in engine.translate(texts, options)]

    return translate


def raw_ctranslate2(model_dir: str, beam: int, tokens: int):
    """CTranslate2 alone on the converted model: no log-probs, no attention, no jisr."""
    import ctranslate2
    import sentencepiece as spm

    from mt.engines.ct2_conversion import converted_model_dir

    converted = converted_model_dir(model_dir, None)
    translator = ctranslate2.Translator(str(converted), compute_type="int8",
                                        intra_threads=len(os.sched_getaffinity(0)))
    source = spm.SentencePieceProcessor(model_file=str(converted / "source.spm"))

    def translate(texts: list[str]) -> list[int]:
        batch = [[*source.encode(text, out_type=str), "</s>"] for text in texts]
        results = translator.translate_batch(
            batch, beam_size=beam, max_decoding_length=tokens, min_decoding_length=tokens,
            max_batch_size=4096, batch_type="tokens",
        )
        return [len(result.hypotheses[0]) for result in results]

    return translate


def plain_transformers(model_dir: str, beam: int, tokens: int):
    """transformers the way its documentation shows it, without jisr."""
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModelForSeq2SeqLM.from_pretrained(model_dir)

    def translate(texts: list[str]) -> list[int]:
        lengths = []
        for text in texts:
            inputs = tokenizer(text, return_tensors="pt")
            output = model.generate(**inputs, num_beams=beam, max_new_tokens=tokens,
                                    min_new_tokens=tokens)
            tokenizer.decode(output[0], skip_special_tokens=True)
            lengths.append(output.shape[1] - 1)  # without the decoder start token
        return lengths

    return translate


def profile_cli(args: argparse.Namespace, model_dir: Path) -> str:
    """Run `jisr translate` over the seeds under cProfile; report where the wall time went."""
    with tempfile.TemporaryDirectory() as out:
        stats_file = Path(out) / "profile.stats"
        command = [sys.executable, "-m", "cProfile", "-o", str(stats_file), "-m", "mt",
                   "translate", str(args.seeds), "-o", str(Path(out) / "translated"),
                   "--model", str(model_dir), "--engine", "ctranslate2", "--no-cache",
                   "--max-new-tokens", str(args.tokens)]  # random weights never stop sooner
        started = time.perf_counter()
        subprocess.run(command, check=True, cwd=REPO, capture_output=True)
        wall = time.perf_counter() - started
        import pstats

        stats = pstats.Stats(str(stats_file))
    cumulative = {f"{path.rsplit('/', 1)[-1]}:{name}": row[3]
                  for (path, _, name), row in stats.stats.items()}
    load = cumulative.get("ctranslate2_engine.py:__init__", 0.0)
    model = sum(t for key, t in cumulative.items()
                if key in ("ctranslate2_engine.py:_decode", "ctranslate2_engine.py:_score"))
    outside = wall - load - model
    return (f"jisr translate over {args.seeds}: {wall:.1f} s wall, model load {load:.1f} s, "
            f"in the model {model:.1f} s, everything else {outside:.1f} s = "
            f"{100 * outside / wall:.1f}% of wall time "
            f"({100 * outside / (wall - load):.1f}% once the model is loaded)")


def format_row(row: dict) -> str:
    return (f"beam {row['beam']}  {row['setting']:<13} {row['tokens_per_s']:>8.1f} tok/s "
            f"{row['sentences_per_s']:>7.2f} sent/s  peak {row['peak_mb']:>5} MB  "
            f"load {row['load_s']:>5.2f} s  x{row['ratio_to_pipeline']}")


def markdown_table(rows: list[dict]) -> str:
    lines = ["| setting | beam | target tokens/s | sentences/s | peak MB | load s | vs plain |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for row in rows:
        lines.append(f"| {row['setting']} | {row['beam']} | {row['tokens_per_s']} | "
                     f"{row['sentences_per_s']} | {row['peak_mb']} | {row['load_s']} | "
                     f"{row['ratio_to_pipeline']}x |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
