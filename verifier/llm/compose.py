"""The LLM branch of the composition root: the judge and/or extractor for `settings.llm`.

Called from `pipeline.build_checker` only when a model is named; it is the one place the LLM path's
concrete classes are put together."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from verifier.llm.budget import LLMMeter
from verifier.llm.cache import AnswerCache
from verifier.llm.chat import build_chat_model, parse_spec, require_langchain
from verifier.llm.client import LLMClient
from verifier.llm.extract import LLMClaimExtractor
from verifier.llm.judge import LLMJudge
from verifier.llm.prompts import load_prompt

if TYPE_CHECKING:
    from verifier.config import Settings


@dataclass(frozen=True)
class LLMParts:
    meter: LLMMeter
    judge: LLMJudge | None
    extractor: LLMClaimExtractor | None


def llm_components(settings: Settings, model: Any = None) -> LLMParts:
    """The LLM judge and extractor `settings.llm_role` asks for, over `model` (a LangChain chat model)
    when given, else the one `settings.llm` names."""
    require_langchain()
    if model is None:
        parsed = parse_spec(settings.llm or "")
        spec = str(parsed)
    else:
        spec = settings.llm or f"custom:{getattr(model, '_llm_type', type(model).__name__)}"
    # the prompts first: a missing template is reported before any model loads
    names = ("judge", "window", "extract", "sentence", "repair")
    prompts = {name: load_prompt(name, settings.prompts_dir) for name in names}
    if model is None:
        model = build_chat_model(parsed, settings)
    roles = ("extract", "judge") if settings.llm_role == "both" else (settings.llm_role,)
    meter = LLMMeter(model=spec, roles=roles, max_calls=settings.max_llm_calls)
    cache = AnswerCache(settings.llm_cache_dir) if settings.llm_cache else None
    client = LLMClient(model, spec, meter, prompts["repair"], cache)
    judge = (
        LLMJudge(client, prompts["judge"], prompts["window"], settings.llm_windows_per_passage)
        if "judge" in roles
        else None
    )
    extractor = (
        LLMClaimExtractor(client, prompts["extract"], prompts["sentence"], settings.llm_sentences_per_call)
        if "extract" in roles
        else None
    )
    return LLMParts(meter=meter, judge=judge, extractor=extractor)
