"""The gate: validate a warehouse build with Great Expectations before it is published.

``validate(warehouse, context_dir, docs_dir, load_ids)`` validates the raw layer (the rows
of ``load_ids``, else every current row) through one read-only DuckDB connection, on
bounded inputs only (``expectations.raw``): per raw table a per-file profile computed in
DuckDB (one row per loaded file, a column per check) and a sample of its rows, plus the
load log. No table is read into Python. Each frame is one whole-dataframe batch of GX's
pandas datasource (GX's SQL datasource does not work over duckdb_engine). The marts are
tested by dbt (``dbt_project/tests``), not here: each check is made once. It builds Data
Docs into ``docs_dir`` and returns a ``GateResult``: ``passed`` is False iff a critical
expectation failed.

The GX file data context lives in ``context_dir``. Its datasource, assets, suites,
validation definitions and checkpoints (one of each per suite, named after the suite, e.g.
``raw.af_manadsstatus``) are created or updated on every call, so running twice neither
fails nor duplicates anything. The context keeps the validation results of the last
``KEEP_RUNS`` calls; its Data Docs site (in the context) shows those runs and the current
suites, with each expectation's severity in its notes. Each call renders only its own
pages, then copies the site beside ``docs_dir`` and swaps it in, so a link to
``docs_dir/index.html`` never shows half a site.

Progress: a rich progress bar per frame validated, on stderr (``progress=False`` turns
them off); GX's own tqdm bars are switched off in the context.
"""

import copy  # noqa: E402
import datetime  # noqa: E402
import hashlib  # noqa: E402
import json  # noqa: E402
import shutil  # noqa: E402
import time  # noqa: E402
from dataclasses import asdict, dataclass, field  # noqa: E402
from pathlib import Path  # noqa: E402

import duckdb  # noqa: E402
import great_expectations as gx  # noqa: E402
from great_expectations.core.run_identifier import RunIdentifier  # noqa: E402
from great_expectations.data_context.types.base import ProgressBarsConfig  # noqa: E402
from great_expectations.data_context.types.resource_identifiers import (  # noqa: E402
    ExpectationSuiteIdentifier,
)
from rich.console import Console  # noqa: E402
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn  # noqa: E402

import settings  # noqa: E402
from expectations import (
    common,  # noqa: F401  (sets GX_ANALYTICS_ENABLED before GX loads)
    raw,  # noqa: E402
)
from expectations.common import CRITICAL, WARNING, Target, number, percent  # noqa: E402

DATASOURCE = "kedjan_warehouse"
BATCH_DEFINITION = "whole_table"
SITE = "kedjan"
SITE_DIRECTORY = "uncommitted/data_docs/kedjan/"  # in the context; copied to docs_dir
KEEP_RUNS = 3  # validation runs kept in the context (and shown in Data Docs)
# Every frame is bounded (a row per file, per month, or a sample): the complete list of
# failing rows is small, and a profile check needs all of them to count the rows behind.
RESULT_FORMAT = {"result_format": "COMPLETE"}
EXAMPLES = 3  # files (load log rows, months) named in a check's details


@dataclass
class Check:
    suite: str
    table: str
    expectation: str  # GX expectation type, e.g. expect_column_values_to_be_in_set
    column: str | None  # one column, "A, B" for a pair or a compound key
    severity: str  # critical | warning
    success: bool
    unexpected_count: int | None  # rows (for the load log files, months) that failed;
    # None: table-level, or not evaluated
    details: str
    skipped: bool = False  # not run: a table or column it needs does not exist

    @property
    def status(self) -> str:
        return "skipped" if self.skipped else "passed" if self.success else "failed"


@dataclass
class GateResult:
    passed: bool  # False iff a critical expectation failed
    checks: list[Check] = field(default_factory=list)
    run_name: str = ""
    started_at: str = ""
    seconds: float = 0.0
    data_docs: str | None = None  # index.html of the Data Docs

    @property
    def failures(self) -> list[Check]:
        return [c for c in self.checks if not c.success and c.severity == CRITICAL]

    @property
    def warnings(self) -> list[Check]:
        return [c for c in self.checks if not c.success and c.severity == WARNING]

    @property
    def skipped(self) -> list[Check]:
        return [c for c in self.checks if c.skipped]

    def to_json(self) -> str:
        data = asdict(self)
        for check, row in zip(self.checks, data["checks"]):
            row["status"] = check.status
        data["summary"] = {
            "checks": len(self.checks), "failed_critical": len(self.failures),
            "failed_warning": len(self.warnings), "skipped": len(self.skipped),
        }
        return json.dumps(data, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> "GateResult":
        data = json.loads(text)
        data.pop("summary", None)
        checks = []
        for row in data.pop("checks"):
            row.pop("status", None)
            checks.append(Check(**row))
        return cls(checks=checks, **data)


def validate(warehouse: Path, context_dir: Path, docs_dir: Path,
             load_ids: list[int] | None = None, *, progress: bool = True) -> GateResult:
    """Validate the raw tables (rows of ``load_ids``, else current rows) and the load log."""
    started = datetime.datetime.now(datetime.timezone.utc)
    clock = time.perf_counter()
    warehouse, context_dir, docs_dir = Path(warehouse), Path(context_dir), Path(docs_dir)
    if not warehouse.is_file():
        raise FileNotFoundError(f"No warehouse file at {warehouse}.")
    context = _context(context_dir)
    run_name = f"kedjan-{started:%Y%m%dT%H%M%S%fZ}"
    run_id = RunIdentifier(run_name=run_name, run_time=started)
    checks: list[Check] = []
    rendered: list = []  # validation results and changed suites: their pages are rebuilt
    console = Console(stderr=True)
    columns = (TextColumn("{task.description:<42}"), BarColumn(),
               TextColumn("{task.fields[size]:>12}"), TimeElapsedColumn())
    # Open while validating: a failing profile check fetches its example rows.
    with _connect(warehouse) as con, Progress(*columns, console=console,
                                              transient=not console.is_terminal,
                                              disable=not progress) as bars:
        for target in raw.targets(con, load_ids):
            checks += [_skipped_check(target, s) for s in target.skipped]
            if target.frame is None:
                continue
            size = len(target.frame)
            task = bars.add_task(f"validate {target.suite}", total=1,
                                 size=f"{number(size)} {target.unit}{'' if size == 1 else 's'}")
            try:
                checkpoint, changed = _checkpoint(context, target)
                result = checkpoint.run(batch_parameters={"dataframe": target.frame},
                                        run_id=run_id)
            except Exception as err:  # the gate cannot vouch for this table: block
                checks.append(Check(target.suite, target.table, "checkpoint", None, CRITICAL,
                                    False, None, "the validation could not run: "
                                    f"{type(err).__name__}: {str(err)[:300]}"))
                bars.update(task, advance=1)
                continue
            for key, run_result in result.run_results.items():
                checks += [_check(target, r) for r in run_result.results]
                rendered.append(key)
            if changed or not _suite_page(context, target.suite).is_file():
                rendered.append(ExpectationSuiteIdentifier(name=target.suite))
            bars.update(task, advance=1)
    pruned = _prune(context, KEEP_RUNS)
    index = _build_docs(context, docs_dir, rendered, pruned)
    return GateResult(
        passed=not any(c.severity == CRITICAL and not c.success for c in checks),
        checks=checks, run_name=run_name, started_at=started.isoformat(timespec="seconds"),
        seconds=round(time.perf_counter() - clock, 3), data_docs=str(index),
    )


def _connect(warehouse: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the warehouse file, open while the gate validates.

    DuckDB's memory limit is the refresh's (``settings.MEMORY_LIMIT``); past it the
    duplicate-key window of a large table spills to ``<warehouse>.tmp`` (DuckDB's own
    default place, which the refresh cleans up with a killed build's leftovers).
    When this process already holds the file open read-write (dbt-duckdb keeps its database
    open after an in-process ``dbt build``), DuckDB refuses a read-only connection to the
    same file; the gate then shares that database instance and only reads from it.
    """
    config = {"memory_limit": settings.MEMORY_LIMIT, "temp_directory": f"{warehouse}.tmp"}
    try:
        con = duckdb.connect(str(warehouse), read_only=True, config=config)
    except duckdb.ConnectionException as err:
        if "different configuration" not in str(err):
            raise
        con = duckdb.connect(str(warehouse))
    con.execute("SET enable_progress_bar = false")  # the gate draws its own
    return con


# --- the GX context ------------------------------------------------------------------------

def _context(context_dir: Path):
    """The file data context in ``context_dir``, set up (idempotently) for Kedjan."""
    context_dir.mkdir(parents=True, exist_ok=True)
    context = gx.get_context(mode="file", project_root_dir=str(context_dir))
    changed = False
    bars = context.variables.progress_bars  # a ProgressBarsConfig, or a dict once saved
    bars = dict(bars) if isinstance(bars, dict) else vars(bars) if bars is not None else {}
    if bars.get("globally", True) or bars.get("metric_calculations", True):
        context.variables.progress_bars = ProgressBarsConfig(globally=False,
                                                             metric_calculations=False)
        changed = True
    if context.variables.analytics_enabled is not False:
        context.variables.analytics_enabled = False
        changed = True
    if changed:
        context.variables.save()
    site = {
        "class_name": "SiteBuilder",
        "show_how_to_buttons": False,
        "store_backend": {"class_name": "TupleFilesystemStoreBackend",
                          "base_directory": SITE_DIRECTORY},
        "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
    }
    sites = context.get_config().data_docs_sites or {}
    if SITE not in sites:
        context.add_data_docs_site(SITE, site)
    elif sites[SITE] != site:
        context.update_data_docs_site(SITE, site)
    return context


def _checkpoint(context, target: Target):
    """The checkpoint of a target (and whether it changed), with its suite, asset, batch
    and validation definition.

    Created on first use and updated when the suite changed. A suite carries a fingerprint
    of its expectations, so an unchanged one is not rewritten (GX's add_or_update compares
    expectation by expectation, which is slow for a whole warehouse).
    """
    fingerprint = _fingerprint(target)
    try:
        checkpoint = context.checkpoints.get(target.suite)
        (definition,) = checkpoint.validation_definitions
        if (definition.suite.meta.get("fingerprint") == fingerprint
                and definition.data.name == BATCH_DEFINITION
                and definition.data.data_asset.name == target.suite
                and definition.data.data_asset.datasource.name == DATASOURCE):
            return checkpoint, False
    except Exception:  # missing, or stored by an older version: (re)build it below
        pass
    try:
        source = context.data_sources.get(DATASOURCE)
    except KeyError:
        source = context.data_sources.add_pandas(DATASOURCE)
    try:
        asset = source.get_asset(target.suite)
    except LookupError:
        asset = source.add_dataframe_asset(target.suite)
    try:
        batch = asset.get_batch_definition(BATCH_DEFINITION)
    except KeyError:
        batch = asset.add_batch_definition_whole_dataframe(BATCH_DEFINITION)
    suite = gx.ExpectationSuite(
        name=target.suite, expectations=[copy.copy(e) for e in target.expectations],
        meta={"table": target.table, "fingerprint": fingerprint})
    definition = gx.ValidationDefinition(name=target.suite, data=batch, suite=suite)
    # Cascades: the validation definition and the suite are added or updated with it.
    return context.checkpoints.add_or_update(gx.Checkpoint(
        name=target.suite, validation_definitions=[definition], actions=[],
        result_format=RESULT_FORMAT)), True


def _fingerprint(target: Target) -> str:
    configs = [e.configuration.to_json_dict() for e in target.expectations]
    for config in configs:
        config.pop("id", None)
    text = json.dumps([target.table, RESULT_FORMAT, configs], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _prune(context, keep: int) -> set[str]:
    """Keep the validation results of the last ``keep`` runs; the run names dropped."""
    store = context.validation_results_store
    keys = store.list_keys()
    runs = sorted({str(k.run_id.run_name) for k in keys})
    old = set(runs[:-keep]) if keep else set(runs)
    for key in keys:
        if str(key.run_id.run_name) in old:
            store.remove_key(key)
    return old


def _build_docs(context, docs_dir: Path, rendered: list, pruned: set[str]) -> Path:
    """Update the Data Docs site in the context and publish a copy as ``docs_dir``.

    Only the pages of this run's validation results and of changed suites are rendered
    (and the index); pages of pruned runs are deleted. The copy is made beside
    ``docs_dir`` and swapped in, so the folder is never half written.
    """
    site = Path(context.root_directory) / SITE_DIRECTORY
    full = not (site / "index.html").is_file()
    if not full:
        validations = site / "validations"
        for folder in sorted(validations.rglob("*"), reverse=True) if validations.is_dir() else []:
            if folder.is_dir() and folder.name in pruned:
                shutil.rmtree(folder, ignore_errors=True)
    context.build_data_docs(site_names=[SITE], resource_identifiers=None if full else rendered)
    docs_dir = docs_dir.resolve()
    build, old = (docs_dir.parent / f".{docs_dir.name}.build",
                  docs_dir.parent / f".{docs_dir.name}.old")
    docs_dir.parent.mkdir(parents=True, exist_ok=True)
    for leftover in (build, old):
        shutil.rmtree(leftover, ignore_errors=True)
    shutil.copytree(site, build)
    if docs_dir.exists():
        docs_dir.rename(old)
    build.rename(docs_dir)
    shutil.rmtree(old, ignore_errors=True)
    return docs_dir / "index.html"


def _suite_page(context, suite: str) -> Path:
    site = Path(context.root_directory) / SITE_DIRECTORY
    return site / "expectations" / (suite.replace(".", "/") + ".html")


# --- results as checks -----------------------------------------------------------------------

def _skipped_check(target: Target, skipped) -> Check:
    if skipped.problem is not None:  # a column it needs is missing or of another type
        return Check(target.suite, target.table, skipped.expectation, skipped.column,
                     skipped.severity, False, None,
                     f"could not be evaluated ({skipped.problem}): {skipped.reason}")
    return Check(target.suite, target.table, skipped.expectation, skipped.column,
                 skipped.severity, True, None, f"skipped: {skipped.reason}", skipped=True)


def _check(target: Target, result) -> Check:
    config = result.expectation_config
    kwargs, meta = config.kwargs, config.meta or {}
    if "column" in meta:  # a profile's measure: report the raw column it is about
        column = meta["column"]
    elif "column_A" in kwargs:
        column = f"{kwargs['column_A']}, {kwargs['column_B']}"
    elif "column_list" in kwargs:
        column = ", ".join(kwargs["column_list"])
    else:
        column = kwargs.get("column")
    severity = getattr(config.severity, "value", config.severity)
    outcome = result.result or {}
    unexpected = outcome.get("unexpected_count")
    failing = outcome.get("unexpected_index_list") or []
    if unexpected is not None and "rows" in meta:  # failing files: count their rows
        unexpected = sum(int(target.frame.loc[i, meta["rows"]]) for i in failing)
    error = _exception(result)
    success = bool(result.success) and error is None
    return Check(
        suite=target.suite, table=target.table, expectation=config.type, column=column,
        severity=str(severity), success=success,
        unexpected_count=None if unexpected is None or error else int(unexpected),
        details=_details(target, config, outcome, success, error),
    )


def _exception(result) -> str | None:
    """The message of an exception GX caught while evaluating an expectation, if any."""
    info = result.exception_info or {}
    found = [info] if "raised_exception" in info else list(info.values())
    for item in found:
        if isinstance(item, dict) and (item.get("raised_exception")
                                       or item.get("exception_message")):
            message = str(item.get("exception_message") or "error").strip().splitlines()
            return message[-1][:200] if message else "error"
    return None


def _details(target: Target, config, outcome: dict, success: bool, error: str | None) -> str:
    meta = config.meta or {}
    problem = meta.get("problem", config.type)
    unit = meta.get("unit", "row")
    if error is not None:
        return f"could not be evaluated ({problem}): {error}"
    unexpected = outcome.get("unexpected_count")
    if unexpected is None:  # a table-level expectation
        if success:
            return "ok"
        missing = ((outcome.get("details") or {}).get("mismatched") or {}).get("missing")
        if missing:
            return f"{problem}: {', '.join(missing)}"
        observed = outcome.get("observed_value")
        return problem + (f" (found {observed})" if observed not in (None, "", {}) else "")
    if "rows" in meta:
        return _profile_details(target, meta, outcome.get("unexpected_index_list") or [],
                                config.kwargs["column"])
    if success:
        return "ok"
    count = int(unexpected)
    text = f"{_count(count, unit)} {problem}"
    indexes = outcome.get("unexpected_index_list") or []
    if indexes:
        labels = [target.label(i) for i in indexes[:EXAMPLES]]
        text += f": {'; '.join(labels)}{', …' if count > len(labels) else ''}"
    return text


def _profile_details(target: Target, meta: dict, failing: list, measure: str) -> str:
    """Which files fail a profile check, how many of their rows, and example rows:
    "f.csv: 1 row with X after the export date (e.g. row 3: 2012-04-02)"."""
    frame, problem, rows = target.frame, meta["problem"], meta["rows"]
    if not failing:
        found = int(frame[rows].sum())  # a share check: some empty values, few enough
        return f"ok: {_count(found, 'row')} {problem}" if found else "ok"
    files = []  # (file, its failing rows in words, " (e.g. row 3: …)")
    for i in failing[:EXAMPLES]:
        n, total = int(frame.loc[i, rows]), int(frame.loc[i, "rows"])
        count = _count(n, "row") if rows == measure else \
            f"{number(n)} of {_count(total, 'row')} ({percent(n / total)} %)"
        examples = target.examples(measure, frame.loc[i, "_load_id"]) if target.examples else []
        files.append((frame.loc[i, "_file"], count,
                      f" (e.g. {', '.join(examples)})" if examples else ""))
    if len(failing) == 1:
        ((file, count, examples),) = files
        return f"{file}: {count} {problem}{examples}"
    total = sum(int(frame.loc[i, rows]) for i in failing)
    return (f"{_count(total, 'row')} in {number(len(failing))} files {problem}: "
            + "; ".join(f"{file}: {count}{examples}" for file, count, examples in files)
            + ("; …" if len(failing) > EXAMPLES else ""))


def _count(n: int, unit: str) -> str:
    return f"{number(n)} {unit if n == 1 else unit + 's'}"
