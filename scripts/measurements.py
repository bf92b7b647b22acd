"""Write docs/measurements.md: every figure the documentation quotes, each table beside the
command that printed it, the commit, the date, the CPU model and the load.

    python scripts/measurements.py                         # the fast tables: minutes on two cores
    python scripts/measurements.py --slow [--mini-model DIR] [--seeds DIR]
    python scripts/measurements.py --only "Sentence alignment"

Each table is one entry of TABLES: a title, the commands whose standard output is the table,
whether it is slow, and what it needs. A run measures the fast tables (and with --slow the slow
ones too) and keeps every other table as the file already held it, header line and all, so a
figure is never retyped and never loses its provenance. A table that needs a model the machine
lacks is left as it was, with one line on stderr saying how to get the model.

Adding a table is one entry:

    Table("Serve throughput", [("scripts/bench_serve.py", SEEDS)], slow=True, about="..."),

- the script prints its table on stdout (a Markdown table is copied as it is; other text goes in
  a code block) and its progress on stderr;
- `{mini}` in a command stands for the trained mini model's directory (--mini-model, or the
  default world's one the tests cached), `{mini_plain}` and `{mini_never_house}` for the mini
  models of the other worlds of scripts/mini_models.py (from its cache: `python
  scripts/mini_models.py plain` trains one), `{opus_shape}` for the random opus-mt-ar-en
  shaped model that scripts/bench.py builds, `{tiny}` for the random tiny model of the tests
  (both built here once, under build/), `{seeds}` for the seed articles (--seeds DIR: real
  web news, kept out of the repository); a table naming the mini model or the seeds needs
  them;
- a page of docs/ that quotes a figure of the table names the table by its title;
  tests/test_measurements.py checks that every figure quoted in README.md and docs/ is in
  docs/measurements.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import mini_models
from bench import bench_model, cached_mini_model

REPO = Path(__file__).resolve().parent.parent
OUTPUT = REPO / "docs" / "measurements.md"
EXAMPLES = "tests/data/examples/ar"
MINI = "{mini}"
# The other worlds of scripts/mini_models.py, taken from its cache (never trained here).
MINI_PLAIN = "{mini_plain}"
MINI_NEVER_HOUSE = "{mini_never_house}"
WORLD_OF = {MINI_PLAIN: "plain", MINI_NEVER_HOUSE: "never-house"}
OPUS_SHAPE = "{opus_shape}"
TINY = "{tiny}"
SEEDS = "{seeds}"  # the seed articles of real web news (--seeds DIR): never in the repository


@dataclass(frozen=True)
class Table:
    title: str
    commands: list[tuple[str, ...]]  # each: a script under scripts/ and its arguments
    about: str  # one line on what the table measures
    slow: bool = False

    def needs(self) -> set[str]:
        return {key for command in self.commands for word in command
                for key in (MINI, OPUS_SHAPE, TINY, SEEDS, *WORLD_OF) if key in word}


TABLES = [
    Table("Sentence segmentation", [
        ("scripts/eval_segment.py",),
        ("scripts/eval_segment.py", "tests/data/segment_heldout_fresh.txt"),
    ], about="Boundary precision, recall and F1 against gold, beside a naive regex, pySBD and "
             "sentencex."),
    Table("Sentence alignment", [("scripts/eval_align.py",)],
          about="Strict bead precision, recall and F1 on the edited evaluation articles; the "
                "model row uses the random tiny model."),
    Table("Glossary matching", [("scripts/bench_glossary.py", EXAMPLES)],
          about="Matching speed with the shipped glossary and with 10,000 entries."),
    Table("Merging the batch terms report", [("scripts/bench_terms_merge.py", "--inputs", "500")],
          about="Time and peak memory of merging the term counts of N and 10 N inputs."),
    Table("Translation memory lookup", [("scripts/bench_tm_lookup.py",)],
          about="Fuzzy lookup in a memory of 100,000 human translations of the mini world: "
                "CPU time of the index build, a lookup and the whole stage, beside a scan."),
    Table("Engine agreement by CPU code path", [
        ("scripts/measure_engine_agreement.py", TINY),
    ], about="How far CTranslate2's scores and attention are from transformers' float32, per "
             "compute type and CPU kernel (tests/test_ctranslate2_engine.py's bounds)."),
    Table("Speed: the quick benchmark", [("scripts/bench.py", "--quick")],
          about="Beam 4, the first 8 sentences of the example article, opus-mt-ar-en shape."),
    Table("Speed: the full benchmark", [("scripts/bench.py",)], slow=True,
          about="Every setting at beam 4 and 1 on the example article."),
    Table("Sentence alignment: speed and memory", [("scripts/bench_align.py",)], slow=True,
          about="10,000 sentences a side with the band; 2,000 with the band and the full DP."),
    Table("The glossary on three worlds", [
        ("scripts/eval_glossary_fluency.py", MINI_PLAIN, "--split", "test"),
        ("scripts/eval_glossary_fluency.py", MINI_NEVER_HOUSE, "--split", "test"),
        ("scripts/eval_glossary_fluency.py", MINI, "--split", "test"),
    ], slow=True, about="Each mini world's untouched test split (300 sentences), both engines, "
                        "without and with the shipped glossary: renderings in, the rest "
                        "unchanged, exact, doubles, tails, chrF, tiers, decodes, time, flags."),
    Table("What the glossary costs", [
        ("scripts/bench_glossary_cost.py", MINI_PLAIN, "--runs", "3"),
    ], slow=True, about="The pipeline with and without the shipped glossary, side by side in "
                        "one run, on the plain world's 400 held-out sentences as one article."),
    Table("Quality scores on the mini model", [
        ("scripts/measure_quality.py", MINI),
        ("scripts/measure_quality.py", MINI, "--engine", "transformers"),
    ], slow=True, about="AUC of intact against broken pairs, and intact pairs flagged."),
    Table("Quality with the glossary on two worlds", [
        ("scripts/measure_quality.py", MINI, "--glossary"),
        ("scripts/measure_quality.py", MINI_PLAIN, "--glossary"),
    ], slow=True, about="The default world's mini model (A), then the plain world's (B): "
                        "translated with the default glossary and without, the exact sentences "
                        "and the share flagged; AUC of intact against broken pairs."),
    Table("Word alignment by layer and head", [
        ("scripts/measure_alignment_layer.py", "--model", MINI, "--gold",
         f"{MINI}/heldout.tsv", "--engine", "transformers"),
        ("scripts/measure_alignment_layer.py", "--model", MINI_PLAIN, "--gold",
         f"{MINI_PLAIN}/heldout.tsv", "--engine", "transformers"),
    ], slow=True, about="Alignment error rate of each layer and head against gold links, on "
                        "the default world's mini model (A), then the plain world's (B)."),
    Table("Ray: one worker against two", [
        ("scripts/ray_scaling.py", OPUS_SHAPE, SEEDS, "--copies", "2"),
    ], slow=True, about="The seed articles, each twice, with 1 and 2 workers on a local Ray "
                        "instance, the opus-mt-ar-en shaped model."),
    Table("Serve throughput", [("scripts/bench_serve.py", SEEDS)], slow=True,
          about="`jisr serve` with 1, 4 and 16 concurrent clients against `jisr translate` on "
                "the seed sentences, the opus-mt-ar-en shaped model."),
]

HEADER = """# Measurements

Written by `python scripts/measurements.py` (the fast tables; `--slow` for the rest): never
edit by hand. Each table says the command that printed it, the commit it ran at, the date, the
CPU and the load average before and after. Timings move with the load of the machine: compare
rows of one table, not tables of different runs.
"""
UNMEASURED = "Not measured yet: `python scripts/measurements.py{flag} --only \"{title}\"`."


class MeasurementFailed(Exception):
    """A command of a table exited non-zero: the table keeps what the file held."""


def machine() -> str:
    model = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        names = re.findall(r"^model name\s*:\s*(.+)$", cpuinfo.read_text(), re.M)
        model = names[0].strip() if names else model
    return f"{model}, {len(os.sched_getaffinity(0))} cores"


def commit() -> str:
    done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                          text=True, cwd=REPO)
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True, cwd=REPO).stdout.strip()
    return done.stdout.strip() + (" (with uncommitted changes)" if dirty else "")


def load() -> str:
    return f"{os.getloadavg()[0]:.1f}"


def as_markdown(output: str) -> str:
    """A script's table as it printed it, or its text in a code block."""
    text = output.strip("\n")
    if any(line.startswith("|") for line in text.splitlines()):
        # A table starts a block of its own, after a blank line.
        return re.sub(r"(?m)^([^|\n].*)\n(?=\|)", r"\1\n\n", text)
    return f"```\n{text}\n```"


def measure(command: tuple[str, ...], models: dict[str, str]) -> str:
    argv = list(command)
    for key, directory in models.items():
        argv = [word.replace(key, directory) for word in argv]
    shown = "python " + " ".join(command)
    before, started = load(), time.monotonic()
    print(f"measurements: {shown}", file=sys.stderr, flush=True)
    done = subprocess.run([sys.executable, *argv], cwd=REPO, capture_output=True, text=True)
    if done.returncode != 0:
        raise MeasurementFailed(f"measurements: `{shown}` failed (exit {done.returncode}):\n"
                                f"{done.stderr[-3000:]}")
    seconds = time.monotonic() - started
    meta = (f"`{shown}` · commit {commit()} · {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}"
            f" · {machine()} · load {before} before, {load()} after · {seconds:.0f} s")
    return f"{meta}\n\n{as_markdown(done.stdout)}"


def tiny_model(directory: str) -> None:
    """The random tiny model of the tests (scripts/make_tiny_model.py), built once."""
    if not (Path(directory) / "config.json").is_file():
        subprocess.run([sys.executable, str(REPO / "scripts" / "make_tiny_model.py"), directory],
                       check=True, stdout=subprocess.DEVNULL)


def sections(text: str) -> dict[str, str]:
    """The tables of an existing measurements file, by title."""
    parts = re.split(r"^## (.+)$", text, flags=re.M)
    return {title.strip(): body.strip() for title, body in zip(parts[1::2], parts[2::2],
                                                                strict=True)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--slow", action="store_true", help="Measure the slow tables too.")
    parser.add_argument("--only", action="append", metavar="TITLE",
                        help="Measure only this table (repeatable).")
    parser.add_argument("--mini-model", type=Path, default=cached_mini_model(),
                        help="The trained mini model (default: the default world's the tests "
                             "cached).")
    parser.add_argument("--seeds", type=Path,
                        help="The seed articles (.txt), for the tables that read them.")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    titles = {table.title for table in TABLES}
    unknown = sorted(set(args.only or ()) - titles)
    if unknown:
        sys.exit(f"measurements: no table {unknown[0]!r}; the tables are: "
                 + "; ".join(sorted(titles)))
    kept = sections(args.output.read_text(encoding="utf-8")) if args.output.is_file() else {}
    models = {OPUS_SHAPE: str(REPO / "build" / "bench" / "opus-mt-ar-en-random"),
              TINY: str(REPO / "build" / "tiny")}
    if args.mini_model:
        models[MINI] = str(args.mini_model)
    if args.seeds:
        models[SEEDS] = str(args.seeds)
    for placeholder, world in WORLD_OF.items():
        cached = mini_models.cache() / f"mini-{mini_models.key(mini_models.WORLDS[world])}"
        if cached.is_dir():
            models[placeholder] = str(cached)
    out = [HEADER]
    failed = []
    for table in TABLES:
        chosen = table.title in args.only if args.only else (args.slow or not table.slow)
        if chosen and MINI in table.needs() and MINI not in models:
            print(f"measurements: {table.title!r} left as it was: it needs the mini model "
                  "(python scripts/train_mini_model.py DIR, then --mini-model DIR).",
                  file=sys.stderr)
            chosen = False
        if chosen and SEEDS in table.needs() and SEEDS not in models:
            print(f"measurements: {table.title!r} left as it was: it reads the seed articles "
                  "(--seeds DIR).", file=sys.stderr)
            chosen = False
        missing = [WORLD_OF[key] for key in table.needs() & set(WORLD_OF) if key not in models]
        if chosen and missing:
            print(f"measurements: {table.title!r} left as it was: it needs the mini model of "
                  f"the {missing[0]} world (python scripts/mini_models.py {missing[0]}).",
                  file=sys.stderr)
            chosen = False
        if chosen and OPUS_SHAPE in table.needs():
            bench_model(REPO / "build" / "bench")
        if chosen and TINY in table.needs():
            tiny_model(models[TINY])
        section = None
        if chosen:
            try:
                measured = "\n\n".join(measure(command, models) for command in table.commands)
                section = f"{table.about}\n\n{measured}"
            except MeasurementFailed as error:
                print(error, file=sys.stderr)
                failed.append(table.title)
        if section is None:
            flag = (" --slow" if table.slow else "") + (
                " --mini-model DIR" if MINI in table.needs() else "") + (
                " --seeds DIR" if SEEDS in table.needs() else "")
            section = kept.get(table.title) or (
                f"{table.about}\n\n{UNMEASURED.format(flag=flag, title=table.title)}")
        out.append(f"## {table.title}\n\n{section}\n")
    args.output.write_text("\n".join(out), encoding="utf-8")
    print(f"measurements: wrote {args.output}", file=sys.stderr)
    if failed:
        sys.exit(f"measurements: kept the previous {'; '.join(failed)}: their commands failed.")


if __name__ == "__main__":
    main()
