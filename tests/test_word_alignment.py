import numpy as np
import pytest

from aligned.word_alignment import align_words, from_pharaoh, piece_words, to_pharaoh


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
