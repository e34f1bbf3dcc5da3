"""What arithmetic this CPU runs natively, read once: every numeric path (embedding, judging,
reranking, training) picks its precision from here.

bf16 is used only where the CPU has it in hardware (AMX or AVX-512-BF16); elsewhere it is emulated and
several times slower than fp32, so fp32 (or int8 ONNX) is chosen instead.
"""

from __future__ import annotations

import os
import platform
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from verifier.config import PRECISION_ENV

Precision = Literal["bf16", "fp32"]


@dataclass(frozen=True, slots=True)
class CpuFeatures:
    model: str
    amx: bool
    avx512_bf16: bool
    avx512_vnni: bool
    avx512: bool
    avx2: bool
    avx_vnni: bool

    @property
    def native_bf16(self) -> bool:
        return self.amx or self.avx512_bf16

    @property
    def int8_dot(self) -> bool:
        """Integer dot-product instructions (VNNI), which make int8 matrix products fast."""
        return self.avx512_vnni or self.avx_vnni or self.amx

    @property
    def summary(self) -> str:
        names = ("amx", "avx512_bf16", "avx512_vnni", "avx512", "avx_vnni", "avx2")
        flags = [name for name in names if getattr(self, name)]
        return f"{self.model} [{', '.join(flags) or 'no avx2'}]"


def parse_cpuinfo(text: str) -> CpuFeatures:
    """Features from the text of /proc/cpuinfo (the first processor's `flags` line)."""
    flags: set[str] = set()
    model = ""
    for line in text.splitlines():
        key, _, value = line.partition(":")
        key = key.strip()
        if key == "flags" and not flags:
            flags = set(value.split())
        elif key == "model name" and not model:
            model = value.strip()
    return CpuFeatures(
        model=model or platform.processor() or platform.machine(),
        amx=bool({"amx_bf16", "amx_tile"} & flags),
        avx512_bf16="avx512_bf16" in flags,
        avx512_vnni="avx512_vnni" in flags,
        avx512="avx512f" in flags,
        avx2="avx2" in flags,
        avx_vnni="avx_vnni" in flags,
    )


@lru_cache(maxsize=1)
def cpu() -> CpuFeatures:
    """This machine's CPU features (Linux /proc/cpuinfo; elsewhere none are assumed: fp32 everywhere)."""
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        text = ""
    return parse_cpuinfo(text)


def precision() -> Precision:
    """The float arithmetic to run torch models in: `VERIFIER_PRECISION` (bf16/fp32) when set, else
    bf16 where the CPU runs it natively, fp32 otherwise."""
    forced = os.environ.get(PRECISION_ENV, "").strip().lower()
    if forced in ("bf16", "fp32"):
        return "bf16" if forced == "bf16" else "fp32"
    return "bf16" if cpu().native_bf16 else "fp32"
