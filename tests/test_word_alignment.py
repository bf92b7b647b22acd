import numpy as np
import pytest

from aligned.word_alignment import align_words, from_pharaoh, piece_words, to_pharaoh
from tests.cli_helpers import read_tsv_rows


@pytest.mark.parametrize(
    "pieces, words",
    [
        pytest.param(["▁The", "▁min", "ister", "▁said", "."], [0, 1, 1, 2, 2], id="english"),
        pytest.param(["▁قال", "▁الو", "زير", "▁إن"], [0, 1, 1, 2], id="arabic"),
        pytest.param(["▁", "،", "▁قال"], [0, 0, 1], id="lone-word-start-piece"),
        pytest.param(["ال", "وزير"], [0, 0], id="no-leading-marker"),
    ],
)
def test_pieces_merge_into_whitespace_words(pieces, words):
    assert piece_words(pieces) == words


def test_alignment_is_on_words_not_pieces():
    source = ["▁قال", "▁الو", "زير"]  # قال الوزير
    target = ["▁The", "▁min", "ister", "▁said"]  # The minister said
    attention = np.array([
        [0.1, 0.5, 0.4],  # The -> الوزير
        [0.0, 0.6, 0.4],  # min -> الوزير
        [0.1, 0.5, 0.4],  # ister -> الوزير
        [0.9, 0.05, 0.05],  # said -> قال
    ])
    assert to_pharaoh(align_words(attention, source, target)) == "0-2 1-0 1-1"


def test_attention_of_the_wrong_shape_is_refused():
    with pytest.raises(ValueError, match="attention"):
        align_words(np.ones((2, 2)), ["▁a"], ["▁b", "▁c"])


def test_pharaoh_round_trip_and_refusal():
    assert from_pharaoh("0-0 2-1 1-2") == [(0, 0), (2, 1), (1, 2)]
    with pytest.raises(ValueError):
        from_pharaoh("0-0 x-1")


def test_alignment_error_rate():
    from aligned.word_alignment import alignment_error_rate

    sure = {(0, 0), (1, 1)}
    assert alignment_error_rate(sure, sure) == 0.0
    assert alignment_error_rate({(0, 1), (1, 0)}, sure) == 1.0
    assert alignment_error_rate({(0, 0)}, sure) == pytest.approx(1 - 2 / 3)
    assert alignment_error_rate({(0, 0), (2, 2)}, sure, possible={(2, 2)}) == pytest.approx(0.25)


def test_gold_alignment_has_20_pairs_with_links_inside_the_sentences():
    from pathlib import Path

    rows = read_tsv_rows(Path(__file__).parent / "data" / "gold_alignment.tsv")
    assert len(rows) == 20
    for row in rows:
        links = from_pharaoh(row["alignment"])
        assert max(s for s, _ in links) < len(row["source"].split())
        assert max(t for _, t in links) < len(row["target"].split())


@pytest.mark.slow
def test_measurement_script_ranks_every_layer_and_head(tiny_model_dir, capsys):
    """The mechanics only: on the random tiny model every AER is noise."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "scripts" / "measure_alignment_layer.py"
    spec = importlib.util.spec_from_file_location("measure_alignment_layer", path)
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    results = script.measure(str(tiny_model_dir), script.GOLD)
    names = {name for _, name in results}
    # The tiny model has two decoder layers, and each has two heads and their mean.
    assert names == {"head0", "head1", "mean", "layer-2-head0", "layer-2-head1", "layer-2-mean"}
    assert all(0.0 <= aer <= 1.0 for aer, _ in results)
    assert [aer for aer, _ in results] == sorted(aer for aer, _ in results)
