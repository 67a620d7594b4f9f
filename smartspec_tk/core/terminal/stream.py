"""FastStream: pyte.Stream with fast paths for the common cases, stock FSM for the rest.

In the ground state it dispatches plain text, C0 controls, non-private CSI sequences
(one regex) and OSC 0/1/2/52 directly, and hands blocks of complete scrolling lines to
`bulk.apply_lines`. An escape sequence cut by a chunk boundary is carried over to the
next `feed`. Anything unusual goes through pyte's own parser, so behaviour matches
pyte; an exception from a handler (pyte raises on some malformed input) is logged at
debug level and skipped, never propagated.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

import pyte

from . import bulk
from .csi import BODY, OpenCsi
from .csi import params as csi_params
from .reports import REMEMBERED_SETTINGS
from .screen import TermScreen

log = logging.getLogger(__name__)

_CSI = re.compile(r"\x1b\[([0-9;]*)([@A-Za-z`])")
#: any other CSI: private prefix, parameters with ':' sub-parameters, intermediates, final
_CSI_EXT = re.compile(r"\x1b\[([<=>?]?)([0-9;:]*)([ -/]*)([@-~])")
_DCS = re.compile(r"\x1bP([^\x07\x1b]*)(?:\x07|\x1b\\)")
STRING_CAP = 65536  # longest OSC/DCS/APC/PM/SOS string kept; the rest is dropped until ST/BEL
_OSC = re.compile(r"\x1b\](\d*)(?:;([^\x07\x1b]*))?(?:\x07|\x1b\\)")
_STRING = re.compile(r"\x1b[P_^X][^\x07\x1b]*(?:\x07|\x1b\\)")  # DCS, APC, PM, SOS: ignored
_INCOMPLETE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*|[\]P_^X][^\x07\x1b]*\x1b?|[ -/#%()]*)?")
_OPENERS = ("\x1b]", "\x1bP", "\x1b_", "\x1b^", "\x1bX")
_TEXT = pyte.Stream._text_pattern
MAX_CARRY = 8192


def _carry_point(data: str) -> int:
    """Where an escape sequence cut by the end of `data` starts (-1: none), so it can wait
    for the next chunk: a CSI/ESC prefix, or a string sequence (OSC, DCS…) not yet terminated."""
    window = max(0, len(data) - MAX_CARRY)
    cut = data.rfind("\x1b", window)
    if cut < 0:
        return -1
    opener = max(data.rfind(o, window) for o in _OPENERS)
    if opener >= 0 and data.find("\x07", opener) < 0 and data.find("\x1b\\", opener) < 0:
        return opener
    return cut if _INCOMPLETE.fullmatch(data, cut) else -1


class FastStream(pyte.Stream):
    """See the module docstring. `on_osc52(payload)` receives clipboard-write requests."""

    def __init__(self, screen: TermScreen) -> None:
        self.on_osc52: Callable[[str], None] | None = None
        self.on_osc7: Callable[[str], None] | None = None  # the shell's working folder, file://host/path
        self._carry = ""
        self._lines_end: tuple[str | None, int] = (None, 0)
        self._params: dict[str, tuple[int, ...]] = {}
        self._string: list[str] | None = None  # an OSC/DCS… string still open across feeds
        self._string_len = 0
        self._open_csi: OpenCsi | None = None  # a CSI still waiting for its final byte (bounded)
        super().__init__(screen)
        self.screen = screen
        self._basic = {ch: getattr(screen, name) for ch, name in self.basic.items()
                       if ch not in "\x0e\x0f"}  # SO/SI are ignored in UTF-8 mode
        self._csi_handlers = {ch: getattr(screen, name) for ch, name in self.csi.items()}
        self._csi_handlers.update({
            "s": screen.save_or_margins, "u": screen.restore_cursor_sco, "S": screen.scroll_up,
            "T": screen.scroll_down, "I": screen.forward_tab, "Z": screen.backward_tab,
            "`": screen.cursor_to_column, "b": screen.repeat_char, "t": screen.window_op,
            "J": self._erase_in_display, "n": screen.report_device_status,
        })
        self._ext_handlers: dict[tuple[str, str, str], Callable[..., None]] = {
            (">", "", "c"): screen.report_secondary_attributes,
            (">", "", "q"): screen.report_version,
            (">", "", "t"): lambda *p: screen.set_title_modes(*p, on=True),
            (">", "", "T"): lambda *p: screen.set_title_modes(*p, on=False),
            ("?", "", "n"): lambda *p: screen.report_device_status(*(p or (0,)), private=True),
            ("", "!", "p"): lambda *p: screen.soft_reset(),
            ("", '"', "p"): screen.set_conformance,
            ("", " ", "q"): screen.set_cursor_style,
            ("", "*", "y"): screen.request_checksum,
            ("", "$", "x"): screen.fill_rectangle,  # DECFRA
            ("", "$", "z"): screen.erase_rectangle,  # DECERA
            ("", "$", "{"): screen.selective_erase_rectangle,  # DECSERA
            ("", "$", "v"): screen.copy_rectangle,  # DECCRA
            ("", "$", "r"): screen.change_rect_attrs,  # DECCARA
            ("", "$", "t"): screen.reverse_rect_attrs,  # DECRARA
            ("", "'", "}"): screen.insert_columns,  # DECIC
            ("", "'", "~"): screen.delete_columns,  # DECDC
            ("", '"', "q"): screen.set_protection,  # DECSCA
            ("", "*", "|"): lambda n=0, *_: screen.program_resize(n, screen.columns) if n else None,  # DECSNLS
            ("?", "$", "p"): lambda n=0, *_: screen.request_mode(n, True),
            ("", "$", "p"): lambda n=0, *_: screen.request_mode(n, False),
        }

    escape = {**pyte.Stream.escape, "E": "next_line", "6": "back_index", "9": "forward_index", "Z": "identify",
              "V": "start_protected_area", "W": "end_protected_area"}

    def _erase_in_display(self, how: int = 0, *rest: int) -> None:
        if how == 3:
            self.screen.erase_scrollback()  # CSI 3 J: the scrollback only, like xterm
        else:
            self.screen.erase_in_display(how)

    def feed(self, data: str) -> None:
        if self._carry:
            data, self._carry = self._carry + data, ""
        pos = self._continue_string(data) if self._string is not None else 0
        if self._open_csi is not None and not pos:
            pos = self._continue_csi(data)
        if pos:
            data = data[pos:]
        cut = _carry_point(data)
        if cut >= 0:
            data, self._carry = data[:cut], data[cut:]
        pos = self._finish_sequence(data, 0)
        end = len(data)
        self._lines_end = (None, 0)
        while pos < end:
            try:
                pos = self._step(data, pos)
            except Exception:
                log.debug("terminal: sequence at %d raised; skipped", pos, exc_info=True)
                self._initialize_parser()
                pos += 1

    def flush(self) -> None:
        """Feed a carried incomplete sequence as it is (e.g. at end of output)."""
        carry, self._carry = self._carry, ""
        if carry:
            for ch in carry:
                self._fsm(ch)

    def _fsm(self, ch: str) -> bool:
        try:
            taking = self._send_to_parser(ch)
        except Exception:
            log.debug("terminal: pyte parser raised; reset", exc_info=True)
            taking = True
        self._taking_plain_text = bool(taking)
        return self._taking_plain_text

    def _finish_sequence(self, data: str, pos: int) -> int:
        """Feed pyte's FSM until it is back in the ground state."""
        while not self._taking_plain_text and pos < len(data):
            self._fsm(data[pos])
            pos += 1
        return pos

    def _step(self, data: str, pos: int) -> int:
        match = _TEXT.match(data, pos)
        if match is not None:
            self.screen.draw(match.group())
            return match.end()
        ch = data[pos]
        if ch == "\x1b":
            return self._escape(data, pos)
        handler = self._basic.get(ch)
        if handler is not None:
            handler()
            if ch == "\n" and bulk.ready(self.screen):
                return self._bulk(data, pos + 1)
            return pos + 1
        if ch in "\x0e\x0f":
            return pos + 1
        self._fsm(ch)
        return self._finish_sequence(data, pos + 1)

    def _bulk(self, data: str, pos: int) -> int:
        """Hand complete lines from pos to bulk.apply_lines; the regex end is remembered so a
        line bulk cannot handle does not make every later line rescan the rest of the data."""
        if self._lines_end[0] is data and pos < self._lines_end[1]:
            end = self._lines_end[1]
        else:
            match = bulk.LINES.match(data, pos)
            if match is None:
                return pos
            end = match.end()
            self._lines_end = (data, end)
        return bulk.apply_lines(self.screen, data, pos, end)

    def _escape(self, data: str, pos: int) -> int:
        match = _CSI.match(data, pos)
        if match is not None:
            text, final = match.groups()
            params = self._params.get(text)
            if params is None:
                params = csi_params(text)
                if len(self._params) < 1024 and len(text) <= 64:  # cache only short sequences
                    self._params[text] = params
            handler = self._csi_handlers.get(final)
            if handler is not None:
                handler(*params)
            return match.end()
        match = _CSI_EXT.match(data, pos)
        if match is not None:
            self._csi_ext(*match.groups())
            return match.end()
        match = _OSC.match(data, pos)
        if match is not None:
            self._osc(match.group(1), (match.group(2) or "")[:STRING_CAP])
            return match.end()
        match = _DCS.match(data, pos)
        if match is not None:
            self._dcs(match.group(1)[:STRING_CAP])
            return match.end()
        match = _STRING.match(data, pos)
        if match is not None:
            return match.end()
        if data.startswith(_OPENERS, pos):  # an unterminated string: keep at most STRING_CAP of it
            self._string, self._string_len = [], 0
            return pos + self._continue_string(data[pos:])
        match = BODY.match(data, pos)
        if match is not None and match.end() == len(data):  # a CSI open to the end of the data: keep a head
            self._open_csi = OpenCsi(*match.groups())
            return len(data)
        self._fsm("\x1b")
        return self._finish_sequence(data, pos + 1)

    def _continue_csi(self, data: str) -> int:
        """Continue an open CSI (bounded); run it once its final byte arrives. Returns where it ends."""
        assert self._open_csi is not None
        used, sequence = self._open_csi.more(data)
        if sequence is not None:
            self._open_csi = None
            if sequence:
                self._escape(sequence, 0)
        return used

    def _continue_string(self, data: str) -> int:
        """Collect an open string sequence (bounded); dispatch it at BEL/ST. Returns where it ends
        in `data` (len(data) when it is still open)."""
        assert self._string is not None
        bel, esc = data.find("\x07"), data.find("\x1b", 1 if not self._string_len else 0)
        ends = [e for e in (bel, esc) if e >= 0]
        end = min(ends) if ends else len(data)
        room = STRING_CAP + 2 - self._string_len
        if room > 0:
            piece = data[:min(end, room)]
            self._string.append(piece)
            self._string_len += len(piece)
        if not ends:
            return len(data)
        whole = "".join(self._string)
        self._string = None
        stop = end + (2 if data.startswith("\x1b\\", end) else 1 if data[end] == "\x07" else 0)
        if whole.startswith("\x1b]"):
            code, _, param = whole[2:].partition(";")
            if code.isdigit():
                self._osc(code, param[:STRING_CAP])
        elif whole.startswith("\x1bP"):
            self._dcs(whole[2:STRING_CAP + 2])
        return stop

    def _csi_ext(self, prefix: str, text: str, inter: str, final: str) -> None:
        if final == "m" and not prefix and not inter:
            self.screen.sgr_colon(text)
            return
        if ":" in text:
            return
        params = csi_params(text) if text else ()
        handler = self._ext_handlers.get((prefix, inter, final))
        if handler is not None:
            handler(*params)
        elif not prefix and inter + final in REMEMBERED_SETTINGS:
            self.screen.remember_setting(inter + final, params)
        elif prefix == "?" and not inter:
            screen = self.screen
            if final == "h":
                screen.set_mode(*params, private=True)
            elif final == "l":
                screen.reset_mode(*params, private=True)
            elif final == "s":  # XTSAVE
                screen.save_modes(*params)
            elif final == "r":  # XTRESTORE
                screen.restore_modes(*params)
            elif final == "J":  # DECSED: protected cells stay
                screen.selective_erase_display(params[0] if params else 0)
            elif final == "K":  # DECSEL
                screen.selective_erase_line(params[0] if params else 0)
        elif prefix == "" and not inter:  # e.g. CSI with > 9999 digits: same handler, capped
            plain_handler = self._csi_handlers.get(final)
            if plain_handler is not None:
                plain_handler(*params)

    def _dcs(self, body: str) -> None:
        if body.startswith("$q"):
            self.screen.request_setting(body[2:])
        elif body.startswith("+q"):
            self.screen.request_termcap(body[2:])

    def _osc(self, code: str, param: str) -> None:
        screen = self.screen
        if code in ("0", "1"):
            screen.set_icon_name(param)
        if code in ("0", "2"):
            screen.set_title(param)
        if code == "52" and self.on_osc52 is not None:
            self.on_osc52(param)
        elif code == "7":
            if self.on_osc7 is not None:
                self.on_osc7(param)
        elif code.isdigit() and len(code) <= 3:
            screen.colors.osc(int(code), param)

    def debug(self, *args: Any, **kwargs: Any) -> None:
        """Unknown sequences are ignored."""
