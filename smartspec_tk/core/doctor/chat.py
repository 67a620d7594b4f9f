"""Connection doctor checks: the model list and a short streamed answer (catching proxies
that buffer SSE).

Each failure says in plain words what is wrong and what to do. The model list is left
in `ctx.models` for the streamed answer.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass, field

import httpx

from smartspec_tk.core.chat.models import MODELS_PATH, ModelsClient, model_ids
from smartspec_tk.core.doctor.replies import body_message, status_advice
from smartspec_tk.core.doctor.result import CheckResult, DoctorContext

log = logging.getLogger(__name__)

STREAM_PROMPT = "Count from 1 to 20, separated by spaces."
BUFFER_MIN_WAIT_S = 0.5  # a buffered stream only hurts when the answer took this long
BUFFER_MAX_SPREAD = 0.1  # … and then all of it arrived within this share of the wait
BUFFER_MAX_READS = 2  # … in at most this many reads (a fast upstream's chunks still come one by one)


def check_models(ctx: DoctorContext) -> CheckResult:
    response = ctx.models_reply
    if response is None:
        try:
            response = ModelsClient(ctx.http, ctx.settings.backend_url).get()
        except httpx.HTTPError as exc:
            return CheckResult.failed(f"request failed ({type(exc).__name__})", "Check the backend's log.")
    if not response.is_success:
        return CheckResult.failed(
            f"HTTP {response.status_code}: {body_message(response)}", status_advice(response.status_code, MODELS_PATH)
        )
    try:
        models = model_ids(response.json())
    except ValueError:
        return CheckResult.failed(
            "the answer is not an OpenAI model list",
            "SMARTSPEC_BACKEND_URL may point at a web server that is not the SmartSpec python-backend.",
        )
    if not models:
        return CheckResult.failed("the backend lists no models", "Configure at least one model in the LLM gateway.")
    ctx.models = models
    shown = ", ".join(models[:5]) + (f" and {len(models) - 5} more" if len(models) > 5 else "")
    return CheckResult.passed(f"{len(models)} model(s): {shown}")


@dataclass
class StreamTrace:
    """What a streamed answer looked like on the wire: when each content chunk arrived."""

    started: float
    content_times: list[float] = field(default_factory=list)
    reads: int = 0
    content_reads: int = 0  # reads that carried text
    done: bool = False
    text: str = ""
    buffer: str = ""

    def feed(self, chunk: str, now: float) -> None:
        self.reads += 1
        self.buffer += chunk.replace("\r\n", "\n")
        *lines, self.buffer = self.buffer.split("\n")
        before = len(self.content_times)
        for line in lines:
            if not line.startswith("data:"):
                continue
            payload = line[5:].strip()
            if payload == "[DONE]":
                self.done = True
            elif (content := _delta_content(payload)) is not None:
                self.text += content
                self.content_times.append(now)
        self.content_reads += len(self.content_times) > before

    def buffered(self) -> bool:
        """All content arrived at once, in one or two reads, after a wait long enough that
        streaming would have shown."""
        if len(self.content_times) < 3 or self.content_reads > BUFFER_MAX_READS:
            return False
        wait = self.content_times[0] - self.started
        spread = self.content_times[-1] - self.content_times[0]
        return wait >= BUFFER_MIN_WAIT_S and spread <= BUFFER_MAX_SPREAD * wait

    def timing(self) -> str:
        first = self.content_times[0] - self.started
        spread = self.content_times[-1] - self.content_times[0]
        chunks = len(self.content_times)
        reads = f"{self.reads} read" + ("s" if self.reads != 1 else "")
        return f"{chunks} chunks in {reads}, first after {first:.2f} s, spread {spread:.2f} s"


def _delta_content(payload: str) -> str | None:
    try:
        choices = json.loads(payload).get("choices") or []
        content = choices[0].get("delta", {}).get("content")
    except (ValueError, AttributeError, IndexError, TypeError):
        return None
    return content if isinstance(content, str) and content else None


def _stream_model(ctx: DoctorContext) -> str | None:
    models = ctx.models
    return ctx.settings.default_model or (models[0] if models else None)


def check_stream(ctx: DoctorContext) -> CheckResult:
    model = _stream_model(ctx)
    if model is None:
        return CheckResult.failed("no model to try", "Set SMARTSPEC_DEFAULT_MODEL, or fix the model list above.")
    body = {"model": model, "stream": True, "max_tokens": 60, "messages": [{"role": "user", "content": STREAM_PROMPT}]}
    url = ctx.settings.backend_url + "/v1/chat/completions"
    trace = StreamTrace(time.monotonic())
    try:
        with ctx.http.stream("POST", url, json=body, timeout=httpx.Timeout(10, read=60)) as response:
            refused = _stream_refused(response)
            if refused is not None:
                return refused
            for chunk in response.iter_text():
                trace.feed(chunk, time.monotonic())
    except httpx.HTTPError as exc:
        if trace.content_times:
            return _cut_result(trace, f"the connection broke ({type(exc).__name__})")
        return CheckResult.failed(f"request failed ({type(exc).__name__})", "Check the backend's log.")
    return _judge_stream(model, trace)


def _stream_refused(response: httpx.Response) -> CheckResult | None:
    status = response.status_code
    if status == 501:
        response.read()
        return CheckResult.failed(
            f"the backend refuses streaming (HTTP 501: {body_message(response)})",
            "Answers will come in one piece. For streaming, run the backend with its web gateway "
            "(SMARTSPEC_USE_WEB_GATEWAY=true).",
        )
    if not response.is_success:
        response.read()
        return CheckResult.failed(f"HTTP {status}: {body_message(response)}", status_advice(status, "chat"))
    kind = response.headers.get("content-type", "")
    if not kind.startswith("text/event-stream"):
        response.read()
        return CheckResult.failed(
            f"the answer is not a stream (Content-Type {kind or 'missing'})",
            "A proxy or the backend turned the stream into a plain reply: ask IT to pass "
            "text/event-stream through unchanged.",
        )
    return None


def _cut_result(trace: StreamTrace, how: str) -> CheckResult:
    return CheckResult.failed(
        f"the stream stopped without [DONE] after {len(trace.content_times)} chunk(s): {how}",
        "The backend or a proxy cut the answer. The app keeps partial text and offers Retry; "
        "the backend's log says why (often an upstream error or a proxy timeout).",
    )


def _judge_stream(model: str, trace: StreamTrace) -> CheckResult:
    if not trace.content_times:
        return CheckResult.failed(f"{model} streamed no text", "The gateway sent an empty stream: see its log.")
    if not trace.done:
        return _cut_result(trace, "the body ended early")
    if trace.buffered():
        return CheckResult.failed(
            f"the answer arrived all at once, not streamed ({trace.timing()})",
            "A proxy between you and the backend buffers server-sent events. Ask IT to exempt the "
            "backend from buffering (or to allow text/event-stream), or put the backend in NO_PROXY.",
        )
    return CheckResult.passed(f"{model} streamed ({trace.timing()})")
