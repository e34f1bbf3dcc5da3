from __future__ import annotations

from verifier.text.sentences import sentence_spans, sentence_windows


def test_hard_wrapped_lines_are_one_sentence_and_offsets_hold() -> None:
    text = (
        "The council voted 7-2 on Thursday to approve the\nrebuild of the terminal. It costs $48.6 million."
    )
    spans = sentence_spans(text)
    assert [text[s:e] for s, e in spans] == [
        "The council voted 7-2 on Thursday to approve the\nrebuild of the terminal.",
        "It costs $48.6 million.",
    ]


def test_headings_and_list_items_stay_separate() -> None:
    text = "# Results\n- Revenue was EUR 312.4 million.\n- Net income was EUR 41.7 million."
    assert [text[s:e] for s, e in sentence_spans(text)] == [
        "# Results",
        "- Revenue was EUR 312.4 million.",
        "- Net income was EUR 41.7 million.",
    ]


def test_windows_cover_single_sentences_and_pairs() -> None:
    text = "One is here. Two is there. Three is everywhere."
    windows = [text[s:e] for s, e in sentence_windows(text, size=2)]
    assert "One is here." in windows
    assert "One is here. Two is there." in windows
    assert len(windows) == 5
