"""Crash-safe result store for validation runs (stdlib ``sqlite3``).

One database file, ``<out_dir>/results.sqlite``, holds every finished task of
every experiment. A *task* is one ``(experiment, config_hash, point_key,
trial)``; its result is a list of JSON rows (one per strategy and sweep
value). :meth:`ResultStore.add` writes a task and all its rows in ONE
transaction, so a run killed at any instant (SIGKILL included) leaves each
task either fully recorded or absent: a rerun recomputes only absent tasks.

The database runs in WAL mode with ``synchronous=NORMAL``: a committed
transaction survives a process kill (the WAL is on disk); only an operating
system crash may lose the last few commits, never corrupt earlier ones.

Only the coordinating process writes; workers return their rows to it.

Schema::

    configs(experiment, config_hash, config_json)            -- what was run
    tasks(experiment, config_hash, point_key, trial, seed, elapsed_s, finished_at)
    rows(experiment, config_hash, point_key, trial, idx, data_json)
"""

from __future__ import annotations

import json
import sqlite3
import time
from contextlib import contextmanager
from pathlib import Path

from dctheory.errors import ConfigError

_SCHEMA = """
CREATE TABLE IF NOT EXISTS configs (
    experiment TEXT NOT NULL,
    config_hash TEXT NOT NULL,
    config_json TEXT NOT NULL,
    PRIMARY KEY (experiment, config_hash)
);
CREATE TABLE IF NOT EXISTS tasks (
    experiment TEXT NOT NULL,
    config_hash TEXT NOT NULL,
    point_key TEXT NOT NULL,
    trial INTEGER NOT NULL,
    seed TEXT NOT NULL,
    elapsed_s REAL NOT NULL,
    finished_at REAL NOT NULL,
    PRIMARY KEY (experiment, config_hash, point_key, trial)
);
CREATE TABLE IF NOT EXISTS rows (
    experiment TEXT NOT NULL,
    config_hash TEXT NOT NULL,
    point_key TEXT NOT NULL,
    trial INTEGER NOT NULL,
    idx INTEGER NOT NULL,
    data_json TEXT NOT NULL,
    PRIMARY KEY (experiment, config_hash, point_key, trial, idx)
);
"""


def canonical_json(value) -> str:
    """Deterministic JSON (sorted keys, no spaces): the key of points and configs."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


class ResultStore:
    """SQLite store of finished tasks; see the module docstring.

    Parameters
    ----------
    path : path of the database file (its parent directory is created).
    """

    def __init__(self, path):
        self.path = Path(path)
        if self.path.exists() and self.path.is_dir():
            raise ConfigError(f"ResultStore path {str(self.path)!r} is a directory; expected a file path")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(self.path), timeout=60.0, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        self._db.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- writing ---------------------------------------------------------
    def record_config(self, experiment: str, config_hash: str, config: dict) -> None:
        """Remember the configuration behind ``config_hash`` (idempotent)."""
        self._db.execute(
            "INSERT OR IGNORE INTO configs VALUES (?, ?, ?)",
            (experiment, config_hash, canonical_json(config)),
        )

    def add(
        self,
        experiment: str,
        config_hash: str,
        point_key: str,
        trial: int,
        rows: list[dict],
        *,
        seed: str = "",
        elapsed_s: float = 0.0,
    ) -> None:
        """Record one finished task and its rows atomically (one transaction).

        Adding a task that is already recorded is a no-op (the first result
        wins), so a duplicate delivery from a distributed worker is harmless.
        """
        data = [canonical_json(row) for row in rows]
        with self._transaction() as cur:
            cur.execute(
                "INSERT OR IGNORE INTO tasks VALUES (?, ?, ?, ?, ?, ?, ?)",
                (experiment, config_hash, point_key, int(trial), seed, float(elapsed_s), time.time()),
            )
            if cur.rowcount == 1:
                cur.executemany(
                    "INSERT INTO rows VALUES (?, ?, ?, ?, ?, ?)",
                    [(experiment, config_hash, point_key, int(trial), i, d) for i, d in enumerate(data)],
                )

    def clear(self, experiment: str) -> None:
        """Delete every task, row and config of ``experiment`` (``--fresh``)."""
        with self._transaction() as cur:
            for table in ("rows", "tasks", "configs"):
                cur.execute(f"DELETE FROM {table} WHERE experiment = ?", (experiment,))

    @contextmanager
    def _transaction(self):
        """One write transaction: committed whole, or rolled back on any exception (an interrupt included).

        The rollback runs only while a transaction is open: an interrupt that lands after COMMIT has
        completed leaves the task recorded, and the exception goes on unchanged.
        """
        cur = self._db.cursor()
        try:
            cur.execute("BEGIN IMMEDIATE")
            yield cur
            cur.execute("COMMIT")
        except BaseException:
            if self._db.in_transaction:
                self._db.rollback()
            raise

    # -- reading ---------------------------------------------------------
    def done(self, experiment: str, config_hash: str) -> set[tuple[str, int]]:
        """The finished ``(point_key, trial)`` pairs of one experiment configuration."""
        cur = self._db.execute(
            "SELECT point_key, trial FROM tasks WHERE experiment = ? AND config_hash = ?",
            (experiment, config_hash),
        )
        return {(p, int(t)) for p, t in cur.fetchall()}

    def task_log(self, experiment: str, config_hash: str) -> list[dict]:
        """One dict per finished task: point_key, trial, seed, elapsed_s, finished_at."""
        cur = self._db.execute(
            "SELECT point_key, trial, seed, elapsed_s, finished_at FROM tasks "
            "WHERE experiment = ? AND config_hash = ? ORDER BY point_key, trial",
            (experiment, config_hash),
        )
        keys = ("point_key", "trial", "seed", "elapsed_s", "finished_at")
        return [dict(zip(keys, r)) for r in cur.fetchall()]

    def rows(self, experiment: str, config_hash: str, trials: int | None = None) -> list[dict]:
        """Tidy rows of one experiment configuration.

        Each row is the simulation's dict plus ``trial`` and the task's point
        fields (the point's keys are merged in; the row's own keys win).
        ``trials`` keeps only trials ``< trials`` (a run asked for fewer trials
        than the store holds). Ordered by point, trial, then row index.
        """
        query = "SELECT point_key, trial, data_json FROM rows WHERE experiment = ? AND config_hash = ?"
        args: list = [experiment, config_hash]
        if trials is not None:
            query += " AND trial < ?"
            args.append(int(trials))
        query += " ORDER BY point_key, trial, idx"
        out = []
        for point_key, trial, data_json in self._db.execute(query, args):
            row = {**json.loads(point_key), "trial": int(trial)}
            row.update(json.loads(data_json))
            out.append(row)
        return out

    def integrity_ok(self) -> bool:
        """True when SQLite's integrity check passes and every task has rows."""
        ok = self._db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        orphan = self._db.execute(
            "SELECT COUNT(*) FROM tasks t WHERE NOT EXISTS (SELECT 1 FROM rows r WHERE "
            "r.experiment = t.experiment AND r.config_hash = t.config_hash AND "
            "r.point_key = t.point_key AND r.trial = t.trial)"
        ).fetchone()[0]
        return ok and orphan == 0
