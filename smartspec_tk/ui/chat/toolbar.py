"""ChatToolbar: model picker, New chat, and the collapsible options panel (system prompt,
temperature, max tokens) (Tk thread). Earlier chats are in the conversations sidebar."""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable
from tkinter import ttk

from smartspec_tk.core.chat.sampling import Sampling
from smartspec_tk.ui.chat.input import bind_select_all
from smartspec_tk.ui.chat.options import SamplingRow
from smartspec_tk.ui.theme.widgets import icon_button

WRAP_BELOW_PX = 340  # narrower than this, the buttons go below the model box


class ChatToolbar(ttk.Frame):
    """The row above the transcript; the options panel (system prompt, sampling) folds out below it."""

    def __init__(
        self,
        master: tk.Misc,
        *,
        on_new: Callable[[], None],
        on_model_chosen: Callable[[str], None],
        on_sampling_chosen: Callable[[Sampling], None] = lambda _s: None,
    ) -> None:
        super().__init__(master, padding=(6, 4))
        self._on_model_chosen = on_model_chosen
        self.model_label = ttk.Label(self, text="Model")
        self.model_var = tk.StringVar(self)
        self.model_box = ttk.Combobox(self, textvariable=self.model_var, width=18)
        self.new_button = icon_button(self, "new_chat", "New chat (Ctrl+Shift+N)", on_new, text="New")
        self.prompt_button = ttk.Button(self, text="Options ▸", command=self.toggle_prompt)
        self.wrapped: bool | None = None
        self._layout(wrapped=False)
        self.bind("<Configure>", lambda e: self._layout(wrapped=e.width < WRAP_BELOW_PX), add="+")
        self.model_box.bind("<<ComboboxSelected>>", lambda _e: self._chosen())
        self.model_box.bind("<FocusOut>", lambda _e: self._chosen())
        self.model_box.bind("<Return>", lambda _e: self._chosen())
        self.prompt_frame = ttk.Frame(master, padding=(6, 0, 6, 4))
        ttk.Label(self.prompt_frame, text="System prompt (sent first with every request of this chat)").pack(anchor="w")
        self.prompt_text = tk.Text(
            self.prompt_frame, height=3, wrap="word", undo=True, borderwidth=1, relief="solid", padx=4, pady=2
        )
        self.prompt_text.pack(fill="x")
        self.sampling_row = SamplingRow(self.prompt_frame, on_sampling_chosen)
        self.sampling_row.pack(fill="x", pady=(4, 0))
        self.sampling_row.note.pack(anchor="w")
        for box in (
            self.model_box,
            self.prompt_text,
            self.sampling_row.temperature_box,
            self.sampling_row.max_tokens_box,
        ):
            bind_select_all(box)
        self._shown_model = ""

    def _layout(self, *, wrapped: bool) -> None:
        """One row; in a narrow pane the buttons go to a second row, so the model box stays usable."""
        if wrapped == self.wrapped:
            return
        self.wrapped = wrapped
        self.columnconfigure(1, weight=1)
        self.model_label.grid(row=0, column=0, sticky="w")
        self.model_box.grid(row=0, column=1, columnspan=3 if wrapped else 1, sticky="ew", padx=(4, 0 if wrapped else 8))
        row, first = (1, 2) if wrapped else (0, 2)
        self.new_button.grid(row=row, column=first, sticky="e", padx=(0, 4), pady=(4, 0) if wrapped else 0)
        self.prompt_button.grid(row=row, column=first + 1, sticky="e", pady=(4, 0) if wrapped else 0)

    @property
    def model(self) -> str:
        return self.model_var.get().strip()

    @model.setter
    def model(self, value: str) -> None:
        self.model_var.set(value)
        self._shown_model = value

    def set_models(self, models: list[str], error: str = "") -> None:
        self.model_box.configure(values=models)
        if error:
            self.model_box.configure(values=[])
        if not self.model and models:
            self.model = models[0]  # a default, not a choice: not remembered

    @property
    def system_prompt(self) -> str:
        return self.prompt_text.get("1.0", "end-1c")

    @system_prompt.setter
    def system_prompt(self, value: str) -> None:
        self.prompt_text.delete("1.0", "end")
        self.prompt_text.insert("1.0", value)
        self._label_prompt()

    @property
    def sampling(self) -> Sampling:
        """The temperature and max_tokens of the next request (a value still being typed is checked first)."""
        self.sampling_row.commit()
        return self.sampling_row.value

    @sampling.setter
    def sampling(self, value: Sampling) -> None:
        self.sampling_row.set(value)

    def toggle_prompt(self) -> None:
        if self.prompt_frame.winfo_ismapped():
            self.prompt_frame.pack_forget()
        else:
            self.prompt_frame.pack(after=self, fill="x")
            self.prompt_text.focus_set()
        self._label_prompt()

    def _label_prompt(self) -> None:
        open_ = self.prompt_frame.winfo_manager() != ""
        mark = "▾" if open_ else "▸"
        filled = " ✓" if self.system_prompt.strip() and not open_ else ""
        self.prompt_button.configure(text=f"Options{filled} {mark}")

    def _chosen(self) -> None:
        if self.model and self.model != self._shown_model:
            self._shown_model = self.model
            self._on_model_chosen(self.model)
