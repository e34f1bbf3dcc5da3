"""A chat model from a `provider:model` spec. Provider packages are the user's choice and are imported
only when named (`--llm ollama:llama3.1` imports langchain-ollama, nothing else)."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from verifier.errors import InputError, LLMUnavailableError, MissingExtraError, UnknownBackendError

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from verifier.config import Settings


@dataclass(frozen=True, slots=True)
class Provider:
    module: str
    cls: str
    packages: str  # what to pip install
    model_arg: str  # the constructor argument naming the model


PROVIDERS: dict[str, Provider] = {
    "ollama": Provider("langchain_ollama", "ChatOllama", "langchain-ollama", "model"),
    "openai": Provider("langchain_openai", "ChatOpenAI", "langchain-openai", "model"),
    "anthropic": Provider("langchain_anthropic", "ChatAnthropic", "langchain-anthropic", "model"),
    "llamacpp": Provider(
        "langchain_community.chat_models",
        "ChatLlamaCpp",
        "langchain-community llama-cpp-python",
        "model_path",
    ),
}


@dataclass(frozen=True, slots=True)
class ModelSpec:
    provider: str
    model: str

    def __str__(self) -> str:
        return f"{self.provider}:{self.model}"


def parse_spec(spec: str) -> ModelSpec:
    provider, sep, model = spec.strip().partition(":")
    if not sep or not provider.strip() or not model.strip():
        raise InputError(f"--llm {spec!r}: name a model as provider:model, e.g. ollama:llama3.1")
    return ModelSpec(provider.strip().lower(), model.strip())


def require_langchain() -> None:
    try:
        importlib.import_module("langchain_core")
    except ImportError:
        raise MissingExtraError(
            "The LLM path needs LangChain: pip install 'verifier[llm]' (langchain-core)"
        ) from None


def build_chat_model(spec: ModelSpec, settings: Settings) -> BaseChatModel:
    """The chat model `spec` names; a missing GGUF file or provider package is one clear error."""
    require_langchain()
    kwargs: dict[str, Any] = {"temperature": settings.llm_temperature}
    if spec.provider == "llamacpp":
        path = Path(spec.model).expanduser()
        if not path.is_file():
            raise LLMUnavailableError(f"--llm {spec}: no GGUF model file at {path}")
        kwargs.update(
            model_path=str(path),
            n_ctx=settings.llm_context,
            max_tokens=settings.llm_max_tokens,
            verbose=False,
        )
    provider = PROVIDERS.get(spec.provider)
    if provider is None:
        return _init_chat_model(spec, kwargs)
    try:
        cls = getattr(importlib.import_module(provider.module), provider.cls)
    except ImportError:
        raise MissingExtraError(
            f"--llm {spec.provider}:...: needs {provider.packages}; pip install {provider.packages}"
        ) from None
    kwargs.setdefault(provider.model_arg, spec.model)
    try:
        model: BaseChatModel = cls(**kwargs)
    except Exception as ex:  # the provider's own load error (a corrupt GGUF, a missing API key)
        raise LLMUnavailableError(f"--llm {spec}: the model could not be loaded: {_first_line(ex)}") from None
    return model


def _init_chat_model(spec: ModelSpec, kwargs: dict[str, Any]) -> BaseChatModel:
    """Any other provider LangChain knows, through `langchain.chat_models.init_chat_model`."""
    try:
        init_chat_model = importlib.import_module("langchain.chat_models").init_chat_model
    except ImportError:
        raise UnknownBackendError(
            f"--llm {spec}: unknown provider {spec.provider!r}; choose from {', '.join(PROVIDERS)} "
            "(or pip install langchain for the others init_chat_model knows)"
        ) from None
    try:
        model: BaseChatModel = init_chat_model(spec.model, model_provider=spec.provider, **kwargs)
    except ImportError as ex:
        raise MissingExtraError(f"--llm {spec}: {_first_line(ex)}") from None
    except Exception as ex:
        raise LLMUnavailableError(f"--llm {spec}: the model could not be loaded: {_first_line(ex)}") from None
    return model


def _first_line(ex: object) -> str:
    text = " ".join(str(ex).split()) or type(ex).__name__
    return text if len(text) <= 200 else text[:197] + "..."
