from __future__ import annotations

from pathlib import Path

import pytest

from verifier.config import Settings, verifier_home
from verifier.errors import InputError


def test_defaults(isolated_home: Path) -> None:
    s = Settings.resolve()
    assert s.top_k == 8
    assert s.judge == "nli"
    assert s.home == isolated_home
    assert s.store_dir == isolated_home / "store"


def test_env_beats_default_and_flag_beats_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("VERIFIER_TOP_K", "3")
    monkeypatch.setenv("VERIFIER_JUDGE", "baseline")
    assert Settings.resolve().top_k == 3
    assert Settings.resolve(top_k=5).top_k == 5
    assert Settings.resolve(top_k=None).top_k == 3  # None means "flag not given"
    assert Settings.resolve(store=tmp_path / "s").store_dir == tmp_path / "s"
    assert Settings.resolve().judge == "baseline"


def test_invalid_values_are_one_line_input_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(InputError, match="top_k"):
        Settings.resolve(top_k=0)
    monkeypatch.setenv("VERIFIER_TOP_K", "many")
    with pytest.raises(InputError) as ex:
        Settings.resolve()
    assert "\n" not in str(ex.value)


def test_unknown_setting_is_rejected() -> None:
    with pytest.raises(InputError):
        Settings.resolve(colour="blue")


def test_settings_are_frozen() -> None:
    s = Settings.resolve()
    with pytest.raises(Exception):  # noqa: B017 - pydantic raises ValidationError
        s.top_k = 3  # type: ignore[misc]


def test_home_falls_back_to_platform_dir(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("VERIFIER_HOME")
    assert verifier_home().name == "verifier"
