"""Loopback load test of the HTTP API (issue 13): bounded, it stops by itself.

    python bench/run.py api 1000000

Against a resolved population (prepared by population.py), `bonafide serve` runs in its own
process on a free localhost port, unlocked with the benchmarks' passphrase. Then, with 50
concurrent clients:

1. open loop at 20 requests/s for 30 s: each request verifies one applicant's dossier
   (`POST /verifications`); latency per request, p50 and p99 (target p99 ≤ 100 ms);
2. open loop at 20 requests/s for 30 s of person look-ups (`POST /persons/match`, and
   yente's `POST /match/persons` when the service has it; target p99 ≤ 30 ms);
3. closed loop: 50 clients verifying as fast as the service answers, for 15 s (throughput).

The peer, yente, is not run here (it needs Elasticsearch): its published figures are printed
beside — about 4 requests/s per vCPU, p50 475 ms in production.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx2

from bonafide.accounts import AccountStore, Role

sys.path.insert(0, str(Path(__file__).resolve().parent))
from population import prepare
from splink_realtime import percentile
from vaults import bench_vault

CLIENTS = 50
RATE = 20.0  # requests per second, open loop
SECONDS = 30.0
CLOSED_SECONDS = 15.0
BIN = Path(sys.executable).parent
YENTE_PEER = "yente (published): ≈ 4 requests/s per vCPU, p50 ≈ 475 ms in production"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _tokens(store: Path) -> dict[Role, str]:
    vault = bench_vault(store)
    accounts = AccountStore.open(vault)
    tokens = {}
    try:
        for role in (Role.VETTING, Role.ANALYST):
            name = f"bench-{role.value}"
            if accounts.get(name) is None:
                accounts.add(name, role, "benchmark account password")
            tokens[role] = accounts.create_token(name)
    finally:
        accounts.close()
        vault.close()
    return tokens


def _serve(store: Path, port: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [str(BIN / "bonafide"), "serve", "--data-dir", str(store), "--port", str(port)],
        env=os.environ.copy(),  # BONAFIDE_PASSPHRASE from vaults.py: it starts unlocked
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx2.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return server
        except httpx2.HTTPError:
            time.sleep(0.5)
    server.kill()
    raise SystemExit("the service did not start within 120 s")


async def _open_loop(
    client: httpx2.AsyncClient, requests: list[tuple[str, Any]], headers: dict[str, str]
) -> tuple[list[float], int]:
    """Send `requests` at RATE per second (each at its time, whatever the others do), at most
    CLIENTS in flight; latencies in ms and the count of failed answers."""
    gate = asyncio.Semaphore(CLIENTS)
    latencies: list[float] = []
    failed = 0
    start = time.perf_counter()

    async def one(number: int, path: str, body: Any) -> None:
        nonlocal failed
        await asyncio.sleep(max(0.0, start + number / RATE - time.perf_counter()))
        async with gate:
            began = time.perf_counter()
            answer = await client.post(path, json=body, headers=headers)
            latencies.append((time.perf_counter() - began) * 1000)
            failed += answer.status_code != 200

    await asyncio.gather(*(one(n, p, b) for n, (p, b) in enumerate(requests)))
    return sorted(latencies), failed


async def _closed_loop(
    client: httpx2.AsyncClient, dossiers: list[dict[str, Any]], headers: dict[str, str]
) -> float:
    done = 0
    stop = time.perf_counter() + CLOSED_SECONDS

    async def worker(offset: int) -> None:
        nonlocal done
        n = offset
        while time.perf_counter() < stop:
            dossier = dossiers[n % len(dossiers)]
            await client.post("/verifications", json={"dossiers": [dossier]}, headers=headers)
            done += 1
            n += CLIENTS

    began = time.perf_counter()
    await asyncio.gather(*(worker(i) for i in range(CLIENTS)))
    return done / (time.perf_counter() - began)


def _line(what: str, latencies: list[float], failed: int, target: float) -> None:
    p99 = percentile(latencies, 0.99)
    print(
        f"  {what:<34} n {len(latencies):>4}  p50 {statistics.median(latencies):6.1f} ms  "
        f"p99 {p99:6.1f} ms  failed {failed}  (target p99 ≤ {target:.0f} ms: "
        f"{'met' if p99 <= target else 'NOT met'})",
        flush=True,
    )


async def _run(port: int, tokens: dict[Role, str], dossiers: list[dict[str, Any]]) -> None:
    vetting = {"Authorization": f"Bearer {tokens[Role.VETTING]}"}
    analyst = {"Authorization": f"Bearer {tokens[Role.ANALYST]}"}
    limits = httpx2.Limits(max_connections=CLIENTS, max_keepalive_connections=CLIENTS)
    async with httpx2.AsyncClient(
        base_url=f"http://127.0.0.1:{port}", limits=limits, timeout=60
    ) as client:
        # warm, as a serving desk is: the person index opened, caches filled
        for dossier in dossiers[:30]:
            await client.post("/verifications", json={"dossiers": [dossier]}, headers=vetting)
        count = int(RATE * SECONDS)
        verify = [("/verifications", {"dossiers": [d]}) for d in dossiers[30 : 30 + count]]
        latencies, failed = await _open_loop(client, verify, vetting)
        _line(f"verify one dossier, {RATE:.0f}/s", latencies, failed, 100)

        records = [
            {
                "surname": d["identity"].get("surname"),
                "given_name": d["identity"].get("given_name"),
                "birth_date": d["identity"].get("birth_date"),
            }
            for d in dossiers[:count]
        ]
        latencies, failed = await _open_loop(
            client, [("/persons/match", r) for r in records], analyst
        )
        _line(f"persons/match, {RATE:.0f}/s", latencies, failed, 30)
        probe = await client.post(
            "/match/persons",
            json={"queries": {}},
            headers={"Authorization": f"ApiKey {tokens[Role.ANALYST]}"},
        )
        if probe.status_code != 404:
            queries = [
                (
                    "/match/persons",
                    {
                        "queries": {
                            "q": {
                                "schema": "Person",
                                "properties": {
                                    "firstName": [r["given_name"]],
                                    "lastName": [r["surname"]],
                                    "birthDate": [r["birth_date"]],
                                },
                            }
                        }
                    },
                )
                for r in records
            ]
            latencies, failed = await _open_loop(client, queries, analyst)
            _line(f"yente /match/persons, {RATE:.0f}/s", latencies, failed, 30)
        rate = await _closed_loop(client, dossiers, vetting)
        print(f"  closed loop, {CLIENTS} clients verifying: {rate:,.0f} requests/s", flush=True)
        print(f"  peer: {YENTE_PEER}", flush=True)


def main(sizes: list[int], work: Path) -> None:
    for people in sizes or [1_000_000]:
        _, store, _ = prepare(people, work)
        root = work / f"population-{people}"
        with (root / "applicants.jsonl").open(encoding="utf-8") as lines:
            dossiers = [json.loads(line) for line in lines]
        tokens = _tokens(store)
        port = _free_port()
        print(f"people {people:,}: bonafide serve on 127.0.0.1:{port}", flush=True)
        server = _serve(store, port)
        try:
            asyncio.run(_run(port, tokens, dossiers))
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]], Path("bench-data"))
