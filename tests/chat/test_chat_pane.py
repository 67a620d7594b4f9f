"""The chat pane under Xvfb: type, Enter, the streamed answer appears; Stop; Retry; models; markdown."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from smartspec_tk.core.chat import messages as m
from smartspec_tk.core.paths import resolve_paths
from smartspec_tk.core.settings import load_settings
from smartspec_tk.services import Services
from tests.chat.sse_server import ChatServer, chat_server

Wait = Callable[..., None]


@pytest.fixture
def server() -> Iterator[ChatServer]:
    with chat_server() as running:
        yield running


@pytest.fixture
def pane(tk_root: Any, server: ChatServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    from smartspec_tk.ui.chat import wiring as chat_wiring
    from smartspec_tk.ui.window.main_window import MainWindow
    from smartspec_tk.ui.window.pump import Pump

    monkeypatch.setenv("SMARTSPEC_BACKEND_URL", server.url)
    monkeypatch.setenv("SMARTSPEC_DEFAULT_MODEL", "echo-1")
    paths = resolve_paths().ensure()
    services = Services.build(load_settings(None, None).settings, paths)
    window = MainWindow(tk_root, services.backend_url)
    pump = Pump(tk_root, services.outbox)
    pane = chat_wiring.attach(window, pump, services)
    pump.start()
    yield pane
    window.quit()
    pump.stop()
    services.close()


def transcript(pane: Any) -> str:
    return str(pane.transcript.text.get("1.0", "end-1c"))


def type_and_enter(pane: Any, text: str) -> None:
    pane.update()
    pane.input.text.focus_force()
    pane.input.set_value(text)
    pane.update()
    pane.input.text.event_generate("<Return>")
    assert "\n" not in pane.input.value()[len(text) :], "Enter must not add a line"


def test_enter_sends_and_the_streamed_answer_appears(pane: Any, server: ChatServer, wait_until: Wait) -> None:
    server.plan.tokens = ["# Title\n", "Some **bold** text\n", "```python\n", "print('hi')\n", "```\n", "done"]
    type_and_enter(pane, "hello there")
    wait_until(lambda: "Tokens:" in transcript(pane), 10, "the usage line")

    shown = transcript(pane)
    assert "You\nhello there\n" in shown
    assert "Title\nSome bold text\n" in shown
    assert "print('hi')\n" in shown and "```" not in shown
    assert pane.input.value() == ""  # cleared once the backend accepted the request
    assert server.bodies[0]["messages"] == [{"role": "user", "content": "hello there"}]
    assert server.bodies[0]["model"] == "echo-1"
    text = pane.transcript.text
    assert "h1" in text.tag_names(text.search("Title", "1.0"))
    assert "bold" in text.tag_names(text.search("bold", "1.0"))
    assert "code" in text.tag_names(text.search("print", "1.0"))
    assert pane.transcript.text.window_names(), "the code block has its Copy button"
    stored = pane.store.messages(pane.session.conversation_id)
    assert [(s.role, s.status) for s in stored] == [("user", "complete"), ("assistant", "complete")]


def test_shift_enter_adds_a_line(pane: Any) -> None:
    pane.update()
    pane.input.text.focus_force()
    pane.input.set_value("a")
    pane.input.text.mark_set("insert", "end-1c")
    pane.update()
    pane.input.text.event_generate("<Shift-Return>")
    assert pane.input.value() == "a\n"
    assert pane.job is None


def test_stop_mid_stream(pane: Any, server: ChatServer, wait_until: Wait) -> None:
    server.plan.tokens = [f"word{i} " for i in range(3000)]
    server.plan.delay = 0.005
    type_and_enter(pane, "long answer please")
    wait_until(lambda: "word20" in transcript(pane), 10, "some streamed words")
    assert pane.input.button.cget("text") == "Stop"
    pane.input.button.invoke()
    wait_until(lambda: pane.job is None, 10, "the request to end")
    assert "Stopped." in transcript(pane)
    assert server.disconnected.wait(5)
    answer = pane.store.messages(pane.session.conversation_id)[1]
    assert answer.status == m.STOPPED and answer.text.startswith("word0 word1")
    server.plan.tokens, server.plan.delay = ["a fresh ", "answer"], 0.0
    buttons = [pane.transcript.text.nametowidget(w) for w in pane.transcript.text.window_names()]
    retry = [b for b in buttons if str(b.cget("text")) == "Retry"]
    assert len(retry) == 1, "a stopped answer can be asked for again"
    retry[0].invoke()
    wait_until(lambda: pane.job is None and "a fresh answer" in transcript(pane), 10, "the new answer")
    assert "Stopped." not in transcript(pane) and "word0" not in transcript(pane)
    assert transcript(pane).count("Assistant") == 1 and "Still streaming" not in transcript(pane)
    shown = pane.session.messages()
    assert [(s.role, s.status, s.text) for s in shown] == [
        ("user", "complete", "long answer please"),
        ("assistant", "complete", "a fresh answer"),
    ]
    stored = pane.store.messages(pane.session.conversation_id)
    assert [s.status for s in stored] == ["complete", "stopped", "complete"], "the stopped answer stays a version"
    assert "2/2" in transcript(pane)
    pane.transcript.add_status("Stopped.", retry=pane.retry)
    type_and_enter(pane, "next")
    wait_until(lambda: pane.job is None, 10, "the next answer")
    labels = [str(pane.transcript.text.nametowidget(w).cget("text")) for w in pane.transcript.text.window_names()]
    assert "Retry" not in labels, "an older turn's Retry would not retry that turn: it goes"


def test_cut_stream_then_retry(pane: Any, server: ChatServer, wait_until: Wait) -> None:
    server.plan.tokens = ["part one, ", "part two"]
    server.plan.cut_after = 1
    type_and_enter(pane, "tell me")
    wait_until(lambda: pane.job is None and "Incomplete answer." in transcript(pane), 10, "the incomplete mark")
    assert "part one," in transcript(pane)
    server.plan.cut_after = None
    buttons = [pane.transcript.text.nametowidget(w) for w in pane.transcript.text.window_names()]
    retry = [b for b in buttons if str(b.cget("text")) == "Retry"]
    assert len(retry) == 1
    retry[0].invoke()
    wait_until(lambda: pane.job is None and "part two" in transcript(pane), 10, "the retried answer")
    assert "Incomplete answer." not in transcript(pane)
    assert transcript(pane).count("You\ntell me") == 1
    shown = pane.session.messages()
    assert [(s.role, s.status, s.text) for s in shown] == [
        ("user", "complete", "tell me"),
        ("assistant", "complete", "part one, part two"),
    ]
    kept = pane.store.messages(pane.session.conversation_id)[1]
    assert (kept.status, kept.text) == ("incomplete", "part one, "), "the cut-off answer stays a version (1/2)"


def test_failure_keeps_the_prompt_in_the_box(pane: Any, server: ChatServer, wait_until: Wait) -> None:
    server.plan.status = 401
    server.plan.error_body = {"detail": "Unauthorized"}
    type_and_enter(pane, "secret question")
    wait_until(lambda: pane.job is None and "401" in transcript(pane), 10, "the error")
    assert pane.input.value() == "secret question"
    note = pane.input.note
    assert "proxy token" in str(note.cget("text"))
    pane.winfo_toplevel().geometry("420x700")  # a narrow pane: the error wraps, in full, at words
    wait_until(lambda: 0 < int(str(note.cget("wraplength"))) <= pane.input.winfo_width(), 5, "the wrap width")
    pane.update()
    line = int(note.tk.call("font", "metrics", "TkDefaultFont", "-linespace"))
    assert note.winfo_height() >= 2 * line, "more than one line"
    assert note.winfo_width() <= pane.input.winfo_width(), "nothing cut off at the right"
    server.plan.status = 200
    type_and_enter(pane, "secret question")  # sending the same text again retries the failed turn
    wait_until(lambda: pane.job is None and "world!" in transcript(pane), 10, "the answer")
    assert transcript(pane).count("You\nsecret question") == 1
    assert pane.input.value() == ""


def test_models_fill_the_picker_and_the_choice_is_remembered(pane: Any, wait_until: Wait) -> None:
    box = pane.toolbar.model_box
    wait_until(lambda: tuple(box.cget("values")) == ("echo-1", "echo-2"), 10, "the model list")
    assert pane.toolbar.model == "echo-1"  # settings.default_model
    pane.toolbar.model_var.set("echo-2")
    box.event_generate("<<ComboboxSelected>>")
    assert pane.store.get_pref("model") == "echo-2"


class FakeUploads:
    def __init__(self) -> None:
        self.busy = True

    def pending(self) -> bool:
        return self.busy

    def take_parts(self) -> list[dict[str, Any]]:
        return [{"type": "image_url", "image_url": {"url": "http://x/cat.png"}, "x_smartspec": {"name": "cat.png"}}]

    def peek_parts(self) -> list[dict[str, Any]]:
        return self.take_parts()


def test_send_waits_for_uploads_then_sends_parts(pane: Any, server: ChatServer, wait_until: Wait) -> None:
    uploads = FakeUploads()
    pane.set_attachment_source(uploads)
    type_and_enter(pane, "what is this")
    wait_until(lambda: "Waiting for uploads" in str(pane.input.note.cget("text")), 5, "the waiting note")
    assert server.bodies == []
    uploads.busy = False
    wait_until(lambda: pane.job is None and "world!" in transcript(pane), 10, "the answer")
    assert server.bodies[0]["messages"][0]["content"] == [
        {"type": "text", "text": "what is this"},
        {"type": "image_url", "image_url": {"url": "http://x/cat.png"}},
    ]
    assert " PNG   cat.png\n" in transcript(pane)  # no thumbnail was kept for it: a type badge


def test_links_and_terminal_insert(pane: Any, server: ChatServer, wait_until: Wait) -> None:
    class Terminals:
        pasted: list[tuple[str, bool]] = []

        def selected_text(self) -> str:
            return "ls -la"

        def paste_into_current(self, text: str, bracketed: bool = True) -> bool:
            self.pasted.append((text, bracketed))
            return True

    terminals = Terminals()
    pane.terminals = terminals
    pane.send_terminal_selection()
    assert pane.input.value() == "```\nls -la\n```\n"
    server.plan.tokens = ["see [docs](https://example.org/d)\n", "```sh\n", "echo hi\n", "```\n"]
    type_and_enter(pane, "go")
    wait_until(lambda: pane.job is None, 10, "the answer")
    assert "https://example.org/d" in pane.transcript.links.values()
    buttons = [pane.transcript.text.nametowidget(w) for w in pane.transcript.text.window_names()]
    frame = buttons[-1]
    insert = [b for b in frame.winfo_children() if str(b.cget("text")) == "Insert into terminal"]
    insert[0].invoke()
    assert terminals.pasted == [("echo hi", True)]


def test_view_follows_the_answer_unless_the_user_scrolled_up(pane: Any, server: ChatServer, wait_until: Wait) -> None:
    server.plan.tokens = [f"line {i}\n" for i in range(300)]
    type_and_enter(pane, "many lines")
    wait_until(lambda: pane.job is None, 10, "the answer")
    pane.update()
    text = pane.transcript.text
    assert text.yview()[1] > 0.99, "the end of the answer is in view"
    pane.transcript._user_scroll("moveto", "0")
    pane.update()
    type_and_enter(pane, "more lines")
    wait_until(lambda: pane.job is None, 10, "the second answer")
    pane.update()
    assert text.yview()[0] == 0.0, "a user who scrolled up is not pulled down"


def test_transcript_text_can_be_selected_and_copied(pane: Any, server: ChatServer, wait_until: Wait) -> None:
    type_and_enter(pane, "copy me")
    wait_until(lambda: pane.job is None, 10, "the answer")
    text = pane.transcript.text
    start = text.search("Hello", "1.0")
    text.tag_add("sel", start, f"{start} + 13c")
    text.focus_force()
    pane.update()
    text.event_generate("<<Copy>>")
    assert pane.clipboard_get() == "Hello, world!"


def test_temperature_and_max_tokens_are_validated_sent_and_remembered(
    pane: Any, server: ChatServer, wait_until: Wait
) -> None:
    from smartspec_tk.core.chat import sampling

    toolbar = pane.toolbar
    assert toolbar.prompt_button.cget("text") == "Options ▸"
    toolbar.prompt_button.invoke()
    pane.update()
    row = toolbar.sampling_row
    assert row.winfo_ismapped() and row.temperature_var.get() == "0.3"  # the default, shown
    row.temperature_box.focus_force()
    pane.update()
    row.temperature_var.set("0.7")
    row.max_tokens_var.set("512")
    row.temperature_box.event_generate("<Return>")
    assert sampling.load(pane.store) == sampling.Sampling(0.7, 512)  # remembered for the next start
    row.temperature_var.set("5")
    row.temperature_box.event_generate("<Return>")
    assert row.temperature_var.get() == "0.7", "a bad value is put back"
    assert "from 0 to 2" in str(row.note.cget("text"))
    type_and_enter(pane, "be creative")
    wait_until(lambda: pane.job is None, 10, "the answer")
    assert (server.bodies[0]["temperature"], server.bodies[0]["max_tokens"]) == (0.7, 512)
    row.temperature_var.set("")
    row.max_tokens_var.set("")  # typed but not committed: Send checks the boxes itself
    type_and_enter(pane, "again")
    wait_until(lambda: pane.job is None, 10, "the second answer")
    assert "temperature" not in server.bodies[1] and "max_tokens" not in server.bodies[1]
    assert pane.store.get_pref("temperature") == "" and pane.store.get_pref("max_tokens") == ""


def test_a_video_sent_as_a_text_link_gets_its_label(pane: Any, server: ChatServer, wait_until: Wait) -> None:
    from smartspec_tk.core.media.client import UploadedArtifact
    from smartspec_tk.core.media.parts import content_part

    clip = UploadedArtifact("demo.mp4", "video/mp4", 10, "ab", "k/demo.mp4", "s1", "cp", "http://x/demo.mp4?sig", 9e9)

    class TextModeUploads(FakeUploads):
        def take_parts(self) -> list[dict[str, Any]]:
            return [content_part(clip, "text")]

    uploads = TextModeUploads()
    uploads.busy = False
    pane.set_attachment_source(uploads)
    type_and_enter(pane, "what happens here")
    wait_until(lambda: pane.job is None, 10, "the answer")
    assert " MP4   demo.mp4 · sent as a link" in transcript(pane)
    assert server.bodies[0]["messages"][0]["content"][1] == {"type": "text", "text": "Video: http://x/demo.mp4?sig"}
    pane.open_conversation(pane.session.conversation_id)  # drawn again from the store
    shown = transcript(pane)
    assert "You\nwhat happens here\n MP4   demo.mp4 · sent as a link" in shown
    assert "http://x/demo.mp4" not in shown, "the link line is the attachment, not the user's text"


def test_ctrl_a_selects_all_in_the_chat_boxes(pane: Any) -> None:
    pane.update()
    pane.input.text.focus_force()
    pane.input.set_value("first line\nsecond")
    pane.update()
    pane.input.text.event_generate("<Control-a>")
    assert pane.input.text.get("sel.first", "sel.last") == "first line\nsecond"
    box = pane.toolbar.model_box
    box.focus_force()
    pane.update()
    box.event_generate("<Control-a>")
    assert box.selection_present() and box.index("insert") == len(pane.toolbar.model)


def test_the_users_fenced_code_is_shown_verbatim_in_the_mono_font(pane: Any, wait_until: Wait) -> None:
    type_and_enter(pane, "Explain **this**:\n```python\nprint('hi')\n```\nthanks")
    wait_until(lambda: pane.job is None, 10, "the answer")
    text = pane.transcript.text
    assert "You\nExplain **this**:\n```python\nprint('hi')\n```\nthanks\n" in transcript(pane)
    assert "user_code" in text.tag_names(text.search("print('hi')", "1.0"))
    assert "user_code" in text.tag_names(text.search("```python", "1.0"))
    assert "user_code" not in text.tag_names(text.search("thanks", "1.0"))
    assert "user_code" not in text.tag_names(text.search("Explain", "1.0"))
