"""The Great Expectations gate between the warehouse build and publishing.

One module per layer: ``expectations.raw`` (the raw tables ingest writes, and the load log),
``expectations.marts`` (the dbt marts, through their public contract) and
``expectations.gate`` (the entry point ``validate``, which the refresh calls). Every
expectation carries a severity: ``critical`` blocks publishing, ``warning`` is shown on the
data-quality page. ``expectations.common`` holds what the layers share.
"""

from expectations.gate import Check, GateResult, validate

__all__ = ["Check", "GateResult", "validate"]
