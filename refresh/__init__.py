"""The refresh: ingest → dbt build → validation gate → publish. The only caller of the gate.

``python -m refresh --exports-dir DIR --warehouse FILE`` (``make refresh``).

Nothing published is ever written in place. The refresh copies the warehouse to a build
file beside it and works there; only when every stage has passed does it derive the
serving file (marts and operational tables, see ``settings.py``) and replace the
warehouse and the serving file, each with one atomic ``os.replace``. A refresh that fails
a stage, or is killed, leaves both as they were: the dashboard keeps serving the last good
data. A failed refresh still records itself in the refresh history, by republishing the
serving file with the same marts and one more history row. A lock file makes a second
refresh started meanwhile refuse with a clear message.

A refresh with nothing new (every file of the delivery seen before, and the config, the
dbt project and the gate's suites as the last publish had them: ``pipeline.fingerprint``)
runs no stage: it records a history row ("unchanged") and publishes nothing, in seconds.

Exit status: 0 published, or nothing new; every file loaded (bad rows quarantined); 1 published, but some
file was rejected or not recognised; 2 the refresh could not run or a stage failed, nothing
new was published.

Modules: ``pipeline`` (the stages in order), ``lock`` (the lock file and stage reporting),
``dbt`` (the dbt child process and its results), ``publish`` (the serving file and the
atomic replace), ``history`` (ops.refresh_history), ``__main__`` (the command line).
"""


class StageFailed(Exception):
    """A stage of the refresh failed: nothing new is published."""

    def __init__(self, stage: str, message: str, details: list | None = None):
        super().__init__(message)
        self.stage, self.details = stage, details or []
