"""The per-workspace command history survives restarts and browses like a shell's."""

from __future__ import annotations

from pathlib import Path

from smartspec_tk.core.kilo.history import CommandHistory, HistoryCursor


def test_history_persists_per_workspace(tmp_path: Path) -> None:
    data = tmp_path / "data"
    first = CommandHistory.for_workspace(data, tmp_path / "ws-a")
    first.add("/one.md")
    first.add("/two.md x")
    first.add("/two.md x")
    CommandHistory.for_workspace(data, tmp_path / "ws-b").add("/other.md")
    again = CommandHistory.for_workspace(data, tmp_path / "ws-a")
    assert again.entries == ["/one.md", "/two.md x"]
    assert CommandHistory.for_workspace(data, tmp_path / "ws-b").entries == ["/other.md"]


def test_history_is_capped_and_survives_a_corrupt_file(tmp_path: Path) -> None:
    history = CommandHistory(tmp_path / "h.json", limit=3)
    for n in range(5):
        history.add(f"/c{n}.md")
    assert CommandHistory(tmp_path / "h.json", limit=3).entries == ["/c2.md", "/c3.md", "/c4.md"]
    (tmp_path / "h.json").write_text("{not json", encoding="utf-8")
    assert CommandHistory(tmp_path / "h.json").entries == []


def test_cursor_walks_back_and_returns_the_draft(tmp_path: Path) -> None:
    history = CommandHistory(tmp_path / "h.json")
    history.add("/a.md")
    history.add("/b.md")
    cursor = HistoryCursor(history)
    assert cursor.newer("draft") == "draft"
    assert cursor.older("draft") == "/b.md"
    assert cursor.older("/b.md") == "/a.md"
    assert cursor.older("/a.md") == "/a.md"
    assert cursor.newer("/a.md") == "/b.md"
    assert cursor.newer("/b.md") == "draft"
