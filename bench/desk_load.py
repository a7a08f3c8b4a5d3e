"""Loopback load test of the desk's pages (issue 14): bounded, it stops by itself.

    python bench/run.py desk 1000000

`bonafide serve` in its own process over the resolved population (bench/population.py),
unlocked. Through the API, one vetting officer enters, verifies and decides 40 applicants'
dossiers (setup, not timed). Then 50 desk users (vetting officers, each signed in through the
sign-in page with its own session cookie) open pages as an office does — a dossier's
verification view (verdict, claims, evidence, the SVG waterfall), the list of dossiers, the
checkpoint hand-off — in an open loop at 25 pages/s for 30 s, then as fast as the service
answers for 15 s. Target: p99 page ≤ 200 ms.
"""

from __future__ import annotations

import asyncio
import json
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import httpx2

from bonafide.accounts import AccountStore, Role

sys.path.insert(0, str(Path(__file__).resolve().parent))
from api_load import _free_port, _serve
from population import prepare
from splink_realtime import percentile
from vaults import bench_vault

USERS = 50
RATE = 25.0
SECONDS = 30.0
CLOSED_SECONDS = 15.0
DOSSIERS = 40
PASSWORD = "benchmark desk password"


def _accounts(store: Path) -> str:
    """An API token for the officer who prepares the cases; the desk users' accounts."""
    vault = bench_vault(store)
    accounts = AccountStore.open(vault)
    try:
        for n in range(USERS):
            if accounts.get(f"desk-{n}") is None:
                accounts.add(f"desk-{n}", Role.VETTING, PASSWORD)
        if accounts.get("desk-setup") is None:
            accounts.add("desk-setup", Role.VETTING, PASSWORD)
        if accounts.get("desk-intake") is None:
            accounts.add("desk-intake", Role.INTAKE, PASSWORD)
        return accounts.create_token("desk-setup") + " " + accounts.create_token("desk-intake")
    finally:
        accounts.close()
        vault.close()


def _prepare_cases(port: int, tokens: str, dossiers: list[dict[str, Any]]) -> list[str]:
    vetting, intake = ({"Authorization": f"Bearer {t}"} for t in tokens.split())
    codes = []
    with httpx2.Client(base_url=f"http://127.0.0.1:{port}", timeout=120) as client:
        for dossier in dossiers[:DOSSIERS]:
            body = {k: v for k, v in dossier.items() if k != "dossier_id"}
            code = client.post("/dossiers", json=body, headers=intake).json()["code"]
            client.post(f"/dossiers/{code}/submit", headers=intake)
            client.post(f"/dossiers/{code}/take", headers=vetting)
            client.post(f"/dossiers/{code}/verify", headers=vetting)
            client.post(
                f"/dossiers/{code}/decision",
                json={"decision": "question", "reason": "benchmark"},
                headers=vetting,
            )
            codes.append(code)
    return codes


async def _run(port: int, codes: list[str]) -> None:
    # the cases are the setup officer's: the desk users open the pages every vetting officer
    # may (the list, the hand-off, home); the setup officer opens the verification views
    users = [await _sign_in(port, f"desk-{n}") for n in range(USERS)]
    pages = ["/desk/dossiers", "/desk/handoff", "/desk"]
    rng = random.Random(7)
    latencies: list[float] = []
    failed = 0
    gate = asyncio.Semaphore(USERS)
    start = time.perf_counter()

    async def one(number: int) -> None:
        nonlocal failed
        await asyncio.sleep(max(0.0, start + number / RATE - time.perf_counter()))
        async with gate:
            client = users[number % USERS]
            page = rng.choice(pages)
            began = time.perf_counter()
            answer = await client.get(page)
            latencies.append((time.perf_counter() - began) * 1000)
            failed += answer.status_code != 200

    await asyncio.gather(*(one(n) for n in range(int(RATE * SECONDS))))
    latencies.sort()
    p99 = percentile(latencies, 0.99)
    print(
        f"  pages (list, hand-off, home), {RATE:.0f}/s, {USERS} users: n {len(latencies)}  "
        f"p50 {statistics.median(latencies):.1f} ms  p99 {p99:.1f} ms  failed {failed}  "
        f"(target p99 ≤ 200 ms: {'met' if p99 <= 200 else 'NOT met'})",
        flush=True,
    )
    # the verification view: the setup officer's cases, opened by the setup officer's session
    viewer = await _sign_in(port, "desk-setup")
    views: list[float] = []
    for code in codes * 3:
        began = time.perf_counter()
        answer = await viewer.get(f"/desk/dossiers/{code}")
        views.append((time.perf_counter() - began) * 1000)
        failed += answer.status_code != 200
    views.sort()
    print(
        f"  a dossier's verification view (report, evidence, SVG waterfall): n {len(views)}  "
        f"p50 {statistics.median(views):.1f} ms  p99 {percentile(views, 0.99):.1f} ms",
        flush=True,
    )
    done = 0
    stop = time.perf_counter() + CLOSED_SECONDS

    async def worker(client: httpx2.AsyncClient) -> None:
        nonlocal done
        while time.perf_counter() < stop:
            await client.get(rng.choice(pages))
            done += 1

    began = time.perf_counter()
    await asyncio.gather(*(worker(c) for c in users))
    print(f"  closed loop, {USERS} users: {done / (time.perf_counter() - began):,.0f} pages/s")
    for client in [*users, viewer]:
        await client.aclose()


async def _sign_in(port: int, name: str) -> httpx2.AsyncClient:
    """A desk user signed in through the sign-in page (its own session and CSRF cookies)."""
    client = httpx2.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=60)
    await client.get("/desk/sign-in")
    csrf = client.cookies.get("bf_csrf")
    await client.post("/desk/sign-in", data={"name": name, "password": PASSWORD, "csrf": csrf})
    return client


def main(sizes: list[int], work: Path) -> None:
    for people in sizes or [1_000_000]:
        _, store, _ = prepare(people, work)
        root = work / f"population-{people}"
        with (root / "applicants.jsonl").open(encoding="utf-8") as lines:
            dossiers = [json.loads(line) for line in lines]
        tokens = _accounts(store)
        port = _free_port()
        print(f"people {people:,}: bonafide serve on 127.0.0.1:{port}", flush=True)
        server = _serve(store, port)
        try:
            codes = _prepare_cases(port, tokens, dossiers)
            asyncio.run(_run(port, codes))
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]], Path("bench-data"))
