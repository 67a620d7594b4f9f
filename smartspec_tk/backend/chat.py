"""`GET /v1/models` and `POST /v1/chat/completions`: relayed to an OpenAI-compatible upstream
when one is configured, otherwise answered by the offline models (`offline.py`)."""

from __future__ import annotations

import time
import uuid
from typing import TYPE_CHECKING, Any

from smartspec_tk.backend import offline, relay
from smartspec_tk.backend.routing import Route, route
from smartspec_tk.backend.sse import SSE_HEADERS, SseWriter, StreamCut
from smartspec_tk.backend.web import ChunkedStream, Request, Response, detail, json_response

if TYPE_CHECKING:
    from smartspec_tk.backend.state import AppState


def _usage(messages: Any, pieces: int) -> dict[str, int]:
    prompt = len(str(messages).split())
    return {"prompt_tokens": prompt, "completion_tokens": pieces, "total_tokens": prompt + pieces}


def _envelope(cid: str, model: str, kind: str, choice: dict[str, Any]) -> dict[str, Any]:
    """What every completion object and stream chunk starts with."""
    return {"id": cid, "object": kind, "created": int(time.time()), "model": model, "choices": [choice]}


def _chunk(cid: str, model: str, delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
    return _envelope(cid, model, "chat.completion.chunk", {"index": 0, "delta": delta, "finish_reason": finish})


def _precheck(app: AppState, body: dict[str, Any]) -> Response | None:
    faults = app.config.faults
    if faults.chat_status == 402:
        return detail(
            402,
            {
                "error": "insufficient_credits",
                "message": "Insufficient credits for this request",
                "balance_credits": 0,
                "balance_usd": 0.0,
                "min_required_credits": 10,
                "min_required_usd": 0.01,
                "topup_url": "/credits/topup",
            },
        )
    if faults.chat_status == 429:
        wait = faults.retry_after
        message = f"Rate limit exceeded. Try again in {wait} seconds."
        return detail(
            429, {"error": "rate_limit_exceeded", "message": message, "retry_after": wait}, {"Retry-After": str(wait)}
        )
    if body.get("stream") and faults.stream_501:
        return detail(501, "Streaming not supported in direct proxy mode. Use SMARTSPEC_USE_WEB_GATEWAY=true")
    return None


def chat_completions(app: AppState, req: Request) -> Response | None:
    body = req.json()
    if not isinstance(body, dict):
        return detail(500, "An unexpected internal server error occurred.")
    refused = _precheck(app, body)
    if refused is not None:
        return refused
    model = str(body.get("model") or offline.MODELS[0])
    if app.config.upstream_url and not model.startswith("offline-"):
        return relay.chat(app, req, body)
    text = offline.answer(model, body.get("messages"))
    pace = offline.pacing(model, app.config.stream_delay, app.config.chunk_chars)
    pieces = offline.split(text, pace.chunk_chars)
    cid = "chatcmpl-" + uuid.uuid4().hex[:24]
    usage = _usage(body.get("messages"), len(pieces))
    if not body.get("stream"):
        return json_response(200, _completion(cid, model, text, usage))
    if app.config.faults.error_chunk:
        pieces = ["Error: Too many concurrent requests (simulated in-band error)"]
        cid = "chatcmpl_proxy_error"
    include_usage = bool((body.get("stream_options") or {}).get("include_usage"))
    _stream(app, req, cid, model, pieces, pace.delay, usage if include_usage else None)
    return None


def _completion(cid: str, model: str, text: str, usage: dict[str, int]) -> dict[str, Any]:
    choice = {"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}
    return _envelope(cid, model, "chat.completion", choice) | {"usage": usage}


def _stream(
    app: AppState, req: Request, cid: str, model: str, pieces: list[str], delay: float, usage: dict[str, int] | None
) -> None:
    writer = SseWriter(ChunkedStream(req.handler, 200, SSE_HEADERS), app.config.faults, app.stats)
    try:
        writer.named("trace", {"traceId": writer.trace_id})
        writer.named("proxy_status", {"traceId": writer.trace_id, "phase": "acquired", "message": ""})
        writer.chunk(_chunk(cid, model, {"role": "assistant"}))
        for piece in pieces:
            if delay:
                time.sleep(delay)
            writer.chunk(_chunk(cid, model, {"content": piece}))
        writer.chunk(_chunk(cid, model, {}, "stop"))
        if usage is not None:
            writer.chunk(
                {
                    "id": cid,
                    "object": "chat.completion.chunk",
                    "created": int(time.time()),
                    "model": model,
                    "choices": [],
                    "usage": usage,
                }
            )
        writer.done()
    except StreamCut:
        return


def models(app: AppState, req: Request) -> Response | None:
    if app.config.upstream_url:
        return relay.models(app)
    data = [{"id": m, "object": "model", "created": 0, "owned_by": "smartspec-reference"} for m in offline.MODELS]
    return json_response(200, {"object": "list", "data": data})


def routes(app: AppState) -> list[Route]:
    return [
        route("GET", "/v1/models", lambda r: models(app, r)),
        route("POST", "/v1/chat/completions", lambda r: chat_completions(app, r)),
    ]
