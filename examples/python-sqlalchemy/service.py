#!/usr/bin/env python3
"""A small SQLAlchemy service with the seed guides' pool settings, running a bounded workload.

Workers (threads with psycopg2, asyncio tasks with asyncpg) run short transactions against a small table until
--seconds have passed; --hold-seconds makes one worker keep a transaction open and idle first, as a request that
forgot to commit would. At the end one line of JSON on stdout sums up the run; everything else goes to stderr.
Exit code 0 when transactions were done and errors stayed within --max-errors, 1 otherwise, 2 on bad settings.
"""

import argparse
import asyncio
import json
import os
import random
import signal
import sys
import threading
import time

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url

TABLE = "mingus_accounts"
ROWS = 50

CREATE = text(f"CREATE TABLE IF NOT EXISTS {TABLE} (id integer PRIMARY KEY, balance bigint NOT NULL DEFAULT 0)")
SEED = text(f"INSERT INTO {TABLE} (id) SELECT g FROM generate_series(0, {ROWS - 1}) g ON CONFLICT (id) DO NOTHING")
# Concurrent first runs would race on CREATE TABLE IF NOT EXISTS (a unique violation on pg_type); a transaction-scoped
# advisory lock serializes them and is released at commit, so it also works through PgBouncer in transaction mode.
SETUP_LOCK = text(f"SELECT pg_advisory_xact_lock(hashtext('{TABLE}'))")
CREDIT = text(f"UPDATE {TABLE} SET balance = balance + 1 WHERE id = :id")
TOTAL = text(f"SELECT sum(balance) FROM {TABLE}")
HOLD_READ = text(f"SELECT balance FROM {TABLE} WHERE id = 0")
HOLD_LOCK = text(f"UPDATE {TABLE} SET balance = balance WHERE id = 0")


class Settings:
    """The seed guides' variables, with their documented defaults."""

    def __init__(self, env):
        problems = []

        def number(name, default, kind):
            raw = env.get(name, default)
            try:
                return kind(raw)
            except ValueError:
                problems.append(f"{name}={raw!r} is not a{'n integer' if kind is int else ' number'}")
                return kind(default)

        def flag(name, default):
            raw = env.get(name, default).strip().lower()
            if raw in ("true", "1", "yes", "on"):
                return True
            if raw in ("false", "0", "no", "off"):
                return False
            problems.append(f"{name}={raw!r} is not one of true, false")
            return default == "true"

        raw_url = env.get("DATABASE_URL", "")
        self.pool_size = number("DB_POOL_SIZE", "20", int)
        self.max_overflow = number("DB_MAX_OVERFLOW", "10", int)
        self.pool_timeout = number("DB_POOL_TIMEOUT", "30.0", float)
        self.pool_recycle = number("DB_POOL_RECYCLE", "3600", int)
        self.pre_ping = flag("DB_POOL_PRE_PING", "true")
        self.use_lifo = flag("DB_POOL_USE_LIFO", "true")
        self.echo_pool = flag("DB_ECHO_POOL", "false")
        self.connect_timeout = number("DB_CONNECT_TIMEOUT", "10", float)
        # asyncpg's prepared-statement cache; 0 behind PgBouncer in transaction mode, where a statement prepared on
        # one server connection is not there on the next.
        self.statement_cache_size = number("DB_STATEMENT_CACHE_SIZE", "100", int)
        self.app_name = env.get("APP_NAME", "mingus-api")
        if self.pool_size < 1:
            problems.append(f"DB_POOL_SIZE={self.pool_size} must be at least 1")
        if self.max_overflow < 0:
            problems.append(f"DB_MAX_OVERFLOW={self.max_overflow} must be 0 or more")
        if not raw_url:
            problems.append("DATABASE_URL is not set; postgresql://user:pass@host:5432/db or postgresql+asyncpg://...")
            self.url = None
        else:
            # postgres:// is what Heroku and others hand out; SQLAlchemy 1.4 only knows postgresql://.
            if raw_url.startswith("postgres://"):
                raw_url = "postgresql://" + raw_url[len("postgres://"):]
            try:
                self.url = make_url(raw_url)
            except Exception:
                problems.append("DATABASE_URL is not a URL SQLAlchemy can read")
                self.url = None
            if self.url is not None and self.url.get_backend_name() != "postgresql":
                problems.append(f"DATABASE_URL is for {self.url.get_backend_name()}; this example speaks PostgreSQL")
            elif self.url is not None and self.url.get_driver_name() not in ("psycopg2", "asyncpg"):
                problems.append(f"DATABASE_URL driver {self.url.get_driver_name()} is not one of psycopg2, asyncpg")
        self.problems = problems

    @property
    def driver(self):
        return self.url.get_driver_name()

    def engine_options(self):
        return dict(pool_size=self.pool_size, max_overflow=self.max_overflow, pool_timeout=self.pool_timeout,
                    pool_recycle=self.pool_recycle, pool_pre_ping=self.pre_ping, pool_use_lifo=self.use_lifo,
                    echo_pool=self.echo_pool)


class Tally:
    """What the run did, shared by the workers."""

    def __init__(self):
        self.lock = threading.Lock()
        self.transactions = 0
        self.errors = 0
        self.checked_out_peak = 0
        self.held_seconds = 0.0
        self.first_errors = []

    def committed(self):
        with self.lock:
            self.transactions += 1

    def failed(self, worker, exc):
        with self.lock:
            self.errors += 1
            if len(self.first_errors) < 5:
                self.first_errors.append(f"worker {worker}: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}")
                print(f"error in worker {worker}: {exc!r}", file=sys.stderr)

    def checked_out(self, count):
        with self.lock:
            self.checked_out_peak = max(self.checked_out_peak, count)


def watch_pool(pool, tally):
    """Records the pool's checked-out count at every checkout, for the peak in the summary."""
    event.listen(pool, "checkout", lambda *_: tally.checked_out(pool.checkedout()))


# ---- psycopg2: one thread per worker ----

def run_threads(settings, args, tally, stop):
    engine = create_engine(settings.url, future=True,
                           connect_args={"application_name": settings.app_name,
                                         "connect_timeout": max(1, int(settings.connect_timeout))},
                           **settings.engine_options())
    watch_pool(engine.pool, tally)
    try:
        with engine.begin() as conn:
            conn.execute(SETUP_LOCK)
            conn.execute(CREATE)
            conn.execute(SEED)

        def hold():
            started = time.monotonic()
            with engine.begin() as conn:
                conn.execute(HOLD_LOCK if args.hold_lock else HOLD_READ)
                stop.wait(args.hold_seconds)
            tally.held_seconds = round(time.monotonic() - started, 3)

        def work(worker):
            rng = random.Random(worker)
            if worker == 0 and args.hold_seconds > 0:
                try:
                    hold()
                except Exception as exc:
                    tally.failed(worker, exc)
            while not stop.is_set():
                try:
                    with engine.begin() as conn:
                        conn.execute(CREDIT, {"id": rng.randrange(ROWS)})
                        conn.execute(TOTAL).scalar()
                    tally.committed()
                except Exception as exc:
                    tally.failed(worker, exc)
                    stop.wait(0.2)
                stop.wait(args.pause_ms / 1000.0)

        threads = [threading.Thread(target=work, args=(i,), name=f"worker-{i}", daemon=True) for i in range(args.workers)]
        for t in threads:
            t.start()
        stop.wait(args.seconds)
        stop.set()
        for t in threads:
            t.join(settings.pool_timeout + 10)
    finally:
        engine.dispose()


# ---- asyncpg: one task per worker, on SQLAlchemy's asyncio extension ----

def run_tasks(settings, args, tally, stop):
    from sqlalchemy.ext.asyncio import create_async_engine

    url = settings.url
    if settings.statement_cache_size == 0:
        # SQLAlchemy's asyncpg dialect keeps its own cache of prepared statements besides asyncpg's.
        url = url.update_query_dict({"prepared_statement_cache_size": "0"})

    async def main():
        engine = create_async_engine(url, connect_args={"server_settings": {"application_name": settings.app_name},
                                                        "timeout": settings.connect_timeout,
                                                        "statement_cache_size": settings.statement_cache_size},
                                     **settings.engine_options())
        watch_pool(engine.sync_engine.pool, tally)
        done = asyncio.Event()
        loop = asyncio.get_running_loop()
        # The signal handler runs on the main thread; it sets the threading event, a watcher task carries it over.
        async def relay():
            while not stop.is_set():
                await asyncio.sleep(0.1)
            done.set()

        async def pause(seconds):
            try:
                await asyncio.wait_for(done.wait(), timeout=seconds)
            except asyncio.TimeoutError:
                pass

        try:
            async with engine.begin() as conn:
                await conn.execute(SETUP_LOCK)
                await conn.execute(CREATE)
                await conn.execute(SEED)

            async def hold():
                started = loop.time()
                async with engine.begin() as conn:
                    await conn.execute(HOLD_LOCK if args.hold_lock else HOLD_READ)
                    await pause(args.hold_seconds)
                tally.held_seconds = round(loop.time() - started, 3)

            async def work(worker):
                rng = random.Random(worker)
                if worker == 0 and args.hold_seconds > 0:
                    try:
                        await hold()
                    except Exception as exc:
                        tally.failed(worker, exc)
                while not done.is_set():
                    try:
                        async with engine.begin() as conn:
                            await conn.execute(CREDIT, {"id": rng.randrange(ROWS)})
                            (await conn.execute(TOTAL)).scalar()
                        tally.committed()
                    except Exception as exc:
                        tally.failed(worker, exc)
                        await pause(0.2)
                    await pause(args.pause_ms / 1000.0)

            relay_task = asyncio.create_task(relay())
            tasks = [asyncio.create_task(work(i)) for i in range(args.workers)]
            await pause(args.seconds)
            stop.set()
            done.set()
            await asyncio.wait(tasks, timeout=settings.pool_timeout + 10)
            relay_task.cancel()
        finally:
            await engine.dispose()

    asyncio.run(main())


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10, help="how long the workload runs (default 10)")
    parser.add_argument("--workers", type=int, default=4, help="threads (psycopg2) or tasks (asyncpg) (default 4)")
    parser.add_argument("--hold-seconds", type=float, default=0,
                        help="worker 0 first keeps a transaction open and idle this long (default 0: no hold)")
    parser.add_argument("--hold-lock", action="store_true",
                        help="the held transaction also locks row 0, so workers that credit it wait on the lock")
    parser.add_argument("--pause-ms", type=float, default=10, help="pause between a worker's transactions (default 10)")
    parser.add_argument("--max-errors", type=int, default=0, help="errors tolerated before the exit code says failure")
    args = parser.parse_args(argv)
    if args.seconds <= 0 or args.workers < 1 or args.hold_seconds < 0 or args.pause_ms < 0:
        parser.error("--seconds must be > 0, --workers >= 1, --hold-seconds and --pause-ms >= 0")

    settings = Settings(os.environ)
    if settings.problems:
        for p in settings.problems:
            print(p, file=sys.stderr)
        return 2

    tally = Tally()
    stop = threading.Event()
    # SIGTERM (a container stop, Process.destroy()) ends the run early but still prints the summary.
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    print(f"{settings.app_name}: {settings.driver}, pool {settings.pool_size} + {settings.max_overflow} overflow, "
          f"{args.workers} workers for {args.seconds}s", file=sys.stderr, flush=True)
    started = time.monotonic()
    setup_error = None
    try:
        (run_tasks if settings.driver == "asyncpg" else run_threads)(settings, args, tally, stop)
    except Exception as exc:
        setup_error = f"{type(exc).__name__}: {exc}".splitlines()[0]
        print(f"could not run: {exc!r}", file=sys.stderr)
    ok = setup_error is None and tally.transactions > 0 and tally.errors <= args.max_errors
    summary = {
        "application": settings.app_name,
        "driver": settings.driver,
        "ok": ok,
        "seconds": round(time.monotonic() - started, 3),
        "workers": args.workers,
        "transactions": tally.transactions,
        "errors": tally.errors,
        "pool_size": settings.pool_size,
        "max_overflow": settings.max_overflow,
        "checked_out_peak": tally.checked_out_peak,
        "held_seconds": tally.held_seconds,
        "first_errors": tally.first_errors if setup_error is None else [setup_error] + tally.first_errors,
    }
    print(json.dumps(summary), flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
