"""The Great Expectations gate between the warehouse build and publishing.

``expectations.raw`` builds the suites of the raw layer (per-file profiles and samples of
the raw tables ingest writes, and the load log); ``expectations.gate`` holds the entry point
``validate``, which the refresh calls. The marts are tested by dbt (``dbt_project/tests``),
not here. Every expectation carries a severity: ``critical`` blocks publishing, ``warning``
is shown on the data-quality page. ``expectations.common`` holds what they share.
"""

from expectations.gate import Check, GateResult, validate

__all__ = ["Check", "GateResult", "validate"]
