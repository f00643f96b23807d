"""Answer feedback (thumbs up/down, an optional comment) kept in one SQLite file.

The app serves requests from several threads, so every call opens its own short-lived
connection; WAL lets readers list feedback while a writer adds some. This module only
stores and lists: validation belongs to the router, judging answers to people.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at TEXT NOT NULL,
    rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
    comment TEXT NOT NULL DEFAULT '',
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    citations TEXT NOT NULL DEFAULT '[]',
    llm TEXT
)
"""


class FeedbackStore:
    def __init__(self, path: Path):
        self.path = Path(path)
        self._ready = False
        self._init_lock = threading.Lock()

    def _connect(self) -> sqlite3.Connection:
        if not self._ready:
            with self._init_lock:
                if not self._ready:
                    self.path.parent.mkdir(parents=True, exist_ok=True)
                    with closing(sqlite3.connect(self.path, timeout=10)) as db:
                        db.execute("PRAGMA journal_mode=WAL")
                        db.execute(SCHEMA)
                        db.commit()
                    self._ready = True
        db = sqlite3.connect(self.path, timeout=10)
        db.row_factory = sqlite3.Row
        return db

    def add(self, *, rating: str, question: str, answer: str, comment: str = "",
            citations: list[dict] | None = None, llm: str | None = None) -> int:
        created = datetime.now(UTC).isoformat(timespec="seconds")
        with closing(self._connect()) as db, db:
            cursor = db.execute(
                "INSERT INTO feedback (created_at, rating, comment, question, answer, citations, llm) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (created, rating, comment, question, answer, json.dumps(citations or [], ensure_ascii=False), llm),
            )
            assert cursor.lastrowid is not None  # every INSERT sets it
            return cursor.lastrowid

    def list(self, limit: int = 50, offset: int = 0) -> list[dict]:
        """Newest first."""
        with closing(self._connect()) as db:
            rows = db.execute("SELECT * FROM feedback ORDER BY id DESC LIMIT ? OFFSET ?", (limit, offset)).fetchall()
        return [dict(row) | {"citations": json.loads(row["citations"])} for row in rows]

    def count(self) -> int:
        with closing(self._connect()) as db:
            return db.execute("SELECT COUNT(*) FROM feedback").fetchone()[0]
