"""Load test: a real `schakel serve` on 127.0.0.1 against the local Slack Web API or Teams connector stand-in.

    .venv/bin/python -m bench.load slack --events 1000 --concurrency 20 [--fail-share 0.1]
    .venv/bin/python -m bench.load teams --events 200 --concurrency 10 [--fail-share 0.1]

It indexes the knowledge and the studies into a temporary folder (or uses --data-dir), starts the
server as an operator would, sends N signed events (or Bot Framework activities with valid tokens)
at concurrency C, waits for the replies, stops the server with SIGTERM, and reports: ack latency
p50/p95/p99/max, time to reply p50/p95, replies per event (exactly 1, lost, duplicated), errors by
status, and the server's RSS (peak, after the first 200 events, at the end). With --fail-share, that
share of the stand-in's answers to the bot's posts (and Slack reactions) is a 429 or a 500.
Everything runs on loopback; every loop is bounded in count and time.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import httpx
import psutil

from bench.targets import SlackTarget, Target, TeamsTarget

REPO_ROOT = Path(__file__).resolve().parents[1]
SCHAKEL = Path(sys.executable).with_name("schakel")
READY_WAIT = 300.0
REPLY_WAIT = 300.0  # after the last event, for the last replies (retries included)
QUIET_SECONDS = 5.0  # no new reply for this long after all are in: duplicates would have come


@dataclass
class Sent:
    number: int
    key: str  # what the reply is matched by: the event's ts, or the activity's id
    started: float
    ack_seconds: float | None = None
    status: str = ""


@dataclass
class Run:
    sent: list[Sent] = field(default_factory=list)
    rss_samples: list[tuple[float, int]] = field(default_factory=list)
    rss_after_first_200: int | None = None
    rss_by_replies: dict[int, int] = field(default_factory=dict)  # RSS when 200, 400, ... replies were in
    lock: threading.Lock = field(default_factory=threading.Lock)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("platform", choices=["slack", "teams"])
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--fail-share", type=float, default=0.0)
    parser.add_argument("--data-dir", type=Path, help="an indexed DATA_DIR to use (default: index into a temp folder)")
    parser.add_argument("--json", action="store_true", help="print the report as one JSON object")
    args = parser.parse_args()
    report = run(args.platform, args.events, args.concurrency, args.fail_share, args.data_dir)
    print(json.dumps(report) if args.json else "\n".join(f"{k}: {v}" for k, v in report.items()))


def run(platform: str, events: int, concurrency: int, fail_share: float, data_dir: Path | None) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="schakel-load-") as scratch:
        workdir = Path(scratch)
        data = data_dir or index_into(workdir / "data")
        target: Target = SlackTarget() if platform == "slack" else TeamsTarget()
        with target:
            if fail_share:
                target.fail_share(fail_share)
            process, base = start_server(target, data, workdir)
            try:
                result = measure(target, base, process, events, concurrency)
            finally:
                process.terminate()  # SIGTERM: a graceful stop
                try:
                    result["exit_status"] = process.wait(timeout=120)
                except subprocess.TimeoutExpired:
                    process.kill()
                    result["exit_status"] = "killed"
        log_tail = (workdir / "serve.log").read_text(encoding="utf-8", errors="replace").splitlines()[-3:]
        result["server_log_tail"] = log_tail
    return {"platform": platform, "events": events, "concurrency": concurrency, "fail_share": fail_share, **result}


def index_into(data_dir: Path) -> Path:
    env = {**os.environ, "DATA_DIR": str(data_dir), "INDEX_PATHS": default_index_paths(), "HF_HUB_OFFLINE": "1"}
    subprocess.run([str(SCHAKEL), "index"], env=env, check=True, cwd=REPO_ROOT, stdout=subprocess.DEVNULL)
    return data_dir


def default_index_paths() -> str:
    return ",".join(str(path) for path in (REPO_ROOT / "knowledge", (REPO_ROOT / ".." / "shared" / "corpus").resolve()))


def start_server(target: Target, data_dir: Path, workdir: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("SLACK_", "TEAMS_", "DATABASE_", "LOG_", "OUTBOX_"))}
    env.update({"DATA_DIR": str(data_dir), "INDEX_PATHS": default_index_paths(), "HF_HUB_OFFLINE": "1",
                "DATABASE_URL": f"sqlite:///{workdir / 'state.db'}", "RATE_LIMIT_PER_MINUTE": "1000000",
                "LOG_JSON": "true", "LOG_LEVEL": "WARNING", "PYTHONPATH": str(REPO_ROOT), **target.server_env()})
    log = (workdir / "serve.log").open("wb")
    process = subprocess.Popen([str(SCHAKEL), "serve", *target.serve_args(), "--port", str(port)], env=env,
                               cwd=workdir, stdout=subprocess.DEVNULL, stderr=log)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + READY_WAIT
    while True:
        if process.poll() is not None:
            raise SystemExit(f"schakel serve stopped ({process.returncode}); see {workdir / 'serve.log'}")
        try:
            if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                return process, base
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            process.kill()
            raise SystemExit("schakel serve did not become ready")
        time.sleep(0.2)


def measure(target: Target, base: str, process: subprocess.Popen[bytes], events: int,
            concurrency: int) -> dict[str, Any]:
    run_state = Run()
    stop_sampling = threading.Event()
    sampler = threading.Thread(target=sample_rss, args=(process.pid, run_state, stop_sampling), daemon=True)
    sampler.start()
    local = threading.local()
    # Made before the clock runs: a client builds an SSL context, 20 of them at once stalled the first sends.
    spare_clients = queue.SimpleQueue[httpx.Client]()
    for _ in range(concurrency):
        spare_clients.put(httpx.Client(timeout=30))

    def send(number: int) -> None:
        client = getattr(local, "client", None)
        if client is None:
            client = local.client = spare_clients.get()
        key, request = target.request(number)
        sent = Sent(number=number, key=key, started=time.time())
        begun = time.perf_counter()
        try:
            response = request(client, base)
            sent.status = str(response.status_code)
        except httpx.HTTPError as error:
            sent.status = type(error).__name__
        sent.ack_seconds = time.perf_counter() - begun
        with run_state.lock:
            run_state.sent.append(sent)
            if len(run_state.sent) == 200:
                run_state.rss_after_first_200 = rss_of(process.pid)

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        list(pool.map(send, range(events)))
    send_seconds = time.perf_counter() - started
    keys = {sent.key for sent in run_state.sent if sent.status in target.accepted_statuses}
    wait_for_replies(lambda: target.replies(), keys, lambda count: run_state.rss_by_replies.setdefault(
        count // 200 * 200, rss_of(process.pid)) if count >= 200 else None)
    stop_sampling.set()
    sampler.join()
    return summarize(target, run_state, send_seconds, process.pid)


def wait_for_replies(replies: Callable[[], dict[str, list[float]]], keys: set[str],
                     on_count: Callable[[int], Any]) -> None:
    """Until every accepted event has a reply and nothing new arrived for a while (bounded)."""
    deadline = time.monotonic() + REPLY_WAIT
    seen, quiet_since = -1, time.monotonic()
    while time.monotonic() < deadline:
        current = replies()
        count = sum(len(times) for times in current.values())
        on_count(count)
        if count != seen:
            seen, quiet_since = count, time.monotonic()
        answered = keys <= set(current)
        if answered and time.monotonic() - quiet_since >= QUIET_SECONDS:
            return
        time.sleep(0.2)


def sample_rss(pid: int, run_state: Run, stop: threading.Event) -> None:
    while not stop.wait(0.2):
        rss = rss_of(pid)
        if rss:
            run_state.rss_samples.append((time.time(), rss))


def rss_of(pid: int) -> int:
    try:
        return int(psutil.Process(pid).memory_info().rss)
    except psutil.Error:
        return 0


def summarize(target: Target, run_state: Run, send_seconds: float, pid: int) -> dict[str, Any]:
    acks = sorted(sent.ack_seconds for sent in run_state.sent if sent.ack_seconds is not None)
    replies = target.replies()
    to_reply = sorted(min(replies[sent.key]) - sent.started for sent in run_state.sent if sent.key in replies)
    per_event = Counter(len(replies.get(sent.key, [])) for sent in run_state.sent)
    mib = 1024 * 1024
    rss = [value for _, value in run_state.rss_samples]
    return {
        "send_seconds": round(send_seconds, 1),
        "ack_ms": {"p50": ms(percentile(acks, 50)), "p95": ms(percentile(acks, 95)),
                   "p99": ms(percentile(acks, 99)), "max": ms(acks[-1] if acks else None)},
        "acks_over_1s": sum(1 for ack in acks if ack >= 1.0),
        "slowest_acks_ms": sorted(((ms(sent.ack_seconds), sent.number) for sent in run_state.sent
                                   if sent.ack_seconds is not None), reverse=True)[:5],  # (ms, event number)
        "reply_s": {"p50": round(percentile(to_reply, 50) or 0, 2), "p95": round(percentile(to_reply, 95) or 0, 2)},
        "replies_per_event": {"exactly_1": per_event.get(1, 0), "lost": per_event.get(0, 0),
                              "duplicated": sum(n for count, n in per_event.items() if count > 1)},
        "statuses": dict(Counter(sent.status for sent in run_state.sent)),
        "stand_in_failures_injected": target.failures_injected(),
        "rss_mib": {"peak": round(max(rss) / mib, 1) if rss else None,
                    "after_first_200_sent": round((run_state.rss_after_first_200 or 0) / mib, 1),
                    "by_replies": {count: round(rss / mib, 1) for count, rss in sorted(run_state.rss_by_replies.items())},
                    "end": round(rss_of(pid) / mib, 1)},
    }


def percentile(values: list[float], p: float) -> float | None:
    if not values:
        return None
    index = min(len(values) - 1, max(0, round(p / 100 * len(values) + 0.5) - 1))
    return values[index]


def ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000, 1)


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


if __name__ == "__main__":
    if shutil.which(str(SCHAKEL)) is None:
        raise SystemExit(f"{SCHAKEL} not found: run `make setup` first")
    main()
