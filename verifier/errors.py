"""Errors meant for the user. The CLI prints their message on one line and exits 1."""

from __future__ import annotations


class VerifierError(Exception):
    """Base class: the message is shown to the user as is."""


class InputError(VerifierError):
    """Bad user input: an empty claim, an unreadable or binary file."""


class SourceReadError(InputError):
    """A source or article file could not be read as text."""


class StoreError(VerifierError):
    """The evidence store is missing, corrupted or unusable."""


class StoreNotFoundError(StoreError):
    """No store at the given path."""


class EmbeddingMismatchError(StoreError):
    """The store was built with another embedding model."""


class FormatMismatchError(StoreError):
    """The store was written by a verifier that indexed passages differently (another format version)."""


class StoreLockedError(StoreError):
    """Another local process is writing to the store; the message names its pid."""


class StoreInconsistentError(StoreError):
    """`verifier store verify` found parts of a store that disagree; the message names them."""


class ModelLoadError(VerifierError):
    """A packaged model could not be found or loaded."""


class UnknownBackendError(VerifierError):
    """A judge, extractor or other backend name that is not registered."""


class MissingExtraError(VerifierError):
    """An optional dependency is not installed; the message names the extra."""


class EvalDataError(VerifierError):
    """Malformed gold data; the message names the file and line."""


class LLMUnavailableError(VerifierError):
    """The language model named by `--llm` could not be loaded or reached."""
