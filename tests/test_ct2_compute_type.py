"""The CTranslate2 engine's CPU compute type: float32 where MKL's int8 is slow (an x86 CPU not
Intel's), int8 everywhere else and whenever the user turned MKL off."""

from __future__ import annotations

import pytest

from mt.engines.ctranslate2_engine import cpu_compute_type


@pytest.mark.parametrize(("machine", "vendor", "use_mkl", "expected"), [
    ("x86_64", "AuthenticAMD", "1", "float32"),
    ("x86_64", "GenuineIntel", "1", "int8"),
    ("x86_64", "AuthenticAMD", "0", "int8"),  # CTranslate2's own int8 kernels: fast
    ("aarch64", None, "1", "int8"),  # no MKL there
])
def test_compute_type_follows_the_cpu(monkeypatch, tmp_path, machine, vendor, use_mkl, expected):
    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text(f"processor\t: 0\nvendor_id\t: {vendor}\nmodel name\t: a CPU\n"
                       if vendor else "processor\t: 0\nBogoMIPS\t: 50.00\n")
    monkeypatch.setattr("platform.machine", lambda: machine)
    monkeypatch.setenv("CT2_USE_MKL", use_mkl)
    assert cpu_compute_type(cpuinfo) == expected
