"""Sentence-alignment speed and memory, printed as figures of one run (never asserted by tests).

    python scripts/bench_align.py                      # 10,000 a side; banded vs full at 2,000
    python scripts/bench_align.py --size 20000 --full-size 1000 --profile

The document pair is the evaluation articles (tests/data/align_eval) over and over, each copy
edited with merges, re-splits, deletions, insertions and dropped or added paragraphs
(scripts.align_eval_set.long_case). Each alignment runs in its own subprocess, so that its peak
resident memory (ru_maxrss) is its own: `peak MB` is the whole process (Python, numpy, the
glossary), `growth MB` what aligning added to what the process held before it started.

The band is what makes long documents cheap: the same pair at --full-size is also aligned with a
band as wide as the document (the full DP), and the ratios show what the band saves and whether
it changed the alignment.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

from align_eval_set import bead_prf, long_case

REPO = Path(__file__).resolve().parent.parent

FULL = 10**9  # a half-width no document reaches: the band is the whole grid


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def measure(size: int, half_width: int, seed: int, profile: bool) -> dict:
    """Align one long case in this process; the figures and the beads as JSON-ready data."""
    from aligned.anchors import AnchorReader
    from aligned.sentence_align import AlignSettings, align_sides
    from glossary.termbase import load_default

    case = long_case(size, seed)
    reader = AnchorReader.with_glossary(load_default())
    settings = AlignSettings(half_width=min(half_width, FULL))
    before = _peak_mb()
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    started, cpu_started = time.perf_counter(), time.process_time()
    alignment = align_sides(case.src, case.tgt, settings, reader)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    if profiler is not None:
        import pstats

        profiler.disable()
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(25)
    beads = [(bead.src, bead.tgt) for bead in alignment.beads]
    prf = bead_prf([(beads, case.gold)])
    return {
        "n": len(case.src), "m": len(case.tgt), "width": alignment.band_width,
        "seconds": seconds, "cpu": cpu, "peak_mb": _peak_mb(), "growth_mb": _peak_mb() - before,
        "f1": prf.f1, "beads": beads,
    }


def run_worker(size: int, half_width: int, seed: int, profile: bool = False) -> dict:
    command = [sys.executable, __file__, "--worker", "--size", str(size),
               "--half-width", str(half_width), "--seed", str(seed)]
    if profile:
        command.append("--profile")
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"the worker failed:\n{done.stderr}")
    if profile:
        sys.stderr.write(done.stderr)
    return json.loads(done.stdout)


def _key(bead: list) -> tuple:
    return tuple(map(tuple, bead))


def _row(label: str, figures: dict) -> str:
    cells = (
        label, f"{figures['n']:,} x {figures['m']:,}", f"{figures['width']:,}",
        f"{figures['seconds']:.1f}", f"{figures['cpu']:.1f}", f"{figures['peak_mb']:.0f}",
        f"{figures['growth_mb']:.0f}", f"{figures['f1']:.3f}",
    )
    return "| " + " | ".join(cells) + " |"


def main() -> None:
    from aligned.sentence_align import AlignSettings

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=10_000, help="sentences a side (at least)")
    parser.add_argument("--full-size", type=int, default=2_000,
                        help="size at which the full DP is run too")
    parser.add_argument("--half-width", type=int, default=AlignSettings.half_width)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--profile", action="store_true", help="cProfile of the long run")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(measure(args.size, args.half_width, args.seed, args.profile)))
        return

    long = run_worker(args.size, args.half_width, args.seed, args.profile)
    banded = run_worker(args.full_size, args.half_width, args.seed)
    full = run_worker(args.full_size, FULL, args.seed)
    print("| run | sentences | band width | seconds | CPU seconds | peak MB | growth MB | F1 |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    print(_row("banded", long))
    print(_row("banded", banded))
    print(_row("full DP", full))
    shared = {_key(bead) for bead in banded["beads"]} & {_key(bead) for bead in full["beads"]}
    print(f"\nAt {banded['n']:,} x {banded['m']:,} the full DP took "
          f"{full['cpu'] / banded['cpu']:.1f}x the CPU time and "
          f"{full['growth_mb'] / max(banded['growth_mb'], 1):.1f}x the memory growth of the band; "
          f"alignments {'identical' if banded['beads'] == full['beads'] else 'differ'} "
          f"({len(shared)} of {len(full['beads'])} beads in common).")
    print(f"{long['n'] / long['cpu']:,.0f} source sentences a CPU second at {long['n']:,}.")


if __name__ == "__main__":
    main()
