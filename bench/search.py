#!/usr/bin/env python
"""Search benchmark: index a SYNTHETIC corpus into a throwaway database, then time searches.

    .venv/bin/python bench/search.py                          # 100,000 docs, temp SQLite file
    .venv/bin/python bench/search.py --db postgres            # throwaway PostgreSQL database
    .venv/bin/python bench/search.py --docs 20000 --clients 4 --queries 80
    .venv/bin/python bench/search.py --profile                # + slowest statements, plans

The corpus is synthetic and labelled so everywhere (headings start with "[synthetic]", paths
with /en/synthetic/, meta says "synthetic"). Its words come from the project's real texts
(bundled data titles, summaries, findings and DOL suggested actions; thesaurus labels; the
French and Spanish translations of the interface and of the data): each next word follows
the real text's word pairs (so "child labour" and "travail des enfants" occur as phrases)
or, otherwise, is drawn from the vocabulary ranked by real frequency with Zipf weights. Facet
values are real (theme codes, ISO3 codes of the countries loaded from data/, organisation
slugs, licences, resource types). Seeded: the same arguments give the same corpus.

It never touches var/db.sqlite3, var/cache or any real database: it migrates a fresh temporary
SQLite file (WAL, as configured in config.settings.base) or a PostgreSQL database
`bench_search_<pid>` on 127.0.0.1:5432 (dropped at the end), loads the real countries, regions,
aliases and organisations into it (the place facet's region tree and the country-name
thesaurus need them), and times `index_rebuild(documents=...)`.

Queries run in `--clients` worker processes (forked after setup, each with its own database
connection), not threads: search() spends much of its time in Python (query analysis, ORM
compilation, highlighting, facet labels) and threads would queue on the GIL, measuring the
interpreter rather than the database; processes are what gunicorn's sync workers do in
production. Every search is the normal results page: page 1, relevance, groups, all facets,
"did you mean". Each client warms up first; then all start together behind a barrier.
"""

from __future__ import annotations

import argparse
import csv
import gc
import json
import math
import multiprocessing
import os
import platform
import random
import re
import resource
import shutil
import signal
import sqlite3
import statistics
import sys
import tempfile
import time
from bisect import bisect
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import accumulate, pairwise
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PG = "postgres://postgres@127.0.0.1:5432"
LANGS = ("en", "fr", "es")
# Real steps of load_data loaded into the throwaway database (facet labels, region tree,
# country names in the thesaurus); nothing else of the bundled data is needed.
REAL_STEPS = ("geo.countries", "geo.aggregates", "geo.aliases", "orgs.organisations")
TARGET_REINDEX_S = 120.0
TARGET_P95_MS = 50.0

# --- the synthetic corpus (no Django) ----------

# Share of each kind in a mature index (assumption: mostly publications, datasets and news;
# a few hundred countries and regions, which are real things and not multiplied in reality).
KIND_WEIGHTS = {
    "publication": 0.38,
    "dataset": 0.22,
    "news": 0.18,
    "event": 0.07,
    "series": 0.06,
    "indicator": 0.04,
    "organisation": 0.03,
    "country": 0.015,
    "region": 0.005,
}
LANG_WEIGHTS = {"en": 0.70, "fr": 0.15, "es": 0.15}
FORMATS = ("CSV", "XLSX", "PDF", "JSON", "ZIP")
CHAIN = 0.65  # probability that the next word follows the real text's word pairs
ZIPF_S = 1.05
_TOKEN = re.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*|\d+(?:\.\d+)*")
_NOISE = re.compile(r"https?://\S+|%\([a-z_]+\)[sd]|<[^>]+>|\{[^}]*\}")


def _csv_texts(path: Path, *columns: str) -> Iterator[str]:
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            for column in columns:
                if row.get(column):
                    yield row[column]


def _po_texts(path: Path) -> Iterator[str]:
    """The translated strings (msgstr) of a gettext catalogue."""
    current: list[str] | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("msgstr"):
            current = [line.split(" ", 1)[1].strip().strip('"')]
        elif line.startswith('"') and current is not None:
            current.append(line.strip().strip('"'))
        else:
            if current:
                yield "".join(current).replace("\\n", " ").replace('\\"', '"')
            current = None
    if current:
        yield "".join(current)


def real_texts(root: Path) -> dict[str, list[str]]:
    """The project's own texts per language (deduplicated, in file order)."""
    data = root / "data"
    texts: dict[str, list[str]] = {lang: [] for lang in LANGS}
    en = texts["en"]
    en += _csv_texts(data / "library/publications.csv", "title", "summary")
    en += _csv_texts(data / "library/evaluations.csv", "title", "finding_quote")
    en += _csv_texts(data / "library/news_events.csv", "title", "description")
    en += _csv_texts(data / "alliance87/organisations.csv", "name", "role_evidence", "notes")
    en += _csv_texts(data / "alliance87/action_groups.csv", "name", "description")
    en += _csv_texts(data / "dol_ilab/dol_findings_suggested_actions.csv", "action")
    en += _csv_texts(data / "dol_ilab/dol_findings_country_profiles.csv", "description")
    for name in ("translations/sdg_framework.csv", "translations/dol_goods.csv"):
        with (data / name).open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                if row["language"] in texts and row["text"]:
                    texts[row["language"]].append(row["text"])
                if row.get("source_text"):
                    en.append(row["source_text"])
    with (data / "search/thesaurus.csv").open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["lang"] in texts:
                texts[row["lang"]].append(row["label"])
    for lang in ("fr", "es"):
        texts[lang] += _po_texts(root / f"locale/{lang}/LC_MESSAGES/django.po")
    return {lang: list(dict.fromkeys(t for t in items if t)) for lang, items in texts.items()}


@dataclass
class LanguageModel:
    """Words ranked by real frequency with Zipf cumulative weights, and each word's real
    successors (with repetition, so frequent pairs are drawn more often)."""

    words: list[str]
    cum_weights: list[float]
    successors: list[list[int]]

    @classmethod
    def from_texts(cls, texts: Iterable[str]) -> LanguageModel:
        sentences = []
        counts: Counter[str] = Counter()
        for text in texts:
            for sentence in re.split(r"[.;:!?()\[\]]\s", _NOISE.sub(" ", text)):
                tokens = _TOKEN.findall(sentence)
                if tokens:
                    sentences.append(tokens)
                    counts.update(tokens)
        words = sorted(counts, key=lambda w: (-counts[w], w))
        index = {w: i for i, w in enumerate(words)}
        successors: list[list[int]] = [[] for _ in words]
        for tokens in sentences:
            for a, b in pairwise(tokens):
                successors[index[a]].append(index[b])
        weights = [1.0 / (rank + 1) ** ZIPF_S for rank in range(len(words))]
        return cls(words=words, cum_weights=list(accumulate(weights)), successors=successors)

    def text(self, rnd: random.Random, n: int) -> list[str]:
        total = self.cum_weights[-1]
        out: list[str] = []
        prev = -1
        for _ in range(n):
            nexts = self.successors[prev] if prev >= 0 else None
            if nexts and rnd.random() < CHAIN:
                prev = nexts[int(rnd.random() * len(nexts))]
            else:
                prev = bisect(self.cum_weights, rnd.random() * total)
                prev = min(prev, len(self.words) - 1)
            out.append(self.words[prev])
        return out


def zipf_choices(values: list[str], s: float = 1.0) -> tuple[list[str], list[float]]:
    return values, list(accumulate(1.0 / (r + 1) ** s for r in range(len(values))))


@dataclass
class CorpusSpec:
    docs: int
    seed: int
    models: dict[str, LanguageModel]
    places: list[str]  # ISO3, most frequent first
    organisations: list[str]  # slugs, most frequent first
    themes: list[str]
    licences: list[str]
    resource_types: list[str]


@dataclass
class Corpus:
    """An iterable of DocumentData that also counts the time spent making them, so the
    benchmark can tell indexing from generating."""

    spec: CorpusSpec
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    words: int = 0
    kinds: Counter[str] = field(default_factory=Counter)

    def __iter__(self) -> Iterator[Any]:
        from sdg87.search.registry import DocumentData, Text

        spec = self.spec
        rnd = random.Random(spec.seed)
        kinds, kind_cum = list(KIND_WEIGHTS), list(accumulate(KIND_WEIGHTS.values()))
        langs, lang_cum = list(LANG_WEIGHTS), list(accumulate(LANG_WEIGHTS.values()))
        places = zipf_choices(spec.places, 0.9)
        orgs = zipf_choices(spec.organisations, 1.0)
        themes = zipf_choices(spec.themes, 1.0)
        licences = zipf_choices(spec.licences, 1.2)
        rtypes = zipf_choices(spec.resource_types, 1.0)
        years = list(range(2000, 2026))
        year_cum = list(accumulate(range(1, len(years) + 1)))  # more recent, more documents

        def pick(pool: tuple[list[str], list[float]], k: int) -> list[str]:
            return list(dict.fromkeys(rnd.choices(pool[0], cum_weights=pool[1], k=k)))

        for i in range(spec.docs):
            start, start_cpu = time.perf_counter(), time.process_time()
            kind = rnd.choices(kinds, cum_weights=kind_cum)[0]
            lang = "en"
            if kind in ("publication", "dataset", "news", "event"):
                lang = rnd.choices(langs, cum_weights=lang_cum)[0]
            model = spec.models[lang]
            title_words = model.text(rnd, rnd.randint(6, 15))
            body_words = model.text(rnd, int(rnd.triangular(80, 300, 140)))
            self.words += len(title_words) + len(body_words)
            title = " ".join(title_words)
            title = title[:1].upper() + title[1:]
            body = " ".join(body_words)
            year = rnd.choices(years, cum_weights=year_cum)[0]
            day = date(year, 1, 1) + timedelta(days=rnd.randrange(365))
            facets: dict[str, list[str]] = {
                "theme": pick(themes, rnd.choice((1, 1, 2, 3))),
                "place": pick(places, rnd.choice((0, 1, 1, 1, 2, 3))),
                "language": [lang],
            }
            if rnd.random() < 0.9:
                facets["organisation"] = pick(orgs, 1)
            if kind == "publication":
                facets["resource_type"] = pick(rtypes, 1)
                facets["format"] = ["PDF"] if rnd.random() < 0.8 else []
                facets["licence"] = pick(licences, 1)
            elif kind == "dataset":
                facets["resource_type"] = ["dataset"]
                facets["format"] = sorted(rnd.sample(FORMATS, rnd.randint(1, 3)))
                facets["licence"] = pick(licences, 1)
            elif kind == "news":
                facets["resource_type"] = ["news" if rnd.random() < 0.9 else "campaign"]
            elif kind == "event":
                facets["resource_type"] = ["event"]
            dated = kind not in ("country", "region", "organisation")
            data = DocumentData(
                kind=kind,
                object_id=str(i + 1),  # numeric, like the real sources' primary keys
                heading=f"[synthetic] {title}",
                path=f"/en/synthetic/{kind}/{i + 1}/",
                summary=" ".join(body_words[:50]) + " …",
                language=lang,
                date=day if dated else None,
                year=year if dated else None,
                meta=["synthetic", str(year)] if dated else ["synthetic"],
                public=True,
                texts=[Text(title, lang, "title"), Text(body, lang, "body")],
                facets=facets,
                boost=1.2 if kind == "dataset" else 1.0,
            )
            self.kinds[kind] += 1
            self.seconds += time.perf_counter() - start
            self.cpu_seconds += time.process_time() - start_cpu
            yield data


# --- the queries ----------


@dataclass(frozen=True)
class QueryKind:
    label: str
    params: tuple[Any, ...]  # SearchParams, rotated through by the clients


def query_sets(places: list[str]) -> list[QueryKind]:
    from sdg87.search.types import SearchParams

    # Places by corpus frequency: the most frequent country, a middling one, a rarer one.
    picks = [places[0], places[10], places[40]]
    themes = ["child_labour", "human_trafficking", "education"]
    return [
        QueryKind(
            "single word",
            tuple(SearchParams(q=q) for q in ("trafficking", "education", "cocoa", "inspectors")),
        ),
        QueryKind(
            "phrase",
            tuple(
                SearchParams(q=q) for q in ('"child labour"', '"forced labour"', '"worst forms"')
            ),
        ),
        QueryKind(
            "q + two facets",
            tuple(
                SearchParams(q=q, theme=(t,), place=(p,))
                for q, t, p in zip(
                    ("child labour", "trafficking", "education"), themes, picks, strict=True
                )
            ),
        ),
        QueryKind(
            "misspelled",
            tuple(SearchParams(q=q) for q in ("trafficing", "educaton", "chlid labour")),
        ),
        QueryKind(
            "empty + two facets",
            tuple(SearchParams(theme=(t,), place=(p,)) for t, p in zip(themes, picks, strict=True)),
        ),
    ]


def describe(params: Any) -> str:
    parts = [f"q={params.q!r}"] if params.q else ["q=''"]
    parts += [
        f"{f}={','.join(getattr(params, f))}" for f in ("theme", "place") if getattr(params, f)
    ]
    return " ".join(parts)


# --- the client processes ----------

_barrier: Any = None


def _init_worker(barrier: Any) -> None:
    global _barrier
    _barrier = barrier
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # only the parent drops the database


def _cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _server_cpu_s() -> float:
    """CPU seconds of this connection's PostgreSQL backend process (same machine), else 0."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _client(job: tuple[int, tuple[Any, ...], int, int]) -> dict[str, Any]:
    """One client: warm up, wait for the others, run `count` searches; latencies in ms."""
    from sdg87.search.selectors import search

    worker, params, count, warmup = job
    seen: dict[int, dict[str, Any]] = {}
    for k in range(warmup * len(params)):
        search(params=params[k % len(params)], lang="en")
    _barrier.wait(timeout=600)
    latencies: list[float] = []
    variants: list[int] = []  # which params each latency is of
    cpu0, server0 = _cpu_s(), _server_cpu_s()
    started = time.perf_counter()
    for k in range(count):
        which = (worker + k) % len(params)
        t = time.perf_counter()
        outcome = search(params=params[which], lang="en")
        latencies.append((time.perf_counter() - t) * 1000)
        variants.append(which)
        if which not in seen:
            seen[which] = {
                "total": outcome.total,
                "cut_short": [f.name for f in outcome.facets if f.cut_short],
                "suggestion": outcome.suggestion,
                "groups": len(outcome.groups),
            }
        elif any(f.cut_short for f in outcome.facets):
            seen[which]["cut_short_again"] = seen[which].get("cut_short_again", 0) + 1
    return {
        "latencies": latencies,
        "variants": variants,
        "start": started,
        "end": time.perf_counter(),
        "cpu": _cpu_s() - cpu0,
        "server_cpu": _server_cpu_s() - server0,
        "seen": seen,
    }


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def run_queries(
    sets: list[QueryKind], clients: int, queries: int, warmup: int
) -> list[dict[str, Any]]:
    from django.db import connections

    connections.close_all()  # each forked client opens its own connection
    # As the server does (config/wsgi.py under gunicorn --preload): what start-up loaded is
    # frozen out of the garbage collector before the workers fork, so a full collection in a
    # client walks only what it made since (without it, ~130 ms every so often at 100,000
    # documents: the whole Django heap).
    gc.collect()
    gc.freeze()
    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(clients)
    rows = []
    per_client = max(1, queries // clients)
    with ctx.Pool(clients, initializer=_init_worker, initargs=(barrier,)) as pool:
        for qs in sets:
            load = os.getloadavg()[0]
            jobs = [(w, qs.params, per_client, warmup) for w in range(clients)]
            results = pool.map(_client, jobs, chunksize=1)
            latencies = [x for r in results for x in r["latencies"]]
            of_variant: dict[int, list[float]] = {}
            for r in results:
                for which, ms in zip(r["variants"], r["latencies"], strict=True):
                    of_variant.setdefault(which, []).append(ms)
            wall = max(r["end"] for r in results) - min(r["start"] for r in results)
            seen: dict[int, dict[str, Any]] = {}
            for r in results:
                for which, info in r["seen"].items():
                    seen.setdefault(which, info)
            rows.append(
                {
                    "label": qs.label,
                    "queries": len(latencies),
                    "p50_ms": percentile(latencies, 50),
                    "p95_ms": percentile(latencies, 95),
                    "mean_ms": statistics.fmean(latencies),
                    "max_ms": max(latencies),
                    "req_s": len(latencies) / wall,
                    "client_cpu_ms": 1000 * sum(r["cpu"] for r in results) / len(latencies),
                    "server_cpu_ms": 1000 * sum(r["server_cpu"] for r in results) / len(latencies),
                    "load_avg": load,
                    "variants": [
                        {
                            "params": describe(qs.params[w]),
                            **seen.get(w, {}),
                            "p95_ms": percentile(of_variant.get(w, [0.0]), 95),
                            "max_ms": max(of_variant.get(w, [0.0])),
                        }
                        for w in range(len(qs.params))
                    ],
                }
            )
            row = rows[-1]
            print(
                f"  {qs.label:<20} p50 {row['p50_ms']:7.1f} ms  p95 {row['p95_ms']:7.1f} ms  "
                f"mean {row['mean_ms']:7.1f} ms  {row['req_s']:6.1f} req/s  (load {load:.1f})",
                flush=True,
            )
    return rows


# --- profiling ----------


def profile(sets: list[QueryKind]) -> None:
    """For one search of each kind: its slowest statements and the plan of the slowest.

    The facet time budget is lifted here so each statement's whole cost shows; statements
    are timed with an execute wrapper (Django's debug cursor runs an extra SQLite statement
    to format the SQL, which an interrupted statement's progress handler stops too)."""
    from django.conf import settings
    from django.db import connection

    from sdg87.search.selectors import search

    settings.SDG87_SEARCH_FACET_BUDGET_MS = 600_000
    for qs in sets:
        params = qs.params[0]
        timed: list[tuple[float, str, Any]] = []

        def wrapper(execute: Any, sql: str, sql_params: Any, many: bool, context: Any) -> Any:
            t = time.perf_counter()
            try:
                return execute(sql, sql_params, many, context)
            finally:
                timed.append((time.perf_counter() - t, sql, sql_params))  # noqa: B023

        with connection.execute_wrapper(wrapper):
            t = time.perf_counter()
            search(params=params, lang="en")
            elapsed = (time.perf_counter() - t) * 1000
        timed.sort(key=lambda x: -x[0])
        db_ms = sum(x[0] for x in timed) * 1000
        print(
            f"\n### {qs.label}: {describe(params)} — {elapsed:.1f} ms without facet budget, "
            f"{len(timed)} statements, {db_ms:.1f} ms in them"
        )
        for seconds, sql, _params in timed[:4]:
            print(f"  {seconds * 1000:8.1f} ms  {sql[:300]}")
        _seconds, sql, sql_params = timed[0]
        explain = (
            "EXPLAIN (ANALYZE, BUFFERS) "
            if connection.vendor == "postgresql"
            else "EXPLAIN QUERY PLAN "
        )
        with connection.cursor() as cursor:
            cursor.execute(explain + sql, sql_params)
            print("  plan of the slowest:")
            for row in cursor.fetchall():
                print("   ", " | ".join(str(c) for c in row))


def cprofile(sets: list[QueryKind], path: Path, runs: int) -> dict[str, float]:
    """`runs` searches of each kind in this process under cProfile (after one warm-up round),
    one stats file per kind (FILE.<n>), timed in process CPU time; prints each kind's CPU ms
    per search (measured without the profiler first) and its 25 most expensive functions
    (cumulative)."""
    import cProfile
    import pstats

    from sdg87.search.selectors import search

    cpu_ms: dict[str, float] = {}
    for n, qs in enumerate(sets):
        for params in qs.params:  # warm-up: postings, caches
            search(params=params, lang="en")
        t0, c0 = time.perf_counter(), time.process_time()
        for k in range(runs):
            search(params=qs.params[k % len(qs.params)], lang="en")
        wall = (time.perf_counter() - t0) * 1000 / runs
        cpu_ms[qs.label] = (time.process_time() - c0) * 1000 / runs
        profiler = cProfile.Profile(time.process_time)  # CPU time: the machine is shared
        profiler.enable()
        for k in range(runs):
            search(params=qs.params[k % len(qs.params)], lang="en")
        profiler.disable()
        out = path.with_name(f"{path.name}.{n}")
        profiler.dump_stats(out)
        print(
            f"\n### cProfile {qs.label}: {cpu_ms[qs.label]:.1f} ms CPU, {wall:.1f} ms wall per "
            f"search without the profiler (1 client, {runs} searches, load "
            f"{os.getloadavg()[0]:.1f}); stats in {out}"
        )
        pstats.Stats(profiler, stream=sys.stdout).sort_stats("cumulative").print_stats(25)
    return cpu_ms


# --- machine, database, main ----------


def machine_info() -> dict[str, str]:
    model = ""
    memory = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 2**20:.1f} GiB"
    except OSError:
        pass
    try:
        pg = _pg_admin("SELECT version()") or ""
    except Exception as exc:  # informational only
        pg = f"unreachable ({type(exc).__name__})"
    return {
        "cpu": model,
        "cores": f"{os.cpu_count()} ({len(os.sched_getaffinity(0))} usable)",
        "memory": memory,
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "postgresql": pg.split(" on ")[0],
        "load_average": " ".join(f"{x:.1f}" for x in os.getloadavg()),
        "speed": f"{python_loop_ms():.0f} ms CPU for a 1,000,000-step Python loop",
    }


def python_loop_ms() -> float:
    """CPU ms of a fixed pure-Python loop (best of 5): machines of the same kind are not
    always the same speed (on 2026-12-05 the same searches cost 2.7 times the CPU of the day
    before), so figures from different days compare through this."""
    best = math.inf
    for _ in range(5):
        start = time.process_time()
        total = 0
        for i in range(1_000_000):
            total += i
        best = min(best, time.process_time() - start)
    return best * 1000


def _pg_admin(sql: str) -> str | None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True, connect_timeout=5) as conn:
        cursor = conn.execute(sql)
        row = cursor.fetchone() if cursor.description else None
        return str(row[0]) if row else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100_000, help="synthetic documents")
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--clients", type=int, default=8, help="concurrent client processes")
    parser.add_argument("--queries", type=int, default=240, help="measured searches per kind")
    parser.add_argument("--warmup", type=int, default=2, help="warm-up rounds per client")
    parser.add_argument("--seed", type=int, default=87)
    parser.add_argument("--profile", action="store_true", help="print slow statements, plans")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    parser.add_argument(
        "--index-only", action="store_true", help="time the rebuild only, no queries"
    )
    parser.add_argument(
        "--again",
        action="store_true",
        help="rebuild a second time, replacing the served generation (as search_reindex does)",
    )
    parser.add_argument(
        "--profile-index",
        type=Path,
        metavar="FILE",
        help="cProfile the rebuild into FILE (pstats; read with python -m pstats)",
    )
    parser.add_argument(
        "--keep",
        metavar="NAME",
        help="build into a kept database (SQLite: var/bench/NAME.sqlite3; PostgreSQL: "
        "database NAME) and reuse it when it already holds an index (no migrate-from-empty, "
        "no rebuild): for measuring queries again after a change",
    )
    parser.add_argument(
        "--only",
        metavar="TEXT",
        help="run only the query kinds whose label contains TEXT (e.g. 'two facets')",
    )
    parser.add_argument(
        "--cprofile",
        type=Path,
        metavar="FILE",
        help="after the timed runs, cProfile --cprofile-runs searches of each kind in this "
        "process (one client) into FILE and print the top functions and CPU ms per search",
    )
    parser.add_argument("--cprofile-runs", type=int, default=30, metavar="N")
    parser.add_argument(
        "--match-cache",
        type=int,
        metavar="N",
        help="queries whose matches each process keeps (sdg87.search.postings.MATCH_CACHE; "
        "0: every search evaluates its words' full-text match)",
    )
    parser.add_argument(
        "--cold",
        action="store_true",
        help="keep nothing per query words: neither their matches (MATCH_CACHE 0) nor their "
        "scores (sdg87.search.scoring.SCORE_CACHE_BYTES 0), so every search costs what the "
        "first search of new words costs",
    )
    args = parser.parse_args()

    info = machine_info()
    print("Machine: " + "; ".join(f"{k} {v}" for k, v in info.items()), flush=True)
    tmp = Path(tempfile.mkdtemp(prefix="sdg87-bench-search-"))
    pg_name = f"bench_search_{os.getpid()}"
    if args.keep and not re.fullmatch(r"[a-z][a-z0-9_]{0,40}", args.keep):
        parser.error("--keep: lower-case letters, digits and _")
    if args.keep and args.db == "postgres":
        pg_name = args.keep
        if _pg_admin(f"SELECT 1 FROM pg_database WHERE datname = '{pg_name}'") is None:
            _pg_admin(f'CREATE DATABASE "{pg_name}"')
        url = f"{PG}/{pg_name}"
    elif args.keep:
        kept = ROOT / "var" / "bench"
        kept.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{kept / (args.keep + '.sqlite3')}"
    elif args.db == "postgres":
        _pg_admin(f'CREATE DATABASE "{pg_name}"')
        url = f"{PG}/{pg_name}"
    else:
        url = f"sqlite:///{tmp / 'search.sqlite3'}"
    os.environ["SDG87_DATABASE_URL"] = url
    os.environ["SDG87_DEBUG"] = "false"  # DEBUG would keep every statement in memory
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    sys.path.insert(0, str(ROOT))
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # still drop the database
    try:
        return _run(args, info, url, tmp)
    finally:
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # cleanup goes on
            pass
        shutil.rmtree(tmp, ignore_errors=True)
        if args.db == "postgres" and not args.keep:
            _pg_admin(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')
            print(f"Dropped database {pg_name}.")


def _step(label: str, t: float) -> float:
    elapsed = time.perf_counter() - t
    print(f"  {label}: {elapsed:.1f} s", flush=True)
    return elapsed


def _run(args: argparse.Namespace, info: dict[str, str], url: str, tmp: Path) -> int:
    from django.conf import settings

    # A private cache: the dev settings' file cache lives in var/cache of the checkout.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from sdg87.core.loading import all_steps, run_step
    from sdg87.geo.models import Geography, GeographyKind
    from sdg87.orgs.models import Organisation
    from sdg87.search.indexing import index_rebuild, served_generation
    from sdg87.search.models import SearchDocument, SearchFacetValue, SearchWord
    from sdg87.search.vocabulary import clear

    backend = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
    print(f"Database: {backend}, {'kept' if args.keep else 'throwaway'} ({url})", flush=True)
    figures: dict[str, Any] = {
        "machine": info,
        "backend": backend,
        "args": vars(args) | {"json": str(args.json)},
    }

    t = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    figures["migrate_s"] = _step("migrate", t)
    # a kept index is reused only when a finished rebuild serves it (not a build cut short)
    reused = (
        bool(args.keep) and SearchDocument.objects.filter(generation=served_generation()).exists()
    )
    t = time.perf_counter()
    steps = {s.key: s for s in all_steps()} if not reused else {}
    for key in REAL_STEPS if not reused else ():
        run_step(steps[key], data_dir=Path(settings.SDG87_DATA_DIR))
    _step(f"real countries, regions, aliases, organisations ({', '.join(REAL_STEPS)})", t)

    t = time.perf_counter()
    models = {lang: LanguageModel.from_texts(texts) for lang, texts in real_texts(ROOT).items()}
    _step(
        "vocabulary from the project's texts: "
        + ", ".join(f"{lang} {len(m.words):,} words" for lang, m in models.items()),
        t,
    )
    rnd = random.Random(args.seed)
    places = sorted(
        str(iso3)
        for iso3 in Geography.objects.filter(kind=GeographyKind.COUNTRY)
        .exclude(iso3="")
        .exclude(iso3=None)
        .values_list("iso3", flat=True)
    )
    rnd.shuffle(places)
    organisations = sorted(Organisation.objects.values_list("slug", flat=True))
    rnd.shuffle(organisations)
    from sdg87.catalog.models import Licence, ThemeCode
    from sdg87.library.resource_types import ResourceType

    spec = CorpusSpec(
        docs=args.docs,
        seed=args.seed,
        models=models,
        places=places,
        organisations=organisations,
        themes=list(ThemeCode.values),
        licences=list(Licence.values),
        resource_types=list(ResourceType.values),
    )
    corpus = Corpus(spec)
    last = [time.perf_counter()]
    started = time.perf_counter()
    tty = sys.stdout.isatty()

    def progress(kind: str, done: int, total: int) -> None:
        now = time.perf_counter()
        if done < args.docs and now - last[0] < (0.5 if tty else 10):
            return
        last[0] = now
        rate = done / (now - started)
        eta = (args.docs - done) / rate if rate else 0
        line = (
            f"  indexing: {done:,}/{args.docs:,} documents, {rate:,.0f}/s, "
            f"{now - started:.0f} s elapsed, about {eta:.0f} s left"
        )
        print(("\r" + line) if tty else line, end="" if tty else "\n", flush=True)

    if not reused:
        print(f"Indexing {args.docs:,} SYNTHETIC documents (seed {args.seed}) ...", flush=True)
        profiler = None
        if args.profile_index:
            import cProfile

            profiler = cProfile.Profile()
            profiler.enable()
        t, cpu, server = time.perf_counter(), _cpu_s(), _server_cpu_s()
        report = index_rebuild(progress=progress, documents=corpus)
        rebuild_s = time.perf_counter() - t
        if profiler is not None:
            profiler.disable()
            profiler.dump_stats(args.profile_index)
        rebuild_cpu, rebuild_server = _cpu_s() - cpu, _server_cpu_s() - server
        clear()
        if tty:
            print()
        indexing_s = rebuild_s - corpus.seconds
        figures.update(
            rebuild_s=rebuild_s,
            generation_s=corpus.seconds,
            indexing_s=indexing_s,
            indexing_cpu_s=rebuild_cpu - corpus.cpu_seconds,
            indexing_server_cpu_s=rebuild_server,
            documents=sum(report.documents.values()),
            words=corpus.words,
            kinds=dict(corpus.kinds),
            facet_rows=SearchFacetValue.objects.count(),
            vocabulary=SearchWord.objects.count(),
        )
        print(
            f"  index_rebuild: {rebuild_s:.1f} s for {figures['documents']:,} documents "
            f"({corpus.words:,} words), of which {corpus.seconds:.1f} s making the synthetic "
            f"documents -> indexing {indexing_s:.1f} s ({figures['documents'] / indexing_s:,.0f} "
            f"documents/s); {figures['facet_rows']:,} facet values, {figures['vocabulary']:,} "
            f"vocabulary words",
            flush=True,
        )
        print(
            f"  CPU: indexing {figures['indexing_cpu_s']:.1f} s in this process"
            + (
                f" + {rebuild_server:.1f} s in the PostgreSQL backend"
                if connection.vendor == "postgresql"
                else ""
            )
            + f"; making the documents {corpus.cpu_seconds:.1f} s",
            flush=True,
        )
        print(
            "  kinds: " + ", ".join(f"{k} {n:,}" for k, n in corpus.kinds.most_common()), flush=True
        )
        if args.again:
            print("Rebuilding again: a new generation replaces the served one ...", flush=True)
            again = Corpus(spec)
            started = time.perf_counter()
            t, cpu, server = time.perf_counter(), _cpu_s(), _server_cpu_s()
            report = index_rebuild(progress=progress, documents=again)
            again_s = time.perf_counter() - t - again.seconds
            again_cpu, again_server = _cpu_s() - cpu - again.cpu_seconds, _server_cpu_s() - server
            clear()
            if tty:
                print()
            figures.update(again_s=again_s, again_cpu_s=again_cpu, again_server_cpu_s=again_server)
            print(
                f"  second index_rebuild: indexing {again_s:.1f} s without making the documents, "
                f"{report.removed:,} old documents removed; CPU {again_cpu:.1f} s in this process"
                + (
                    f" + {again_server:.1f} s in the PostgreSQL backend"
                    if connection.vendor == "postgresql"
                    else ""
                ),
                flush=True,
            )
        assert SearchDocument.objects.count() == figures["documents"]
    else:
        figures.update(documents=SearchDocument.objects.count(), indexing_s=None)
        print(f"Reusing the kept index: {figures['documents']:,} documents", flush=True)
    if connection.vendor == "postgresql":
        t = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # what autovacuum does shortly after a bulk write
        figures["analyze_s"] = _step("ANALYZE (autovacuum would do it after the load)", t)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            figures["db_mb"] = cursor.fetchone()[0] / 2**20
    else:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        figures["db_mb"] = sum(p.stat().st_size for p in tmp.iterdir()) / 2**20
    print(f"  database size: {figures['db_mb']:,.0f} MB", flush=True)

    if args.index_only:
        print_targets(figures)
        if args.json:
            args.json.write_text(json.dumps(figures, indent=2, default=str))
        return 0
    if args.match_cache is not None:
        from sdg87.search import postings

        postings.MATCH_CACHE = args.match_cache
        figures["match_cache"] = args.match_cache
    if args.cold:
        from sdg87.search import postings, scoring

        postings.MATCH_CACHE = 0
        scoring.SCORE_CACHE_BYTES = 0
        figures["cold"] = True
        print("\nCold: no matches or scores kept per query words (--cold).", flush=True)
    sets = query_sets(places)
    if args.only:
        sets = [qs for qs in sets if args.only in qs.label]
    print(
        f"\nQueries: {args.clients} concurrent client processes, {args.queries} measured "
        f"searches per kind after {args.warmup} warm-up rounds per client; each search is "
        "the full results page (page 1, groups, all facets, did-you-mean)",
        flush=True,
    )
    rows = run_queries(sets, args.clients, args.queries, args.warmup) if args.queries else []
    figures["queries"] = rows
    print_table(figures, args)
    if args.profile:
        profile(sets)
    if args.cprofile:
        figures["cprofile_cpu_ms"] = cprofile(sets, args.cprofile, args.cprofile_runs)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, default=str))
    return 0


def print_table(figures: dict[str, Any], args: argparse.Namespace) -> None:
    print(
        f"\n{figures['backend']}, {figures['documents']:,} synthetic documents, "
        f"{args.clients} clients"
    )
    print(
        "| query | p50 ms | p95 ms | mean ms | req/s | client CPU ms/req "
        "| server CPU ms/req | load | matches |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---|")
    for row in figures["queries"]:
        server = (
            f"{row['server_cpu_ms']:.1f}" if figures["backend"] == "PostgreSQL" else "in client"
        )
        matches = "; ".join(
            f"{v['params']}: {v.get('total', '?'):,} (p95 {v['p95_ms']:.0f} ms)"
            + (f" (did you mean {v['suggestion']!r})" if v.get("suggestion") else "")
            + (f" [cut short: {', '.join(v['cut_short'])}]" if v.get("cut_short") else "")
            for v in row["variants"]
        )
        print(
            f"| {row['label']} | {row['p50_ms']:.1f} | {row['p95_ms']:.1f} | {row['mean_ms']:.1f} "
            f"| {row['req_s']:.1f} | {row['client_cpu_ms']:.1f} | {server} "
            f"| {row['load_avg']:.1f} | {matches} |"
        )
    print_targets(figures)


def print_targets(figures: dict[str, Any]) -> None:
    reindex = figures["indexing_s"]
    target = TARGET_REINDEX_S * figures["documents"] / 100_000
    if reindex is None:
        print("\n(A kept index: not rebuilt in this run.)")
    else:
        print(
            f"\nTarget: full reindex of 100,000 documents <= {TARGET_REINDEX_S:.0f} s: "
            f"{reindex:.1f} s for {figures['documents']:,} -> "
            + ("meets" if reindex <= target else "MISSES")
        )
    if "again_s" in figures:
        print(
            f"  replacing a served generation: {figures['again_s']:.1f} s -> "
            + ("meets" if figures["again_s"] <= target else "MISSES")
        )
    for row in figures.get("queries", []):
        if "two facets" in row["label"]:
            verdict = "meets" if row["p95_ms"] <= TARGET_P95_MS else "MISSES"
            print(
                f"Target: p95 <= {TARGET_P95_MS:.0f} ms ({row['label']}): "
                f"{row['p95_ms']:.1f} ms -> {verdict}"
            )


if __name__ == "__main__":
    sys.exit(main())
