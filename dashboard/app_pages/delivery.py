"""Leverans: the data steward's month, in the app.

Upload the month's export files; each is checked at once by ingest's own reader and
validation (``python -m ingest.check``, in its own process: dashboard/delivery.py) and
nothing is loaded: the export kind from the name (or the names expected), the encoding,
the header (missing and unknown columns, the columns found), the rows, and every row a
load would quarantine, in words, never a personnummer. A file loaded before with the same
name and content is recognised. The steward accepts the files into the delivery folder
(with who and when, for the load log) or discards them, then starts a refresh, which runs
as its own process; the page shows its stage while it runs and its result when it ends.
Nothing on this page writes into the warehouse.
"""

import datetime

import pandas as pd
import streamlit as st

from dashboard import delivery, formats
from dashboard.components import copy_link, page_user, show_table
from dashboard.labels import text
from dashboard.quarantine import explained
from dashboard.queries import delivery as queries

MB = 1024 * 1024
STEPS = delivery.STAGES[1:]  # the four stages of the refresh; "start" comes before them

st.title(text("delivery"))
copy_link()
st.caption(text("dl_intro"))
user = page_user()
delivery.remove_abandoned()
state = st.session_state
state.setdefault("upload_round", 0)
state.setdefault("upload_checks", {})
state.setdefault("upload_session", delivery.new_session_id())
limit = st.get_option("server.maxUploadSize")
uploads = st.file_uploader(text("dl_upload"), type=["csv", "xlsx"], accept_multiple_files=True,
                           key=f"upload-{state['upload_round']}",
                           help=text("dl_upload_help").format(limit=limit))
if state.get("accepted"):
    st.success(state["accepted"])


def staged(files) -> list[tuple]:
    """(uploaded file, its report) for each file that can be checked; the others refused."""
    folder = delivery.upload_folder(state["upload_session"])
    names = [f.name for f in files]
    usable = []
    for f in files:
        if f.size > limit * MB:
            st.error(text("dl_too_big").format(file=f.name, size=f"{f.size / MB:.1f}".replace(".", ","),
                                                limit=limit))
        elif names.count(f.name) > 1:
            st.error(text("dl_twice").format(file=f.name))
        else:
            usable.append(f)
    for path in folder.iterdir():  # a file removed from the uploader leaves the folder too
        if path.is_file() and path.name not in {f.name for f in usable}:
            path.unlink()
    new = [f for f in usable if f.file_id not in state["upload_checks"]]
    if new:
        paths = [delivery.stage(folder, f.name, f.getvalue()) for f in new]
        with st.spinner(text("dl_checking").format(n=len(new))):
            try:
                reports = delivery.check(paths)
            except (delivery.CheckFailed, OSError, ValueError) as err:
                st.error(text("dl_check_failed").format(error=err))
                st.stop()
        state["upload_checks"].update({f.file_id: r for f, r in zip(new, reports)})
    return [(f, state["upload_checks"][f.file_id], folder / f.name) for f in usable]


def earlier_loads(reports: list[dict]) -> pd.DataFrame:
    loads = queries.loads_of([r["file"] for r in reports])
    return loads if loads is not None else pd.DataFrame(
        columns=["file", "file_sha256", "load_id", "status", "finished_at"])


def show_report(report: dict, loads: pd.DataFrame) -> bool:
    """One file's check; whether it can be accepted."""
    st.markdown(f"**{report['file']}**")
    if report["status"] == "unknown_file":
        st.error(text("dl_unknown").format(names=", ".join(report["expected_names"])))
        return False
    st.write(text("dl_kind").format(kind=report["kind"]))
    if report["encoding"] and report["status"] == "ok":
        st.write(text("dl_encoding").format(
            encoding={"utf-8": "UTF-8", "cp1252": "Windows-1252"}.get(report["encoding"],
                                                                     report["encoding"]),
            bom=text("dl_bom") if report["bom"] else ""))
    for sheet in report["sheets"]:
        if sheet["missing"]:
            st.error(text("dl_header_missing").format(
                sheet=f" ({sheet['sheet']})" if sheet["sheet"] else "",
                missing=", ".join(sheet["missing"]), unexpected=", ".join(sheet["unexpected"]) or "–",
                found=", ".join(sheet["found"])))
    if report["status"] != "ok":
        st.error(text("dl_rejected").format(error=report["error"]))
        return False
    st.write(text("dl_header_ok").format(n=sum(len(s["found"]) for s in report["sheets"])))
    st.write(text("dl_rows").format(rows=report["rows_read"], quarantined=report["rows_quarantined"]))
    if report["warnings"]:
        st.warning(report["warnings"])
    mine = loads[loads["file"] == report["file"]]
    same = mine[(mine["file_sha256"] == report["sha256"]) & mine["status"].isin(["loaded", "rejected"])]
    acceptable = True
    if not same.empty:
        st.info(text("dl_loaded_before").format(when=formats.datetime(same['finished_at'].iloc[0]),
                                                load=same["load_id"].iloc[0]))
        acceptable = False
    elif delivery.waiting_in_delivery(report["file"], report["sha256"]):
        st.info(text("dl_waiting"))
        acceptable = False
    elif not mine[mine["status"] == "loaded"].empty:
        st.info(text("dl_replaces").format(when=formats.datetime(mine['finished_at'].iloc[0])))
    if report["problems"]:
        st.caption(text("dl_problems"))
        problems = pd.DataFrame(report["problems"])
        table = explained(problems)
        if problems["sheet"].notna().any():
            table.insert(0, text("dl_sheet"), problems["sheet"])
        show_table(table, f"kontroll_{report['file'].rsplit('.', 1)[0]}", f"check-{report['sha256']}")
    else:
        st.caption(text("dl_no_problems"))
    return acceptable


if uploads:
    checked = staged(uploads)
    loads = earlier_loads([r for _, r, _ in checked])
    ready = []
    for uploaded, report, path in checked:
        with st.container(border=True):
            if show_report(report, loads):
                ready.append((path, report["sha256"]))
    left, right = st.columns(2)
    if left.button(text("dl_accept").format(n=len(ready)), disabled=not ready, type="primary"):
        names = delivery.accept(ready, user.name)
        delivery.discard(delivery.upload_folder(state["upload_session"]))
        state["accepted"] = text("dl_accepted").format(user=user.name, files=", ".join(names))
        state["upload_round"] += 1
        state["upload_checks"] = {}
        st.rerun()
    if right.button(text("dl_discard")):
        delivery.discard(delivery.upload_folder(state["upload_session"]))
        state.pop("accepted", None)
        state["upload_round"] += 1
        state["upload_checks"] = {}
        st.rerun()


def since_seconds(since: str) -> int:
    """Seconds since a time of day HH:MM:SS (today, or yesterday before midnight)."""
    now = datetime.datetime.now()
    then = datetime.datetime.combine(now.date(), datetime.time.fromisoformat(since))
    return int((now - then).total_seconds()) % 86400


def show_running(now: delivery.Running) -> None:
    step = STEPS.index(now.stage) + 1 if now.stage in STEPS else 0
    st.info(text("dl_refresh_running").format(pid=now.pid, step=step, steps=len(STEPS),
                                              stage=text(f"stage_{now.stage}"), since=now.since))
    previous = queries.last_stage_seconds()
    elapsed = since_seconds(now.since)
    before = STEPS[:max(step - 1, 0)]
    total = sum(previous.get(s, 0) for s in STEPS)
    if total:
        done = sum(previous.get(s, 0) for s in before) + min(elapsed, previous.get(now.stage, 0))
        fraction = min(done / total, 0.99)
    else:
        fraction = len(before) / len(STEPS)
    last = previous.get(now.stage)
    st.progress(fraction, text=text("dl_refresh_progress").format(
        elapsed=elapsed, previous=text("dl_refresh_previous").format(seconds=round(last))
        if last else ""))


def show_result(started: dict) -> None:
    """The result of the refresh this session started, from the refresh history."""
    row = queries.refresh_since(started["at"])
    if row is None or row.empty:
        st.warning(text("dl_refresh_output"))
        st.code(delivery.refresh_output(started["offset"]) or "–")
        return
    r = row.iloc[0]
    when = formats.datetime(r['finished_at'])
    if r["result"] == "published":
        st.success(text("dl_refresh_published").format(
            when=when, loaded=r["files_loaded"], rejected=r["files_rejected"],
            quarantined=r["rows_quarantined"]))
    elif r["result"] == "unchanged":
        st.info(text("dl_refresh_unchanged").format(when=when))
    else:
        st.error(text("dl_refresh_failed").format(stage=r["failed_stage"], when=when,
                                                  message=r["message"]))


st.subheader(text("dl_refresh"))
st.caption(text("dl_refresh_schedule"))
started = state.get("refresh_started")
ours_alive = started is not None and delivery.process_alive(started["pid"])
now_running = delivery.running()


@st.fragment(run_every=2 if (now_running or ours_alive) else None)
def refresh_panel() -> None:
    now = delivery.running()
    mine = state.get("refresh_started")
    alive = mine is not None and delivery.process_alive(mine["pid"])
    if now is not None:
        state["refresh_seen_running"] = True
        show_running(now)
    elif alive:
        st.info(text("dl_refresh_starting"))
    elif mine is not None:
        if state.pop("refresh_seen_running", False):
            st.rerun()  # the whole page, so that it reads the newly published data
        show_result(mine)
    if st.button(text("dl_refresh_start"), disabled=now is not None or alive, type="primary"):
        if delivery.running() is not None:
            st.warning(text("dl_refresh_busy"))
            return
        pid, offset = delivery.start_refresh()
        state["refresh_started"] = {"pid": pid, "offset": offset,
                                    "at": datetime.datetime.now().isoformat(timespec="seconds")}
        st.rerun()


refresh_panel()
