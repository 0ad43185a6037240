"""Load on a real server: `provenance serve` on a free loopback port, driven by `wrk` with a fixed
number of connections for a bounded time; latency percentiles, requests per second, errors, and
the server's peak memory."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import psutil

from app.settings import ROOT

_SCRIPT = """
local paths = {%s}
local counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %%d, "errors": %%d, "duration_us": %%d, "p50_us": %%d, "p95_us": %%d, '
    .. '"p99_us": %%d}\\n', summary.requests, e.connect + e.read + e.write + e.status + e.timeout,
    summary.duration, latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""


@dataclass(frozen=True)
class LoadResult:
    requests: int
    requests_per_s: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: int


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """`provenance serve` in a child process on the given database; stopped on exit."""

    def __init__(self, database_url: str, workers: int = 2):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "LOAD_SEEDS": "false",
        }
        command = [
            sys.executable, "-m", "app", "serve", "--port", str(self.port),
            "--workers", str(workers), "--quiet",
        ]
        self.process = subprocess.Popen(
            command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )

    def __enter__(self) -> Server:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server stopped: {self.process.stderr.read().decode()}")
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as response:
                    if response.status == 200:
                        self._settle(deadline)
                        return self
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError("the server did not answer within 120 s")

    def __exit__(self, *_exc) -> None:
        self.stop()

    def _settle(self, deadline: float) -> None:
        """Wait until every worker has finished starting (the processes stop using CPU): the
        first worker answers while the others still load, and a request they took then would
        time their start, not the page."""
        while time.monotonic() < deadline:
            before = self._cpu_seconds()
            time.sleep(0.5)
            if self._cpu_seconds() - before < 0.05:
                return

    def _cpu_seconds(self) -> float:
        try:
            root = psutil.Process(self.process.pid)
            processes = [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            return 0.0
        total = 0.0
        for process in processes:
            try:
                times = process.cpu_times()
            except psutil.NoSuchProcess:
                continue
            total += times.user + times.system
        return total

    def peak_memory_mb(self) -> float:
        """Peak resident memory of the server and its workers (VmHWM), summed."""
        total = 0
        try:
            processes = [psutil.Process(self.process.pid)]
            processes += processes[0].children(recursive=True)
        except psutil.NoSuchProcess:
            return 0.0
        for process in processes:
            try:
                status = Path(f"/proc/{process.pid}/status").read_text()
            except OSError:
                continue
            for line in status.splitlines():
                if line.startswith("VmHWM:"):
                    total += int(line.split()[1])
        return total / 1024

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def wrk_path() -> str:
    found = shutil.which("wrk")
    if found is None:
        raise RuntimeError("wrk is not installed (make bench installs it: apt-get install wrk)")
    return found


def load(
    base_url: str, paths: Sequence[str], seconds: float, connections: int = 16, threads: int = 2
) -> LoadResult:
    """Request ``paths`` in turn over ``connections`` connections for ``seconds``."""
    literal = ", ".join(json.dumps(quote(p, safe="/?=&")) for p in paths)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(_SCRIPT % literal)
    try:
        result = subprocess.run(
            [
                wrk_path(), f"-t{threads}", f"-c{connections}", f"-d{max(1, round(seconds))}s",
                "--timeout", "10s", "-s", script.name, base_url,
            ],
            capture_output=True, text=True, timeout=seconds + 60, check=True,
        )
    finally:
        os.unlink(script.name)
    lines = [x for x in result.stdout.splitlines() if x.startswith("{")]
    if not lines:
        raise RuntimeError(f"wrk reported nothing: {result.stderr.strip()[:300]}")
    figures = json.loads(lines[-1])
    return LoadResult(
        requests=figures["requests"],
        requests_per_s=figures["requests"] / (figures["duration_us"] / 1e6),
        p50_ms=figures["p50_us"] / 1000,
        p95_ms=figures["p95_us"] / 1000,
        p99_ms=figures["p99_us"] / 1000,
        errors=figures["errors"],
    )
