"""How many tokens a page holds, for an agent deciding what to read.

An estimate, not a tokenizer: ``ceil(characters / 4)``. Four characters per token is the
rule of thumb the major model vendors publish for English text with their BPE tokenizers;
Markdown with code usually runs a little denser (more tokens per character), so read the
figure as ±25 %. persona-kb ships no tokenizer because every exact one either downloads
its vocabulary at run time (tiktoken) or belongs to one vendor's models; the estimate is
the same everywhere, needs nothing, and is stable across versions, so the exported
``index.json`` does not drift between machines.
"""

from __future__ import annotations

TOKEN_METHOD = "estimate: ceil(characters / 4)"
"""How ``tokens`` figures in ``index.json`` were computed (written into the index)."""


def estimate_tokens(text: str) -> int:
    """The estimated token count of ``text`` (``ceil(len(text) / 4)``)."""
    return -(-len(text) // 4)
