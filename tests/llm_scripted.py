"""Scripted chat models for the LLM-path tests: LangChain `BaseChatModel`s whose answer is a function of
the prompt they were sent (the edge of the system; everything else in the tests is real)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import Field

from verifier.models import Hit, Passage

Reply = str | AIMessage
# a naive reader: a block ends at the first END line, whatever its id
_BLOCK = re.compile(r"^<<<WINDOW (W\d+)>>>\n(.*?)\n^<<<END W\d+>>>$", re.MULTILINE | re.DOTALL)


class ScriptedChatModel(BaseChatModel):
    """Answers `respond(prompt text)`; records every request it was sent."""

    respond: Callable[[str], Reply]
    requests: list[list[BaseMessage]] = Field(default_factory=list)
    tools: bool = False  # True: supports tool calling, so `with_structured_output` takes the tool route

    @property
    def _llm_type(self) -> str:
        return "scripted"

    def _generate(
        self, messages: list[BaseMessage], stop: list[str] | None = None, run_manager: Any = None, **kw: Any
    ) -> ChatResult:
        self.requests.append(list(messages))
        out = self.respond("\n".join(m.text for m in messages))
        message = out if isinstance(out, AIMessage) else AIMessage(content=out)
        return ChatResult(generations=[ChatGeneration(message=message)])

    def bind_tools(self, tools: Sequence[Any], **kwargs: Any) -> Any:
        if not self.tools:
            raise NotImplementedError
        return self


def tool_answer(name: str, args: dict[str, Any]) -> AIMessage:
    """What a tool-calling model sends for structured output."""
    return AIMessage(content="", tool_calls=[{"name": name, "args": args, "id": "call-1"}])


def data_blocks(prompt: str) -> dict[str, str]:
    """The windows a naive reader sees: text between delimiter lines, by id."""
    return {m.group(1): m.group(2) for m in _BLOCK.finditer(prompt)}


def outside_blocks(prompt: str) -> str:
    return _BLOCK.sub("", prompt)


def answer(label: str, window: str | None = None, reason: str = "scripted") -> str:
    return json.dumps({"label": label, "window": window, "reason": reason})


def honest_judge(prompt: str) -> str:
    """Supported when a window states the claim's figure, else unverified (the figure: the first number
    of the claim line)."""
    claim = re.search(r"^Claim: (.*)$", prompt, re.MULTILINE)
    figure = re.search(r"\d[\d,.]*", claim.group(1) if claim else "")
    for wid, text in data_blocks(prompt).items():
        if figure and figure.group(0).rstrip(".") in text:
            return answer("supported", wid, "the window states the figure")
    return answer("unverified", None, "no window states it")


def source_passage(text: str, source_id: str = "src", start: int = 0, title: str = "A report") -> Passage:
    return Passage(
        id=f"{source_id}#0", source_id=source_id, text=text, start=start, end=start + len(text), title=title
    )


def hits_of(*texts: str) -> list[Hit]:
    return [Hit(source_passage(t, source_id=f"s{i}"), score=1.0 / (i + 1)) for i, t in enumerate(texts)]
