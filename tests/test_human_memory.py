"""The store of human translations: normalised exact matches, later imports win, provenance."""

from pathlib import Path

from mt.human_memory import HumanMemory, HumanTranslation, digest, source_key
from mt.userdirs import CACHE_DIR_ENV

SOURCE = "قال الناطق إن 12 شخصا أصيبوا في الحادث."


def test_a_match_survives_cosmetic_differences_but_not_a_changed_word(tmp_path: Path):
    memory = HumanMemory(tmp_path / "m.sqlite3")
    hurt = "The spokesman said 12 people were hurt."
    memory.store([HumanTranslation(SOURCE, hurt, "a.xlf", "1")])
    same = "قال  النـاطق إن ١٢ شخصا\u200f أصيبوا في الحادث ."  # tatweel, Eastern digits, marks
    other = "قال الناطق إن 13 شخصا أصيبوا في الحادث."
    found = memory.load()
    assert source_key(same) == source_key(SOURCE) and source_key(other) not in found
    assert found[source_key(same)].target == hurt
    assert found[source_key(same)].source == SOURCE


def test_later_wins_and_each_outcome_says_what_it_replaced(tmp_path: Path):
    memory = HumanMemory(tmp_path / "m.sqlite3")
    first = HumanTranslation(SOURCE, "First.", "/a.xlf", "u1")
    [added] = memory.store([first])
    assert (added.outcome, added.previous) == ("added", None)
    again, second = memory.store([HumanTranslation(SOURCE, "First.", "/b.tmx", "tu 2"),
                                  HumanTranslation(SOURCE, "Second.", "/b.tmx", "tu 3")])
    assert again.outcome == "unchanged"
    assert second.outcome == "replaced"
    assert (second.previous.target, second.previous.file, second.previous.unit) == (
        "First.", "/a.xlf", "u1")
    [kept] = list(memory)
    assert (kept.target, kept.file, kept.unit) == ("Second.", "/b.tmx", "tu 3")
    assert kept.imported > 0 and len(memory) == 1


def test_a_failed_store_changes_nothing(tmp_path: Path):
    memory = HumanMemory(tmp_path / "m.sqlite3")
    memory.store([HumanTranslation(SOURCE, "Kept.", "/a.xlf", "u1")])

    def translations():
        yield HumanTranslation("سافر الوفد.", "The delegation left.", "/b.xlf", "u1")
        raise RuntimeError("the reader failed halfway")

    try:
        memory.store(translations())
    except RuntimeError:
        pass
    assert [t.target for t in memory] == ["Kept."]


def test_lives_in_the_cache_directory_beside_the_decoded_entries(tmp_path: Path, monkeypatch):
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path / "cache"))
    memory = HumanMemory()
    assert memory.path == tmp_path / "cache" / "memory.sqlite3"


def test_the_digest_follows_what_would_be_served(tmp_path: Path):
    one, two = HumanMemory(tmp_path / "1.sqlite3"), HumanMemory(tmp_path / "2.sqlite3")
    a = HumanTranslation(SOURCE, "A.", "/a.xlf", "1")
    b = HumanTranslation("سافر الوفد.", "The delegation left.", "/b.xlf", "2")
    one.store([a, b])
    two.store([b, HumanTranslation(SOURCE, "A.", "/elsewhere.tmx", "tu 9")])
    assert digest(one.load()) == digest(two.load())  # provenance and order do not count
    two.store([HumanTranslation(SOURCE, "A, corrected.", "/c.xlf", "3")])
    assert digest(one.load()) != digest(two.load())
