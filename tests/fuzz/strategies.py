"""Settings and input strategies of the fuzz tests (issue 7 item 12).

The fuzz tests are marked `fuzz`, left out of `make test`, and run by `make fuzz` (the `fuzz`
leg of `.ci/run`) with a fixed seed (`--hypothesis-seed=0`), so a failure in CI reproduces
locally with the same command. FUZZ_SCALE multiplies every test's number of examples (default
1; `FUZZ_SCALE=10 make fuzz` searches longer); without `--hypothesis-seed` each run tries
other inputs.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st

FUZZ_SCALE = float(os.environ.get("FUZZ_SCALE", "1") or 1)


def fuzz_settings(max_examples: int) -> Callable[[Any], Any]:
    """Bounded, deadline-free settings for one fuzz test: `max_examples` times FUZZ_SCALE,
    no example database (nothing written under the working tree), reproduction blob shown."""
    return settings(
        max_examples=max(1, round(max_examples * FUZZ_SCALE)),
        deadline=None,
        database=None,
        print_blob=True,
        # no 'explain' phase: it traces coverage of every failing example, which is slow
        phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink],
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.filter_too_much,
            HealthCheck.large_base_example,
        ],
    )


# Text an attacker or a careless spreadsheet produces: any unicode, NUL and control
# characters, lone surrogates (which JSON's \ud800 escapes produce), long runs and many words.
SURROGATES = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)
nasty_text = st.one_of(
    st.text(max_size=20),
    st.text(st.characters(codec="utf-8"), max_size=40),
    st.text(st.one_of(SURROGATES, st.sampled_from("a \x00\n")), min_size=1, max_size=4),
    st.sampled_from(["", " ", "\x00", "\u202e", "\ufeff", "%", "_", "*", "'", '"', "\\", "<a>"]),
    st.sampled_from(["\ud800", "x\udfff", "\udbff\udbff"]),
    st.integers(1, 80).map(lambda n: " ".join(f"w{i}" for i in range(n))),
    st.sampled_from([5_000, 70_000]).map(lambda n: "x" * n),
)

# Numbers as JSON carries them: huge integers, extreme floats (NaN and infinities are written
# by json.dumps as NaN/Infinity, which Python's json reads back).
numbers = st.one_of(
    st.integers(),
    st.integers(-(10**400), 10**400),
    st.sampled_from([0, -1, 2**31, 2**63, -(2**63) - 1, 10**4299]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([1e308, -1e308, 5e-324, -0.0]),
)

json_scalars = st.one_of(st.none(), st.booleans(), numbers, nasty_text)


def json_values(leaves: st.SearchStrategy[Any] = json_scalars) -> st.SearchStrategy[Any]:
    """Nested JSON-like values (lists and objects of `leaves`), a few levels deep."""
    return st.recursive(
        leaves,
        lambda inner: st.one_of(
            st.lists(inner, max_size=4),
            st.dictionaries(st.one_of(nasty_text, st.just("name")), inner, max_size=4),
        ),
        max_leaves=12,
    )


def dumps(value: Any) -> str:
    """JSON as Python writes it (NaN and Infinity included, lone surrogates escaped)."""
    return json.dumps(value)
