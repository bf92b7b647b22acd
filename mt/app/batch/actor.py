"""The translating actor of `jisr batch`: one per worker of the pool, with the model loaded
once; it turns batches of articles into segment records and writes their term counts into the
output. Around each batch it tells the death ledger (mt.app.batch.deaths) which articles it is
translating, so that a batch its worker died on is translated again article by article.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa
import ray

from aligned.formats.records import RECORD_COLUMNS, SIGNAL_COLUMNS
from mt.app.batch import terms
from mt.app.batch.articles import Article, translate_articles
from mt.app.batch.deaths import ARTICLE_DEATHS, death_reason
from mt.app.batch.faults import crash_if_among
from mt.app.pipeline import Translator, TranslatorSettings
from mt.document import Document

_TYPES = {"seg": pa.int64(), "para": pa.int64(), "score": pa.float64(), "split": pa.bool_(),
          "retried": pa.bool_(), **{name: pa.float64() for name in SIGNAL_COLUMNS},
          "tm_match": pa.int64(), "tm_adapted": pa.bool_()}
RECORD_SCHEMA = pa.schema([(name, _TYPES.get(name, pa.string())) for name in RECORD_COLUMNS])


@dataclass(frozen=True)
class ActorArgs:
    """What each translating actor is built with (one object: Ray passes it by reference)."""

    settings: TranslatorSettings
    filesystem: object  # pyarrow FileSystem of the output
    out_path: str
    human: dict
    since: float | None
    ledger: object  # the WorkerDeaths actor
    crash_article: str | None  # fault injection (mt.app.batch.faults)


class TranslateArticles:
    """A Ray Data actor: builds one Translator (model and glossary loaded once), then turns
    batches of articles into segment records, and writes their term counts into the output."""

    def __init__(self, args: ActorArgs):
        self.args = args
        self.translator = Translator(args.settings, human=args.human, since=args.since)

    def __call__(self, batch: dict) -> pa.Table:
        articles = [
            Article(str(doc_id), document, str(error or ""))
            for doc_id, document, error in zip(
                batch["doc_id"], batch["document"], batch["error"], strict=True
            )
        ]
        ids = [article.doc_id for article in articles]
        deaths = self._begin(ids)
        if any(deaths.values()):
            self._end(ids)
            records = self._one_by_one(articles, deaths)
        else:
            records = self._translate(articles)
            self._end(ids)
        return pa.Table.from_pylist(records, RECORD_SCHEMA)

    def _one_by_one(self, articles: list[Article], deaths: dict[str, int]) -> list[dict]:
        """A batch a worker died on: each article on its own, so that a next death names it;
        one that has had ARTICLE_DEATHS is written as failed rows, untranslated."""
        records: list[dict] = []
        for article in articles:
            if deaths[article.doc_id] >= ARTICLE_DEATHS:
                article.error = death_reason(deaths[article.doc_id])
                records += translate_articles(self.translator, [article])
                continue
            self._begin([article.doc_id])
            records += self._translate([article])
            self._end([article.doc_id])
        return records

    def _translate(self, articles: list[Article]) -> list[dict]:
        crash_if_among({article.doc_id for article in articles}, self.args.crash_article)
        translated: list[Document] = []
        records = translate_articles(self.translator, articles, translated.append)
        terms.write_counts(self.args.filesystem, self.args.out_path, translated)
        return records

    def _begin(self, ids: list[str]) -> dict[str, int]:
        return ray.get(self.args.ledger.begin.remote(ids))

    def _end(self, ids: list[str]) -> None:
        ray.get(self.args.ledger.end.remote(ids))
