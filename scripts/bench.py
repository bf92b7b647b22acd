"""Benchmark jisr against plain transformers on a model with the real opus-mt-ar-en shape.

    python scripts/bench.py [--seeds DIR] [--json PATH] [--quick] [--profile]

Builds the random `--shape opus-mt-ar-en` model once (scripts/make_tiny_model.py, kept in
--build-dir), segments the seed articles with jisr's own ingest and segmenter, and times on the
same sentences, at beam 4 and beam 1, in one run:

- plain:         transformers as its documentation shows, one sentence per generate() call (the
                 translation pipeline's default batch size of 1; transformers 5 has no
                 "translation" pipeline task any more, so the model card's generate() call it is);
- plain-batched: the same, float32, 16 length-sorted sentences per generate() call: what
                 batching alone buys, without int8 or CTranslate2;
- transformers:  jisr's transformers engine (length-sorted token-budget batches);
- ctranslate2:   jisr's CTranslate2 engine, int8 (what --engine auto picks);
- cached:        jisr rerunning warm from the translation memory;
- ct2-raw:       CTranslate2 alone on the same converted model: no log-probs, attention or jisr;
- translate:     the whole `jisr translate SEEDS -o DIR` (ingest, segmentation, the shipped
                 default glossary, quality, writing TSV and text) on the CTranslate2 engine,
                 with the share of wall time per stage. The random model's outputs all run to
                 the length cap whatever the source, which flags most segments for the quality
                 retry that no trained model would trigger: the retry is counted, not run;
- translate-mini: the same on the trained mini model (scripts/train_mini_model.py, --mini-model
                 or the default world's the tests cached), retry included, no length cap:
                 a model that stops by itself. Its tokens/s is of a smaller model (no ratio).

`--settings` picks settings, among them ablations of the CTranslate2 setting that show what each
of its choices buys: ct2-1-thread, ct2-unbatched (one sentence per batch) and ct2-no-attention.
Every setting runs --runs times (3), each run in a fresh process, the settings taking turns so
that a change in the machine's load falls on all of them; a row is the median run, with the
lowest and highest tokens/s beside it. `ratio_to_pipeline` divides by the plain setting,
`ratio_to_ct2_raw` by ct2-raw, each median by median.

Every setting decodes exactly --tokens target tokens per sentence (min = max length), so random
weights do the work real ones would. Each run reports its peak resident memory (ru_maxrss)
and its model load time. --profile also runs `jisr translate`
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
SETTINGS = ("plain", "plain-batched", "transformers", "ctranslate2", "cached", "ct2-raw",
            "translate", "translate-mini")
ABLATIONS = ("ct2-1-thread", "ct2-unbatched", "ct2-no-attention")
PLAIN_BATCH = 16  # sentences per generate() call of plain-batched


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=Path, default=REPO / "tests" / "data" / "examples" / "ar",
                        help="A directory of .txt articles (default: the example article).")
    parser.add_argument("--build-dir", type=Path, default=REPO / "build" / "bench")
    parser.add_argument("--json", type=Path, help="Also write the figures here as JSON.")
    parser.add_argument("--quick", action="store_true", help="Beam 4 only, fewer sentences.")
    parser.add_argument("--beams", default="4,1", help="Comma-separated beam sizes.")
    parser.add_argument("--sentences", type=int, help="Use the first N sentences.")
    parser.add_argument("--tokens", type=int, default=48, help="Target tokens per sentence.")
    parser.add_argument("--settings", default=",".join(SETTINGS),
                        help="Comma-separated, from: " + ", ".join(SETTINGS + ABLATIONS))
    parser.add_argument("--runs", type=int, default=3, help="Fresh-process runs per setting.")
    parser.add_argument("--profile", action="store_true",
                        help="Also profile `jisr translate` over the seeds.")
    parser.add_argument("--glossary-cost", action="store_true",
                        help="Only what the default glossary costs, with and without it side by "
                             "side (scripts/bench_glossary_cost.py), on --mini-model's held-out "
                             "sentences, both engines.")
    parser.add_argument("--mini-model", type=Path, default=cached_mini_model(),
                        help="The trained mini model of translate-mini.")
    parser.add_argument("--child", help=argparse.SUPPRESS)  # run one setting in this process
    parser.add_argument("--beam", type=int, default=4, help=argparse.SUPPRESS)
    parser.add_argument("--memory", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.environ.setdefault("JISR_CACHE_DIR", str(args.build_dir / "cache"))
    if args.child:
        run = run_translate if args.child.startswith("translate") else run_setting
        print(json.dumps(run(args)))
        return

    if args.glossary_cost:
        from bench_glossary_cost import cost, sources_of

        if not args.mini_model:
            sys.exit("bench: --glossary-cost needs --mini-model DIR (scripts/train_mini_model.py)")
        texts = sources_of(args.mini_model / "heldout.tsv", args.sentences)
        for engine_name in ("ctranslate2", "transformers"):
            figures = cost(engine_name, str(args.mini_model), texts, args.runs)
            print(json.dumps({"engine": engine_name, **figures}), flush=True)
        return
    settings = available_settings(args.settings.split(","), args.mini_model)
    model_dir = bench_model(args.build_dir)
    sentences = seed_sentences(args.seeds)[: args.sentences or (8 if args.quick else None)]
    if not sentences:
        sys.exit(f"bench: no sentences in {args.seeds}/*.txt; pass --seeds DIR")
    sentence_file = args.build_dir / "sentences.json"
    sentence_file.write_text(json.dumps(sentences, ensure_ascii=False))
    (args.build_dir / "seeds_dir").write_text(str(args.seeds.resolve()))
    print(f"{len(sentences)} sentences from {args.seeds}, {args.tokens} target tokens each; "
          f"model {model_dir}", flush=True)
    child(args, "prepare", 4)  # converts to CTranslate2 once, outside the timings
    results = []
    with tempfile.TemporaryDirectory() as memory_dir:
        memory = Path(memory_dir) / "memory.sqlite3"
        for beam in (4,) if args.quick else [int(b) for b in args.beams.split(",")]:
            child(args, "cached", beam, memory)  # fills the memory: the next run is warm
            runs: dict[str, list[dict]] = {setting: [] for setting in settings}
            for _ in range(args.runs):
                for setting in settings:  # in turns: a change of load falls on every setting
                    runs[setting].append(child(args, setting, beam, memory))
            rows = [median_row(runs[setting]) for setting in settings]
            for key, base in (("ratio_to_pipeline", "plain"), ("ratio_to_ct2_raw", "ct2-raw")):
                reference = [row["tokens_per_s"] for row in rows if row["setting"] == base]
                for row in rows:  # the mini model is another model: no ratio
                    row[key] = (round(row["tokens_per_s"] / reference[0], 3)
                                if reference and row["setting"] != "translate-mini" else None)
            for row in rows:
                print(format_row(row), flush=True)
            results.extend(rows)
    if args.profile:
        print(profile_cli(args, model_dir))
    print()
    print(markdown_table(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n")


def available_settings(settings: list[str], mini_model: Path | None) -> list[str]:
    """The settings this machine can run: translate-mini needs a trained mini model."""
    if "translate-mini" in settings and mini_model is None:
        print("bench: translate-mini left out: no trained mini model here (train one with "
              "python scripts/train_mini_model.py DIR, then pass --mini-model DIR).",
              file=sys.stderr, flush=True)
        settings = [setting for setting in settings if setting != "translate-mini"]
    return settings


def median_row(runs: list[dict]) -> dict:
    """The run of median throughput, with the spread of all runs."""
    ordered = sorted(runs, key=lambda run: run["tokens_per_s"])
    row = dict(ordered[len(ordered) // 2])
    row["runs"] = len(runs)
    row["tokens_per_s_min"] = ordered[0]["tokens_per_s"]
    row["tokens_per_s_max"] = ordered[-1]["tokens_per_s"]
    row["peak_mb_max"] = max(run["peak_mb"] for run in runs)
    return row


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
    if args.mini_model:
        command += ["--mini-model", str(args.mini_model)]
    if memory:
        command += ["--memory", str(memory)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=REPO)
    if done.returncode != 0:
        sys.exit(f"bench: setting {setting} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_setting(args: argparse.Namespace) -> dict:
    """Load, translate every sentence once, and measure; runs in its own process."""
    import resource

    model_dir = str(args.build_dir / "opus-mt-ar-en-random")
    sentences = json.loads((args.build_dir / "sentences.json").read_text())
    started = time.perf_counter()
    if args.child in ("plain", "plain-batched"):
        batch = PLAIN_BATCH if args.child == "plain-batched" else 1
        translate = plain_transformers(model_dir, args.beam, args.tokens, batch)
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
        "ratio_to_ct2_raw": None,
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


def raw_ctranslate2(
    model_dir: str, beam: int, tokens: int, threads: int | None = None, compute_type: str = "int8"
):
    """CTranslate2 alone on the converted model: no log-probs, no attention, no jisr."""
    import ctranslate2
    import sentencepiece as spm

    from mt.engines.ct2_conversion import converted_model_dir

    converted = converted_model_dir(model_dir, None)
    translator = ctranslate2.Translator(str(converted), compute_type=compute_type,
                                        intra_threads=threads or len(os.sched_getaffinity(0)))
    source = spm.SentencePieceProcessor(model_file=str(converted / "source.spm"))

    def translate(texts: list[str]) -> list[int]:
        batch = [[*source.encode(text, out_type=str), "</s>"] for text in texts]
        results = translator.translate_batch(
            batch, beam_size=beam, max_decoding_length=tokens, min_decoding_length=tokens,
            max_batch_size=4096, batch_type="tokens",
        )
        return [len(result.hypotheses[0]) for result in results]

    return translate


def plain_transformers(model_dir: str, beam: int, tokens: int, batch: int):
    """transformers the way its documentation shows it, without jisr: `batch` sentences per
    generate() call, length-sorted so that padding stays small."""
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModelForSeq2SeqLM.from_pretrained(model_dir)

    def translate(texts: list[str]) -> list[int]:
        lengths = []
        ordered = sorted(texts, key=lambda text: len(tokenizer(text).input_ids))
        for start in range(0, len(ordered), batch):
            inputs = tokenizer(ordered[start : start + batch], return_tensors="pt", padding=True)
            output = model.generate(**inputs, num_beams=beam, max_new_tokens=tokens,
                                    min_new_tokens=tokens)
            tokenizer.batch_decode(output, skip_special_tokens=True)
            lengths.extend([output.shape[1] - 1] * len(output))  # without the start token
        return lengths

    return translate


def run_translate(args: argparse.Namespace) -> dict:
    """The whole `jisr translate SEEDS -o DIR` in this process, with the wall time of each stage
    (measured by wrapping the functions the pipeline calls) and the target tokens decoded."""
    import resource

    import mt.app.cli
    import mt.app.pipeline
    from aligned.quality import needs_retry
    from mt.engines.base import Engine

    mini = args.child == "translate-mini"
    stages = {"load": 0.0, "decoding": 0.0, "retry": 0.0}
    counts = {"tokens": 0, "retried": 0}

    in_retry = []  # decoding inside the retry counts as retry

    def timed(stage, function, after=None):
        def wrapper(*a, **k):
            if stage == "retry":
                in_retry.append(True)
            started = time.perf_counter()
            try:
                result = function(*a, **k)
            finally:
                if stage == "retry":
                    in_retry.pop()
            if not (stage == "decoding" and in_retry):
                stages[stage] += time.perf_counter() - started
            if after:
                after(result)
            return result
        return wrapper

    def count_tokens(hypotheses):
        counts["tokens"] += sum(len(h.tokens) for h in hypotheses)

    def count_retries(retried):
        counts["retried"] += retried

    def counted_not_run(jobs, *rest):
        """The random model's retry: how many segments it would decode again."""
        return sum(needs_retry(segment) for segment, _ in jobs)

    Engine.translate = timed("decoding", Engine.translate, count_tokens)
    mt.app.pipeline.load_engine = timed("load", mt.app.pipeline.load_engine)
    retry = mt.app.pipeline.retry_weak if mini else counted_not_run
    mt.app.pipeline.retry_weak = timed("retry", retry, count_retries)
    seeds = (args.build_dir / "seeds_dir").read_text()
    model = args.mini_model if mini else args.build_dir / "opus-mt-ar-en-random"
    cap = [] if mini else ["--max-new-tokens", str(args.tokens)]  # random weights never stop
    with tempfile.TemporaryDirectory() as out:
        sys.argv = ["jisr", "translate", seeds, "-o", out, "--model", str(model),
                    "--engine", "ctranslate2", "--no-cache", "--beam", str(args.beam), *cap]
        started = time.perf_counter()
        try:
            mt.app.cli.main()
        except SystemExit as stop:
            if stop.code:
                raise
        wall = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    shares = dict(stages)
    shares["rest"] = wall - sum(stages.values())  # ingest, segmentation, glossary, quality, writing
    return {
        "setting": args.child,
        "beam": args.beam,
        "tokens_per_s": round(counts["tokens"] / (wall - stages["load"]), 1),
        "sentences_per_s": None,
        "peak_mb": round(peak_kb / 1024),
        "load_s": round(stages["load"], 2),
        "ratio_to_pipeline": None,
        "ratio_to_ct2_raw": None,
        "target_tokens": counts["tokens"],
        "seconds": round(wall, 2),
        "retried": counts["retried"],
        "retry_run": mini,
        "share": {stage: round(t / wall, 3) for stage, t in shares.items()},
    }


def cached_mini_model() -> Path | None:
    """The default world's trained mini model, if the tests cached it (scripts/mini_models.py):
    not merely the newest cached, which may be another world's."""
    import mini_models

    found = mini_models.cache() / f"mini-{mini_models.key(mini_models.WORLDS['default'])}"
    return found if (found / "config.json").is_file() else None


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
    line = (f"beam {row['beam']}  {row['setting']:<13} {row['tokens_per_s']:>8.1f} tok/s "
            f"({row['tokens_per_s_min']}-{row['tokens_per_s_max']} over {row['runs']} runs)  "
            f"peak {row['peak_mb_max']:>5} MB  load {row['load_s']:>5.2f} s  "
            f"x{row['ratio_to_pipeline']} plain  x{row['ratio_to_ct2_raw']} ct2-raw")
    if "share" in row:
        shares = ", ".join(f"{stage} {100 * share:.0f}%" for stage, share in row["share"].items())
        retried = "retried" if row["retry_run"] else "to retry (the retry not run)"
        line += f"\n        wall time: {shares}; {row['retried']} segment(s) {retried}"
    return line


def markdown_table(rows: list[dict]) -> str:
    lines = ["| setting | beam | target tokens/s (median) | min-max | peak MB | vs plain "
             "| vs ct2-raw |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for row in rows:
        lines.append(f"| {row['setting']} | {row['beam']} | {row['tokens_per_s']} | "
                     f"{row['tokens_per_s_min']}-{row['tokens_per_s_max']} | "
                     f"{row['peak_mb_max']} | {row['ratio_to_pipeline']} | "
                     f"{row['ratio_to_ct2_raw']} |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
