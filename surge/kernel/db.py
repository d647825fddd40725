"""Database kernel: one engine per app, one transaction per unit of work."""

from __future__ import annotations

import functools
import itertools
from contextlib import contextmanager
from typing import Callable, Iterable, Iterator, TypeVar

from psycopg import sql
from psycopg.types.json import Json
from sqlalchemy import JSON, Column, event, insert
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.orm import make_transient_to_detached
from sqlmodel import Session, SQLModel, create_engine

Result = TypeVar("Result")


def make_engine(database_url: str) -> Engine:
    if database_url.startswith("sqlite"):
        engine = create_engine(
            database_url,
            connect_args={"check_same_thread": False, "timeout": 30},
        )

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):
            # Foreign keys are off by default in SQLite; WAL lets readers run beside a writer.
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        return engine
    return create_engine(database_url, pool_pre_ping=True, pool_size=10, max_overflow=10)


@contextmanager
def unit_of_work(engine: Engine) -> Iterator[Session]:
    """One transaction: commit on success, roll back on any error."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def json_column(**kwargs) -> Column:
    """A JSON column (JSON on PostgreSQL, text on SQLite)."""
    return Column(JSON, **kwargs)


def upsert_insert(session: Session, table):
    """An INSERT that can take `on_conflict_do_*`, in the dialect of the session's database (both have it)."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(table)


@functools.lru_cache(maxsize=None)  # one a table
def _insert_returning_key(table):
    (key,) = table.primary_key.columns
    columns = [column.key for column in table.columns if column is not key]
    return insert(table).returning(key, sort_by_parameter_order=True), key, columns


def insert_many(session: Session, table, rows: Iterable[dict]) -> None:
    """Insert many new rows of one table, each given as the same columns' values: by COPY on PostgreSQL, which
    for thousands of rows costs a fraction of any INSERT, else as one batch of a prepared insert. Values go as
    they are, bar JSON ones (dicts and lists): no column type converts them, so times must carry their zone.

    `rows` may be a generator: on PostgreSQL each row is sent as it comes, so the database stores the first
    while the caller still works out the next (nothing may use the session meanwhile)."""
    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        return
    if session.get_bind().dialect.name != "postgresql":
        session.execute(insert(table), [first, *rows])
        return
    names = list(first)
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table.name), sql.SQL(", ").join(sql.Identifier(name) for name in names))
    with session.connection().connection.driver_connection.cursor() as cursor, cursor.copy(statement) as copy:
        for value in itertools.chain((first,), rows):
            copy.write_row([Json(v) if isinstance(v, (dict, list)) else v for v in map(value.__getitem__, names)])


def insert_new(session: Session, rows: list[SQLModel]) -> None:
    """Insert new rows of one table in one statement and keep them in the session as persistent, ids set.

    What the session's own flush does for new objects, without its unit-of-work bookkeeping, which costs more
    than the statement on a hot path (a registration). Later changes to the rows flush as usual updates.
    """
    if not rows:
        return
    statement, key, columns = _insert_returning_key(type(rows[0]).__table__)
    values = [{name: getattr(row, name) for name in columns} for row in rows]
    ids = session.execute(statement, values).scalars().all()
    for row, new_id in zip(rows, ids):
        setattr(row, key.key, new_id)
        make_transient_to_detached(row)
        session.add(row)


def run_in_transaction(engine: Engine, work: Callable[..., Result], /, **kwargs) -> Result:
    """`work(session, **kwargs)` in one transaction: the one way every edge (HTTP, CLI, jobs) calls the domain."""
    with unit_of_work(engine) as session:
        return work(session, **kwargs)
