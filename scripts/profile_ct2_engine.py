"""Where jisr's CTranslate2 engine spends its CPU time, beside CTranslate2 alone, in one process.

    python scripts/profile_ct2_engine.py [--threads 1] [--sentences N]

Run scripts/bench.py once first: it builds the opus-mt-ar-en shaped model and the sentence list
in build/bench. Translates the seed sentences at beam 4 to 48 tokens with CTranslate2 alone and
with jisr's engine, and reports process CPU time (all threads), which a shared machine's load
disturbs far less than wall time, and the share of the engine's CPU time in its beam search, the
greedy step for first attention rows and the teacher-forced score_batch pass for log-probs.
Wall time is printed beside it: on a quiet machine it is the figure scripts/bench.py compares.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PARTS = ("_search", "_first_attention_rows", "_log_probs")  # _search includes the greedy step


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build-dir", type=Path, default=REPO / "build" / "bench")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--sentences", type=int)
    args = parser.parse_args()
    os.environ.setdefault("JISR_CACHE_DIR", str(args.build_dir / "cache"))
    from bench import raw_ctranslate2
    from mt.engines import DecodeOptions, load_engine

    model_dir = str(args.build_dir / "opus-mt-ar-en-random")
    sentences = json.loads((args.build_dir / "sentences.json").read_text())[: args.sentences]
    engine = load_engine("ctranslate2", model_dir, threads=args.threads)
    spent: dict[str, float] = collections.defaultdict(float)
    for name in PARTS:
        setattr(engine, name, cpu_timed(getattr(engine, name), name, spent))
    options = DecodeOptions(beam=4, max_new_tokens=48, min_new_tokens=48)
    # The engine's compute type and kernels (this process has CT2_USE_MKL as the engine set it):
    # beside the engine, CTranslate2 alone differs only in what jisr adds.
    raw = raw_ctranslate2(model_dir, 4, 48, args.threads, engine.compute_type)
    raw(sentences[:1])
    engine.translate(sentences[:1], options)
    spent.clear()
    raw_tokens, raw_cpu, raw_wall = timed_run(lambda: sum(raw(sentences)))
    jisr_tokens, jisr_cpu, jisr_wall = timed_run(
        lambda: sum(len(h.tokens) for h in engine.translate(sentences, options)))
    print(f"{len(sentences)} sentences, beam 4, {args.threads} thread(s), CPU seconds "
          "(wall seconds):")
    raw_rate, jisr_rate = raw_tokens / raw_cpu, jisr_tokens / jisr_cpu
    wall_ratio = (jisr_tokens / jisr_wall) / (raw_tokens / raw_wall)
    print(f"  CTranslate2 alone       {raw_cpu:6.2f} ({raw_wall:6.2f})  "
          f"({raw_rate:.1f} tokens per CPU s)")
    print(f"  jisr's engine           {jisr_cpu:6.2f} ({jisr_wall:6.2f})  "
          f"({jisr_rate:.1f} tokens per CPU s, {jisr_rate / raw_rate:.2f} of CTranslate2 alone; "
          f"{wall_ratio:.2f} by wall clock)")
    beam_search = spent["_search"] - spent["_first_attention_rows"]
    for label, seconds in (("beam search", beam_search),
                           ("greedy first-row step", spent["_first_attention_rows"]),
                           ("score_batch log-probs", spent["_log_probs"]),
                           ("the rest", jisr_cpu - spent["_search"] - spent["_log_probs"])):
        print(f"    {label:<21} {seconds:6.2f}  {100 * seconds / jisr_cpu:5.1f}%")


def timed_run(run) -> tuple[int, float, float]:
    """What `run` returns, with the CPU and wall seconds it took."""
    cpu, wall = time.process_time(), time.perf_counter()
    result = run()
    return result, time.process_time() - cpu, time.perf_counter() - wall


def cpu_timed(function, name: str, spent: dict[str, float]):
    def wrapper(*args, **kwargs):
        started = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            spent[name] += time.process_time() - started
    return wrapper


if __name__ == "__main__":
    main()
