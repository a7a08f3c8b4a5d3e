"""Loopback load test of the reports' intake (issue 15): bounded, it stops by itself.

    python bench/run.py reports-load 5000

`bonafide reports serve` runs in its own process on a free localhost port over a fresh vault.
The reports are a synthetic stream of `size` reports (about four weeks of them), its times
moved so that the last was seen an hour ago (intake takes sightings of the last 30 days).

1. ingest: 16 connections send the stream as fast as the service answers (the per-minute limit
   lifted), reports per second through the API (target ≥ 1,000/s);
2. the same service then takes 200 concurrent reporters for 60 s, at the intake's default
   limit (6,000 reports a minute for everyone together), each sending a report, waiting for
   the answer, then sending the next: answers by status, latency, the service's memory, and
   every report answered 201 found in the store afterwards (nothing lost);
3. during (2), every two seconds a fresh event is confirmed — three reports of troops from three
   places a few kilometres apart — and the feed is polled until the event is in it: seconds
   from the confirming report's answer to the event in the feed (target ≤ 1 s).

The client is a minimal HTTP/1.1 keep-alive client on asyncio streams, so that the load
generator, which shares the machine's two cores with the service, costs as little as it can.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bonafide.reports.channel import Channel
from bonafide.reports.events import read_jsonl
from bonafide.reports.gazetteer import Gazetteer
from bonafide.reports.synth import SynthStreamConfig, write_stream
from bonafide.vault import Passphrase, Vault
from splink_realtime import percentile
from vaults import BENCH_PASSPHRASE, bench_vault

BIN = Path(sys.executable).parent
INGEST_CONNECTIONS = 16
REPORTERS = 200
REPORTER_SECONDS = 60.0
PROBE_EVERY = 2.0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class Connection:
    """One keep-alive HTTP/1.1 connection: a request, then its whole answer."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, method: str, path: str, body: bytes = b"") -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        assert self.reader is not None
        head = (
            f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        )
        self.writer.write(head.encode() + body)
        await self.writer.drain()
        status_line = await self.reader.readline()
        status = int(status_line.split()[1])
        length = 0
        while True:
            line = await self.reader.readline()
            if line in (b"\r\n", b""):
                break
            name, _, value = line.decode("latin-1").partition(":")
            if name.lower() == "content-length":
                length = int(value)
        return status, await self.reader.readexactly(length)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


def _stream(size: int, work: Path) -> list[dict[str, Any]]:
    out = work / f"reports-{size}-9"
    if not (out / "reports.jsonl").exists():
        write_stream(SynthStreamConfig(reports=size, seed=9), out)
    records = read_jsonl(out / "reports.jsonl")
    last = max(dt.datetime.fromisoformat(r["seen_at"]) for r in records)
    shift = dt.datetime.now(dt.timezone(dt.timedelta(hours=3))).replace(tzinfo=None) - last
    shift -= dt.timedelta(hours=1)
    moved = []
    for record in records:
        seen = dt.datetime.fromisoformat(record["seen_at"]) + shift
        report = {k: v for k, v in record.items() if k != "report_id"}
        moved.append(report | {"seen_at": seen.isoformat(timespec="minutes")})
    return moved


def _serve(data_dir: Path, port: int, per_minute: int) -> subprocess.Popen[bytes]:
    command = [str(BIN / "bonafide"), "reports", "serve", "--data-dir", str(data_dir)]
    command += ["--port", str(port), "--per-minute", str(per_minute)]
    server = subprocess.Popen(
        command, env=os.environ.copy(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("the intake did not start within 60 s")


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def _ingest(port: int, bodies: list[bytes]) -> tuple[float, int]:
    queue = iter(bodies)
    accepted = 0

    async def sender() -> None:
        nonlocal accepted
        connection = Connection(port)
        for body in queue:
            status, _ = await connection.request("POST", "/api/reports", body)
            accepted += status == 201
        connection.close()

    started = time.perf_counter()
    await asyncio.gather(*(sender() for _ in range(INGEST_CONNECTIONS)))
    return time.perf_counter() - started, accepted


def _probe_places() -> list[tuple[str, str, str]]:
    """Triples of Belarusian settlements within 12 km of each other (distinct places)."""
    places = [p for p in Gazetteer.load().places if p.country == "BY" and p.ru]
    gazetteer = Gazetteer.load()
    triples = []
    for place in places:
        near = sorted(
            (
                other
                for other in places
                if other is not place
                and abs(other.lat - place.lat) < 0.12
                and abs(other.lon - place.lon) < 0.2
                and gazetteer.find(other.ru, limit=1)[0].place is other
            ),
            key=lambda other: abs(other.lat - place.lat) + abs(other.lon - place.lon),
        )
        if len(near) >= 2 and gazetteer.find(place.ru, limit=1)[0].place is place:
            triples.append((place.ru, near[0].ru, near[1].ru))
    return triples


async def _reporters(
    port: int, bodies: list[bytes], pid: int
) -> tuple[dict[int, int], list[float], list[float], list[float], int]:
    statuses: dict[int, int] = {}
    latencies: list[float] = []
    feed_delays: list[float] = []
    memory: list[float] = []
    probes = 0
    stop = time.perf_counter() + REPORTER_SECONDS
    rng = random.Random(5)

    async def reporter(number: int) -> None:
        connection = Connection(port)
        position = number
        while time.perf_counter() < stop:
            began = time.perf_counter()
            status, _ = await connection.request("POST", "/api/reports", bodies[position])
            latencies.append((time.perf_counter() - began) * 1000)
            statuses[status] = statuses.get(status, 0) + 1
            position = (position + REPORTERS) % len(bodies)
            if status == 429:
                await asyncio.sleep(1.0 + rng.random())  # told to wait: a reporter waits
        connection.close()

    async def prober() -> None:
        nonlocal probes
        triples = _probe_places()
        connection = Connection(port)
        marker = 70_000
        while time.perf_counter() < stop - 5:
            await asyncio.sleep(PROBE_EVERY)
            memory.append(_rss_mb(pid))
            marker += 1
            probes += 1
            first, second, third = rng.choice(triples)
            now = dt.datetime.now(dt.timezone(dt.timedelta(hours=3)))
            status = 0
            for minutes, place in ((40, first), (30, second), (20, third)):
                seen = (now - dt.timedelta(minutes=minutes)).replace(tzinfo=None)
                report = {"category": "troops_on_foot", "place": place, "count": marker,
                          "seen_at": seen.isoformat(timespec="minutes")}  # fmt: skip
                status = 429
                while status == 429:  # the probe is a reporter too: it waits its turn
                    status, _ = await connection.request(
                        "POST", "/api/reports", json.dumps(report).encode()
                    )
                    if status == 429:
                        await asyncio.sleep(0.2)
                statuses[status] = statuses.get(status, 0) + 1
            confirmed = time.perf_counter()
            while time.perf_counter() - confirmed < 10:
                _, body = await connection.request("GET", "/feed/events.json")
                if any(e["count"] == marker for e in json.loads(body)["events"]):
                    feed_delays.append(time.perf_counter() - confirmed)
                    break
        connection.close()

    await asyncio.gather(prober(), *(reporter(n) for n in range(REPORTERS)))
    return statuses, sorted(latencies), sorted(feed_delays), memory, probes


def run(size: int, work: Path) -> None:
    records = _stream(size, work)
    bodies = [json.dumps(r, ensure_ascii=False).encode() for r in records]
    data_dir = work / "reports-load-vault"
    shutil.rmtree(data_dir, ignore_errors=True)
    bench_vault(data_dir).close()
    port = _free_port()
    server = _serve(data_dir, port, per_minute=10_000_000)
    try:
        cpu = _cpu_seconds(server.pid)
        seconds, ingested = asyncio.run(_ingest(port, bodies))
        cpu = _cpu_seconds(server.pid) - cpu
        print(
            f"reports ingest via the API: {len(bodies):,} reports in {seconds:.1f} s = "
            f"{len(bodies) / seconds:,.0f} reports/s ({INGEST_CONNECTIONS} connections; "
            f"{len(bodies) - ingested:,} refused) — target ≥ 1,000/s; the service's own CPU "
            f"{cpu / len(bodies) * 1000:.2f} ms a report (≈ {len(bodies) / cpu:,.0f}/s on a "
            f"core of its own; load average {os.getloadavg()[0]:.1f})",
            flush=True,
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
    port = _free_port()
    server = _serve(data_dir, port, per_minute=6_000)
    try:
        before = _rss_mb(server.pid)
        statuses, latencies, delays, memory, probes = asyncio.run(
            _reporters(port, bodies, server.pid)
        )
        after = _rss_mb(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
    vault = Vault.unlock(data_dir, Passphrase(BENCH_PASSPHRASE))
    channel = Channel(vault)
    stored = channel.store.report_count()
    channel.close()
    accepted = ingested + statuses.get(201, 0)
    print(
        f"reports, {REPORTERS} reporters for {REPORTER_SECONDS:.0f} s at the default limit: "
        f"answers {dict(sorted(statuses.items()))}; latency p50 "
        f"{percentile(latencies, 0.5):.1f} ms, p99 {percentile(latencies, 0.99):.1f} ms, "
        f"max {latencies[-1]:.0f} ms; memory {before:.0f} → {after:.0f} MB "
        f"(max {max(memory, default=after):.0f}); stored {stored:,} of {accepted:,} "
        f"answered 201 ({'nothing lost' if stored >= accepted else 'LOST REPORTS'})",
        flush=True,
    )
    if delays:
        print(
            f"reports, event in the feed after its confirming report: {len(delays)} of {probes} "
            "probes seen (the others joined an event of the stream), "
            f"median {statistics.median(delays) * 1000:.0f} ms, max {max(delays) * 1000:.0f} ms "
            "— target ≤ 1 s",
            flush=True,
        )


def main(sizes: list[int], work: Path) -> None:
    for size in sizes:
        run(size, work)
