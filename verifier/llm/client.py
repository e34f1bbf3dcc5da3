"""One question to the chat model: a rendered prompt in, a validated pydantic answer out.

Structured output (`with_structured_output`) where the model supports it, else the answer's JSON parsed
and validated; an unusable answer gets one bounded retry (prompts/repair.txt), then comes back as a
problem, never an exception. Each request counts against the budget; answers are cached on disk. A
model that fails to answer at all (unreachable server, missing model) raises `LLMUnavailableError`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from verifier.errors import LLMUnavailableError, VerifierError
from verifier.llm.budget import LLMMeter
from verifier.llm.cache import AnswerCache, cache_key
from verifier.llm.chat import _first_line
from verifier.llm.prompts import Prompt

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel
    from langchain_core.messages import BaseMessage

T = TypeVar("T", bound=BaseModel)

ATTEMPTS = 2  # the first answer and one retry
_FENCE = re.compile(r"^\s*```(?:json)?\s*|\s*```\s*$", re.IGNORECASE)


class BudgetSpent(Exception):
    """No call left under `--max-llm-calls` (caught by the judge and the extractor)."""


class Unparsable(Exception):
    """The model answered, but not with a valid answer object."""

    def __init__(self, problem: str, raw: str = "") -> None:
        super().__init__(problem)
        self.problem = problem
        self.raw = raw  # what the model wrote, sent back to it with the retry


@dataclass(frozen=True, slots=True)
class Answer(Generic[T]):
    value: T | None
    problem: str | None = None  # why there is no value


class LLMClient:
    def __init__(
        self,
        model: BaseChatModel,
        spec: str,
        meter: LLMMeter,
        repair: Prompt,
        cache: AnswerCache | None = None,
    ) -> None:
        self.model = model
        self.spec = spec
        self.meter = meter
        self.repair = repair
        self.cache = cache
        self._structured: dict[type[BaseModel], Any] = {}

    def ask(self, prompt: Prompt, fields: Mapping[str, str], schema: type[T]) -> Answer[T]:
        """The model's answer to `prompt` as `schema`. Raises `BudgetSpent` when no call is left."""
        messages = _messages(prompt.render(fields))
        payload = json.dumps([schema.__name__, [(m.type, m.text) for m in messages]], ensure_ascii=False)
        key = cache_key(self.spec, prompt.version, payload)
        if self.cache is not None:
            hit = self.cache.get(key)
            if hit is not None and "answer" in hit:
                try:
                    value = schema.model_validate(hit["answer"])
                except ValidationError:
                    pass  # the schema changed since: ask again
                else:
                    self.meter.cached += 1
                    return Answer(value)
        problem = "no answer"
        for attempt in range(ATTEMPTS):
            if not self.meter.take_call():
                if attempt == 0:
                    raise BudgetSpent
                return Answer(None, f"{problem}; no call left for a retry")
            try:
                value, raw = self._once(messages, schema)
            except Unparsable as ex:
                problem = ex.problem
                messages = _retry(messages, ex.raw, self.repair.render({"error": problem}))
                continue
            if self.cache is not None:
                self.cache.put(key, {"model": self.spec, "prompt": prompt.name, "version": prompt.version,
                                     "answer": value.model_dump(mode="json")})  # fmt: skip
            return Answer(value)
        return Answer(None, problem)

    def _once(self, messages: list[BaseMessage], schema: type[T]) -> tuple[T, str]:
        structured = self._structured_runnable(schema)
        prompt_chars = sum(len(m.text) for m in messages)
        if structured is not None:
            out = self._invoke(structured, messages)
            raw = out.get("raw") if isinstance(out, dict) else None
            text = raw.text if raw is not None else ""
            self.meter.add_tokens(getattr(raw, "usage_metadata", None), prompt_chars, len(text))
            parsed = out.get("parsed") if isinstance(out, dict) else None
            if isinstance(parsed, schema):
                return parsed, text
            if isinstance(parsed, dict):
                return _validate(schema, parsed, text), text
            if text.strip():  # no tool call, but perhaps the JSON in plain text
                return _parse(schema, text), text
            raise Unparsable(_first_line(out.get("parsing_error") or "empty answer"), text)
        message = self._invoke(self.model, messages)
        text = message.text
        self.meter.add_tokens(getattr(message, "usage_metadata", None), prompt_chars, len(text))
        return _parse(schema, text), text

    def _structured_runnable(self, schema: type[BaseModel]) -> Any:
        if schema not in self._structured:
            try:
                self._structured[schema] = self.model.with_structured_output(schema, include_raw=True)
            except (NotImplementedError, ValueError, TypeError):
                self._structured[schema] = None  # no tool calling: JSON in the text
        return self._structured[schema]

    def _invoke(self, runnable: Any, messages: list[BaseMessage]) -> Any:
        from langchain_core.exceptions import OutputParserException

        try:
            return runnable.invoke(messages)
        except (OutputParserException, ValidationError, json.JSONDecodeError) as ex:
            raise Unparsable(_first_line(ex), "") from None
        except VerifierError:
            raise
        except Exception as ex:  # connection refused, unknown model, authentication, a crashed runtime
            raise LLMUnavailableError(
                f"The language model {self.spec} did not answer: {type(ex).__name__}: {_first_line(ex)}"
            ) from None


def _messages(rendered: list[tuple[str, str]]) -> list[BaseMessage]:
    from langchain_core.messages import HumanMessage, SystemMessage

    return [SystemMessage(text) if role == "system" else HumanMessage(text) for role, text in rendered]


def _retry(messages: list[BaseMessage], raw: str, repair: list[tuple[str, str]]) -> list[BaseMessage]:
    from langchain_core.messages import AIMessage

    return [*messages, AIMessage(raw or "(no answer)"), *_messages(repair)]


def _parse(schema: type[T], text: str) -> T:
    """The first JSON object in `text` (code fences allowed), validated as `schema`."""
    body = _FENCE.sub("", text.strip())
    start, end = body.find("{"), body.rfind("}")
    if start < 0 or end <= start:
        raise Unparsable("the answer holds no JSON object", text)
    try:
        obj = json.loads(body[start : end + 1])
    except json.JSONDecodeError as ex:
        raise Unparsable(f"the answer is not valid JSON ({ex.msg})", text) from None
    if not isinstance(obj, dict):
        raise Unparsable("the answer is not a JSON object", text)
    return _validate(schema, obj, text)


def _validate(schema: type[T], obj: dict[str, Any], text: str) -> T:
    try:
        return schema.model_validate(obj)
    except ValidationError as ex:
        first = ex.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "answer"
        raise Unparsable(f"{where}: {first['msg']}", text) from None
