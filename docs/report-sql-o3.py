"""Time one report's SQL through an opt-level 3 DuckDB (the official Python
client), to compare with the targets of issue 15, which are set for DuckDB
at opt-level 3 while the dev profile builds it at opt-level 1, as -Og (README "Set
up"). Runs the library version's report queries in the order deskql runs
them (history window, period, `prepare` if any, cards, the tables,
`release`) on a new read-only connection per run, and prints the median of
the runs and each run, in seconds. Not part of deskql nor of its tests.

    python3 docs/report-sql-o3.py DB VERSION company|user ACCOUNT USER|- OFFICE(0|1) RUNS

VERSION must be the version installed in schema `metrics` of DB.
"""
import pathlib
import statistics
import sys
import time
import tomllib

import duckdb

db, version, kind, account, user, office, runs = sys.argv[1:8]
root = pathlib.Path(__file__).resolve().parent.parent / "sql" / "library"
library = tomllib.loads((root / version / "library.toml").read_text())


def sections(path):
    text = (root / path).read_text()
    out = {}
    for part in text.split("-- name: ")[1:]:
        name, body = part.split("\n", 1)
        out[name.strip()] = body.strip().rstrip(";")
    return out


common = sections(library["reports"]["common"])
queries = sections(library["reports"][kind])
office = office == "1"
parameters = {
    "account": int(account), "date_from": "2026-10-01", "date_to": "2026-11-01", "zone": None, "snap": None,
    "inboxes": None, "channels": None, "with_tags": None, "viewer": None, "users": None if user == "-" else user,
    "office_hours": office, "team": None, "by": "day", "top": 10, "rating": None, "from_day": "2026-10-01",
}
TABLES = ["daily", "busiest_time", "busiest_range", "top_users", "conversations", "ratings", "tags", "customers"]


def run(conn, sql):
    conn.execute(sql, {k: v for k, v in parameters.items() if f"${k}" in sql}).fetchall()


def script(conn, name):
    for statement in queries.get(name, "").split(";"):
        if statement.strip():
            run(conn, statement)


def once():
    conn = duckdb.connect(db, read_only=True)
    started = time.time()
    run(conn, common["history_window"])
    run(conn, common["period"])
    script(conn, "prepare")
    run(conn, queries["cards"])
    for table in TABLES:
        name = table + "_office_hours" if office and table + "_office_hours" in queries else table
        if name in queries:
            run(conn, queries[name])
    script(conn, "release")
    elapsed = time.time() - started
    conn.close()
    return elapsed


times = [once() for _ in range(int(runs))]
print(f"{statistics.median(times):.2f}", [round(t, 3) for t in times])
