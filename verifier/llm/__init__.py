"""The optional language-model path (`pip install verifier[llm]`, `--llm provider:model`).

Second implementations of the `Judge` and `ClaimExtractor` protocols over any LangChain chat model,
prompts read from the repository's `prompts/` folder, call budgets, an on-disk answer cache, and the
evidence store as a LangChain retriever. Nothing here is imported unless a model is named (or
`verifier.as_langchain_retriever` is used), and LangChain itself only inside these modules.
"""
