"""How the FID page writes numbers: significant digits, scientific notation only where needed."""

from __future__ import annotations

import pytest

from models.fid.numbers import column_format, column_formats, sig


@pytest.mark.parametrize("x, text", [
    (140747.3006, "140,747"), (31.7612, "31.76"), (0.24934, "0.2493"), (0.0045123, "0.004512"),
    (1e-13, "1.0e-13"), (0.0, "0"), (float("nan"), "–"), (-484.2, "-484.2"), (9.99996, "10.00"),
    (2.59e4, "25,900"), (3e9, "3.0e+09"),
])
def test_sig(x, text):
    assert sig(x) == text


def test_column_formats_follow_the_typical_value():
    assert column_format([140747.3, 98231.0]) == "%.0f"
    assert column_format([0.2493, 0.0312, 0.5]) == "%.4f"
    assert column_format([3.2, 1.1, 1e-13]) == "%.3f"  # the tiny entry reads 0.000, as it should
    assert column_format([1e-13, 2e-13]) == "%.2e"
    assert column_format([float("nan")]) == "%.0f"
    # printf with that format gives 4 significant digits at the column's typical value
    assert "%.3f" % 3.14159 == "3.142"
    rows = [{"model": "a", "N": 3, "FID": 140747.3006, "KID": 0.25},
            {"model": "b", "N": 4, "FID": 31.76, "KID": 0.5}]
    assert column_formats(rows) == {"FID": "%.0f", "KID": "%.4f"}  # text and integer columns untouched
