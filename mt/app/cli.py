"""The `jisr` command line. Commands are thin: each parses its options and calls one library
function, the same one Python users call; errors become one sentence on stderr."""

from __future__ import annotations

import functools
import inspect
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from aligned.formats import ALIGNMENT_FORMATS, DEFAULT_FORMATS, FORMATS, parse_formats
from mt.app.batch import ARTICLES_PER_BATCH
from mt.app.pipeline import TranslatorSettings
from mt.app.serve.settings import (
    DEFAULT_HOST,
    DEFAULT_MAX_PENDING,
    DEFAULT_PORT,
    ServeSettings,
    ServiceSettings,
)
from mt.engines import DEFAULT_MODEL, ENGINE_CHOICES
from mt.errors import ConfigurationError, JisrError

app = typer.Typer(
    help="jisr: Arabic-to-English news translation and bilingual alignment with MarianMT.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

ModelOption = Annotated[
    str, typer.Option("--model", "-m", help="Hub id or local directory of a Marian model.")
]
EngineOption = Annotated[str, typer.Option(help=f"One of {', '.join(ENGINE_CHOICES)}.")]
RevisionOption = Annotated[str | None, typer.Option(help="Pinned model revision.")]
DeviceOption = Annotated[str | None, typer.Option(help="cpu or cuda (default: cuda if present).")]
BeamOption = Annotated[
    int | None, typer.Option(min=1, help="Beam size (default: the model's own).")
]
MaxNewTokensOption = Annotated[
    int | None,
    typer.Option(min=1, help="Output tokens per sentence (default: 2 x its source tokens + 10)."),
]
BatchSizeOption = Annotated[
    int, typer.Option(min=16, help="Source tokens per batch (padding included).")
]
MaxSourceTokensOption = Annotated[
    int, typer.Option(min=8, help="Longer sentences are translated in clause pieces.")
]
BoilerplateOption = Annotated[bool, typer.Option(help="Translate boilerplate blocks too.")]
CacheOption = Annotated[
    bool, typer.Option(help="Use the machine-translation cache and the translation memory.")
]
FuzzyThresholdOption = Annotated[
    int, typer.Option(min=1, max=99, help="Offer translation-memory matches this similar (%).")
]
FuzzyMatchesOption = Annotated[
    int, typer.Option(min=0, help="Fuzzy matches offered per sentence (0: none).")
]
GlossaryOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--glossary", "-g", help="A term base (TSV, CSV or TBX); repeatable, later ones win."
    ),
]
DefaultGlossaryOption = Annotated[
    bool,
    typer.Option(
        "--default-glossary/--no-default-glossary", help="Use the glossary shipped with jisr."
    ),
]


@app.callback()
def configure(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log progress details.")] = False,
) -> None:
    for level in (logging.ERROR, logging.WARNING, logging.INFO):  # "jisr: error: ..."
        logging.addLevelName(level, logging.getLevelName(level).lower())
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="jisr: %(levelname)s: %(message)s",
        stream=sys.stderr,
    )


def _check_choice(name: str, value: str, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise ConfigurationError(f"Unknown {name} {value!r}; choose one of: {', '.join(choices)}.")


# The translation options of `translate` and `batch`, declared once: each command parameter,
# its option, and the TranslatorSettings field it sets (whose default is the option's default).
_SETTINGS_OPTIONS: dict[str, tuple[object, str]] = {
    "model": (ModelOption, "model"),
    "engine": (EngineOption, "engine"),
    "revision": (RevisionOption, "revision"),
    "device": (DeviceOption, "device"),
    "beam": (BeamOption, "beam"),
    "max_new_tokens": (MaxNewTokensOption, "max_new_tokens"),
    "batch_size": (BatchSizeOption, "batch_tokens"),
    "max_source_tokens": (MaxSourceTokensOption, "max_source_tokens"),
    "translate_boilerplate": (BoilerplateOption, "translate_boilerplate"),
    "cache": (CacheOption, "cache"),
    "glossary": (GlossaryOption, "glossaries"),
    "default_glossary": (DefaultGlossaryOption, "default_glossary"),
    "fuzzy_threshold": (FuzzyThresholdOption, "fuzzy_threshold"),
    "fuzzy_matches": (FuzzyMatchesOption, "fuzzy_matches"),
}


def _translator_settings(values: dict[str, Any]) -> TranslatorSettings:
    _check_choice("engine", values["engine"], ENGINE_CHOICES)
    fields = {field: values[name] for name, (_, field) in _SETTINGS_OPTIONS.items()}
    fields["glossaries"] = tuple(str(path) for path in fields["glossaries"] or ())
    return TranslatorSettings(**fields)


def with_translator_settings(command: Callable[..., None]) -> Callable[..., None]:
    """Give `command` the translation options after its own, and call it with them built into
    one TranslatorSettings, its `settings` parameter."""
    own = inspect.signature(command, eval_str=True)
    shared = [
        inspect.Parameter(
            name, inspect.Parameter.KEYWORD_ONLY, annotation=option,
            default=None if field == "glossaries" else getattr(TranslatorSettings, field),
        )
        for name, (option, field) in _SETTINGS_OPTIONS.items()
    ]

    @functools.wraps(command)
    def run(**values: Any) -> None:
        settings = _translator_settings({name: values.pop(name) for name in _SETTINGS_OPTIONS})
        command(settings=settings, **values)

    mine = [param for param in own.parameters.values() if param.name != "settings"]
    run.__signature__ = own.replace(parameters=mine + shared)  # type: ignore[attr-defined]
    return run


@app.command()
@with_translator_settings
def translate(
    inputs: Annotated[list[str], typer.Argument(help="Files, directories, or - for stdin.")],
    outdir: Annotated[Path | None, typer.Option("--output", "-o", help="Output directory.")] = None,
    formats: Annotated[
        str, typer.Option(help=f"Comma-separated, from: {', '.join(FORMATS)}.")
    ] = ",".join(DEFAULT_FORMATS),
    resume: Annotated[
        bool,
        typer.Option(
            help="Skip inputs the output directory's manifest records as done with the same "
            "bytes and settings (after a kill or a Ctrl-C)."
        ),
    ] = False,
    *,
    settings: TranslatorSettings,
) -> None:
    """Translate Arabic articles; write OUTDIR/<stem>.tsv and OUTDIR/<stem>.en.txt."""
    from mt.app.pipeline import Translator
    from mt.app.translate import RESUME_NEEDS_OUTDIR, prepare_output_dir, translate_inputs

    names = parse_formats(formats)
    if resume and outdir is None:
        raise ConfigurationError(RESUME_NEEDS_OUTDIR)  # before the model loads
    prepare_output_dir(outdir)  # fail before the model loads
    report = translate_inputs(inputs, Translator(settings), outdir, names, resume=resume)
    typer.echo(report.summary(), err=True)
    raise typer.Exit(report.exit_code)


@app.command()
@with_translator_settings
def batch(
    input_uri: Annotated[
        str, typer.Argument(help="Directory or glob of .txt/.html/.jsonl, or Parquet (id, text).")
    ],
    output_uri: Annotated[
        str, typer.Option("--output", "-o", help="Output directory (local, s3://, gs://...).")
    ],
    ray_address: Annotated[
        str, typer.Option(help="auto, a Ray address (ray://HOST:10001), or local.")
    ] = "auto",
    num_workers: Annotated[int, typer.Option(min=1, help="Translating actors.")] = 1,
    cpus_per_worker: Annotated[
        float, typer.Option(min=0.1, help="CPUs (engine threads) per actor.")
    ] = 1.0,
    gpus_per_worker: Annotated[float, typer.Option(min=0, help="GPUs per actor.")] = 0.0,
    articles_per_batch: Annotated[
        int,
        typer.Option(
            min=1,
            help="Articles an actor translates in one length-sorted run: fewer spread a small "
            "corpus over more actors, more fill batches better.",
        ),
    ] = ARTICLES_PER_BATCH,
    output_format: Annotated[str, typer.Option(help="parquet or jsonl.")] = "parquet",
    *,
    settings: TranslatorSettings,
) -> None:
    """Translate a corpus on a Ray cluster: one row per segment, in Parquet (or JSONL).
    Needs jisr's optional extra `ray`. A rerun into the same output skips articles already there."""
    try:
        from mt.app.batch.job import ClusterSettings, run_batch
    except ImportError as error:
        raise ConfigurationError(
            f'jisr batch needs Ray Data ({error.name} is missing): pip install "jisr[ray]".'
        ) from error

    cluster = ClusterSettings(
        address=ray_address,
        num_workers=num_workers,
        cpus_per_worker=cpus_per_worker,
        gpus_per_worker=gpus_per_worker,
        articles_per_batch=articles_per_batch,
        output_format=output_format,
    )
    summary = run_batch(input_uri, output_uri, settings, cluster)
    typer.echo(
        f"jisr: {summary.articles} article(s) written ({summary.failed} failed, "
        f"{summary.rows} rows); {summary.skipped} already in the output.",
        err=True,
    )
    raise typer.Exit(summary.exit_code)


@app.command()
@with_translator_settings
def serve(
    settings: TranslatorSettings,
    host: Annotated[str, typer.Option(help="Address to listen on; loopback by default.")] = (
        DEFAULT_HOST),
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = DEFAULT_PORT,
    api_keys: Annotated[Path | None, typer.Option(
        help="A file of API keys, one a line: every request must carry one (else 401).")] = None,
    max_pending: Annotated[int, typer.Option(
        min=1, help="Requests waiting or running; more are answered 503.")] = DEFAULT_MAX_PENDING,
) -> None:
    """Serve translation over HTTP: LibreTranslate's API, jisr's /v1 rows, a live review page."""
    try:
        from mt.app.serve.server import serve
    except ImportError as error:
        raise ConfigurationError(
            f'jisr serve needs FastAPI and uvicorn ({error.name} is missing): '
            'pip install "jisr[serve]".'
        ) from error
    serve(ServeSettings(ServiceSettings(settings, max_pending=max_pending), host=host,
                        port=port, api_keys=api_keys))


@app.command()
def segment(
    input: Annotated[str, typer.Argument(help="A file, or - for stdin.")],
    format: Annotated[str, typer.Option("--format", help="lines or tsv.")] = "lines",
) -> None:
    """Print the cleaned article one sentence per line (no model needed)."""
    from mt.app.segment_listing import render_segments

    _check_choice("format", format, ("lines", "tsv"))
    sys.stdout.write(render_segments(input, format))


@app.command()
def score(
    pairs: Annotated[Path, typer.Argument(help="A TSV (or JSONL, TMX) with source and target.")],
    out: Annotated[
        Path | None, typer.Option("--output", "-o", help="Scored TSV (default: stdout).")
    ] = None,
    model: ModelOption = DEFAULT_MODEL,
    no_model: Annotated[
        bool, typer.Option("--no-model", help="Model-free signals only: no model is loaded.")
    ] = False,
    engine: EngineOption = "auto",
    formats: Annotated[
        str, typer.Option(help=f"Comma-separated, from: {', '.join(FORMATS)}.")
    ] = "tsv",
) -> None:
    """Score existing pairs: write them back with score, flag, signal and reasons columns."""
    from mt.app.score import score_outputs
    from mt.engines import load_engine

    _check_choice("engine", engine, ENGINE_CHOICES)
    names = parse_formats(formats)
    loaded = None if no_model else load_engine(engine, model)
    tsv = score_outputs(pairs, out, loaded, names)
    if tsv is not None:
        sys.stdout.write(tsv)


@app.command(
    epilog="Example: jisr align article.ar.txt article.en.txt -o article.align.tsv "
    "--formats tsv,html",
)
def align(
    ar_file: Annotated[Path, typer.Argument(
        metavar="AR_FILE", show_default=False,
        help="The Arabic article: text or HTML, or one sentence a line with --lines.")],
    en_file: Annotated[Path, typer.Argument(
        metavar="EN_FILE", show_default=False,
        help="Its English translation, in the same form.")],
    out: Annotated[Path | None, typer.Option(
        "--output", "-o", metavar="OUT",
        help="Write the alignment TSV here (default: to the screen); other formats go beside "
        "it.")] = None,
    lines: Annotated[bool, typer.Option(
        "--lines",
        help="The files are already split: one sentence a line, a blank line between "
        "paragraphs.")] = False,
    model: Annotated[str | None, typer.Option(
        "--model", "-m", metavar="ID_OR_DIR",
        help="Also use a Marian model (hub id or directory): it translates the Arabic and "
        "checks each pairing. Slower; helps with free translations.")] = None,
    no_model: Annotated[bool, typer.Option(
        "--no-model",
        help="Align without a model, by sentence lengths, numbers, names and glossary terms "
        "(the default).")] = False,
    engine: Annotated[str, typer.Option(
        help=f"What runs --model: {', '.join(ENGINE_CHOICES)}.")] = "auto",
    glossary: Annotated[list[Path] | None, typer.Option(
        "--glossary", "-g", metavar="FILE",
        help="A term base (TSV, CSV or TBX) whose terms help pair sentences; repeatable.")] = None,
    default_glossary: Annotated[bool, typer.Option(
        "--default-glossary/--no-default-glossary",
        help="Use the glossary shipped with jisr too.")] = True,
    formats: Annotated[str, typer.Option(
        help=f"Comma-separated: {', '.join(ALIGNMENT_FORMATS)} (tsv is the alignment; the "
        "others hold one pair per row).")] = "tsv",
) -> None:
    """Align an Arabic article with its English translation, sentence by sentence.

    Each output row pairs Arabic and English sentences: one with one, one with two or three,
    two with two, or a sentence the other side lacks. Every row has a score from 0 to 1 and a
    flag: ok, review or bad. A sentence with nothing on the other side is flagged review.
    """
    from mt.app.align import align_files, write_alignment

    if model is not None and no_model:
        raise ConfigurationError("Give either --model or --no-model, not both.")
    _check_choice("engine", engine, ENGINE_CHOICES)
    names = parse_formats(formats, ALIGNMENT_FORMATS)
    result = align_files(
        ar_file, en_file, lines=lines, model=model, engine=engine,
        glossaries=glossary or [], default_glossary=default_glossary,
    )
    write_alignment(result, out, names)


@app.command("eval")
def evaluate(
    hyp: Annotated[Path, typer.Argument(help="Hypothesis text, one sentence per line.")],
    ref: Annotated[Path, typer.Argument(help="Reference text, one sentence per line.")],
    metrics: Annotated[str, typer.Option(help="Comma-separated: bleu, chrf, ter.")] = "bleu,chrf",
) -> None:
    """Score a translation against a reference with sacrebleu."""
    from mt.app.evaluate import corpus_scores

    for line in corpus_scores(hyp, ref, metrics.split(",")):
        typer.echo(line)


mt_cache_app = typer.Typer(
    help="The machine-translation cache: a sentence decoded once is not decoded again."
)
app.add_typer(mt_cache_app, name="mt-cache")


@mt_cache_app.command("stats")
def mt_cache_stats() -> None:
    """Print where the machine-translation cache is, how many translations it holds, its size."""
    from mt.cache import TranslationMemory

    typer.echo(str(TranslationMemory().stats()))


@mt_cache_app.command("clear")
def mt_cache_clear() -> None:
    """Remove every machine translation from the cache (the translation memory stays)."""
    from mt.cache import TranslationMemory

    typer.echo(f"jisr: removed {TranslationMemory().clear()} translation(s).")


# `jisr cache` was the machine-translation cache's name until 0.2 (as "the translation memory");
# kept for one release.
cache_app = typer.Typer(help="Deprecated: use `jisr mt-cache`.", deprecated=True)
app.add_typer(cache_app, name="cache")


@cache_app.callback()
def cache_deprecated() -> None:
    typer.echo("jisr: warning: `jisr cache` is deprecated and goes in the next release; use "
               "`jisr mt-cache` (the same commands).", err=True)


cache_app.command("stats", help="Deprecated: use `jisr mt-cache stats`.")(mt_cache_stats)
cache_app.command("clear", help="Deprecated: use `jisr mt-cache clear`.")(mt_cache_clear)


tm_app = typer.Typer(
    help="The translation memory: human translations, imported from reviewed files, served "
    "before any decoding."
)
app.add_typer(tm_app, name="tm")


@tm_app.command("import")
def tm_import(
    files: Annotated[list[Path], typer.Argument(
        help="Reviewed files: the page's reviewed TSV, XLIFF 1.2, TMX 1.4.")],
) -> None:
    """Store the human translations of reviewed files; a later file wins over an earlier one.
    A file that cannot be read whole is refused and nothing is imported."""
    from mt.app.tm import import_files

    for report in import_files(files):
        for line in report.lines():
            typer.echo(line)


@tm_app.command("export")
def tm_export(
    output: Annotated[Path, typer.Option("--output", "-o", help="The TMX file to write.")],
) -> None:
    """Write the human translations as TMX 1.4 for a CAT tool."""
    from mt.app.tm import export_tmx

    typer.echo(f"jisr: wrote {export_tmx(output)} human translation(s) to {output}.", err=True)


@tm_app.command("stats")
def tm_stats(
    runs: Annotated[list[Path] | None, typer.Argument(
        help="A run's translation TSVs or output directories: count its sentences that the "
        "memory matched exactly, fuzzily (by band) or not at all.")] = None,
) -> None:
    """Without RUNS, count the translation memory's human translations and the
    machine-translation cache's entries."""
    from mt.app.tm import run_analysis, stats

    for line in run_analysis(runs) if runs else stats():
        typer.echo(line)


glossary_app = typer.Typer(help="Term bases: find their terms in articles, validate them.")
app.add_typer(glossary_app, name="glossary")


@glossary_app.command("match")
def glossary_match(
    input: Annotated[str, typer.Argument(help="A file, a directory, or - for stdin.")],
    glossary: GlossaryOption = None,
    default_glossary: DefaultGlossaryOption = True,
) -> None:
    """Print every glossary match: doc, segment, start, end, surface, entry, target (a TSV)."""
    from mt.app.glossary_match import render_matches

    sys.stdout.write(render_matches(input, glossary or [], default_glossary))


@glossary_app.command("check")
def glossary_check(
    file: Annotated[Path, typer.Argument(help="A term base (TSV, CSV or TBX).")],
) -> None:
    """Validate a term base: each problem with file and line; exit 1 if any is an error."""
    from glossary.check import ERROR, check_file, has_errors

    problems = check_file(file)
    for problem in problems:
        typer.echo(str(problem))
    errors = sum(p.level == ERROR for p in problems)
    typer.echo(f"jisr: {errors} error(s), {len(problems) - errors} warning(s).", err=True)
    raise typer.Exit(1 if has_errors(problems) else 0)


def main() -> None:
    """The console script: run the app, turning jisr's errors into one sentence and an exit code."""
    try:
        app()
    except JisrError as error:
        typer.echo(f"jisr: error: {error}", err=True)
        sys.exit(error.exit_code)
    except KeyboardInterrupt:
        typer.echo("jisr: interrupted.", err=True)
        sys.exit(130)
