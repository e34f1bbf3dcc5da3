"""CPU feature detection and the precision it picks (no model)."""

from __future__ import annotations

import pytest

from verifier import hardware
from verifier.config import PRECISION_ENV

AMD_AVX2 = """processor\t: 0
vendor_id\t: AuthenticAMD
model name\t: AMD EPYC
flags\t\t: fpu sse sse2 ssse3 fma avx avx2 bmi2
"""
XEON_AMX = """processor\t: 0
model name\t: Intel(R) Xeon(R) Platinum 8488C
flags\t\t: fpu avx avx2 avx512f avx512_vnni avx512_bf16 amx_bf16 amx_tile amx_int8
processor\t: 1
flags\t\t: fpu
"""


def test_an_avx2_only_cpu_gets_fp32() -> None:
    cpu = hardware.parse_cpuinfo(AMD_AVX2)
    assert cpu.avx2 and not (cpu.amx or cpu.avx512_bf16 or cpu.avx512_vnni)
    assert not cpu.native_bf16 and not cpu.int8_dot
    assert cpu.summary == "AMD EPYC [avx2]"


def test_a_cpu_with_amx_gets_bf16_and_the_first_processor_decides() -> None:
    cpu = hardware.parse_cpuinfo(XEON_AMX)
    assert cpu.amx and cpu.avx512_bf16 and cpu.avx512_vnni and cpu.native_bf16 and cpu.int8_dot
    assert cpu.model.startswith("Intel(R) Xeon(R)")


def test_no_cpuinfo_assumes_nothing() -> None:
    cpu = hardware.parse_cpuinfo("")
    assert not cpu.native_bf16 and not cpu.avx2


@pytest.mark.parametrize("forced", ["bf16", "fp32"])
def test_the_environment_overrides_the_choice(monkeypatch: pytest.MonkeyPatch, forced: str) -> None:
    monkeypatch.setenv(PRECISION_ENV, forced)
    assert hardware.precision() == forced


def test_the_choice_follows_this_cpu(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(PRECISION_ENV, raising=False)
    assert hardware.precision() == ("bf16" if hardware.cpu().native_bf16 else "fp32")
