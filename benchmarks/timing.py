"""Timing shared by the benchmarks."""

from __future__ import annotations

import time


def best_of(fn, repeat: int) -> float:
    """The fastest of ``repeat`` runs of ``fn(i)`` (``i`` the run number, for runs
    that need their own output file), in seconds."""
    times = []
    for i in range(repeat):
        t = time.perf_counter()
        fn(i)
        times.append(time.perf_counter() - t)
    return min(times)


def process_env() -> dict[str, str]:
    """The environment a timed process runs in: this one, with Python's bytecode cache
    on, in a folder of its own under the temporary directory.

    An installed ipxl has its modules compiled (pip compiles them as it installs,
    whatever ``PYTHONDONTWRITEBYTECODE`` says), but an editable install on a machine
    that sets that variable, as this one does, would compile ipxl's own modules from
    source in every run: a tenth of a second an officer never spends. The first
    (warm-up) run fills the cache; the floors run with the same cache.
    """
    import os
    import tempfile

    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = os.path.join(tempfile.gettempdir(), "ipxl-bench-pycache")
    return env


def run_process(argv: list[str], cwd: str | None = None) -> tuple[float, float, float]:
    """Run ``argv`` to the end as a whole process (in :func:`process_env`); its wall
    seconds, peak resident memory in MB and CPU seconds, user and system, on every
    core (the kernel's own accounting of that process, from ``wait4``)."""
    import os
    import subprocess

    t = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, env=process_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):  # 1: findings, which is a result
        raise RuntimeError(f"{' '.join(argv)} exited {proc.returncode}: {err.decode()[-500:]}")
    return wall, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def paired(a, b, runs: int, warmup: int = 1) -> dict[str, float]:
    """Run the commands ``a(i)`` and ``b(i)`` (argv lists for run ``i``) in turn, A B A
    B ..., after ``warmup`` pairs not counted. The medians of each wall time, of the
    ratio A/B pair by pair (so a machine that drifts between runs does not skew it),
    A's largest peak memory and the median of A's CPU seconds (above its wall time
    when it works on more than one core). A noisy shared machine moves both of a pair
    alike."""
    import statistics

    walls_a, walls_b, ratios, cpus, peak = [], [], [], [], 0.0
    for i in range(warmup + runs):
        wa, ma, ca = run_process(a(i))
        wb, _, _ = run_process(b(i))
        if i >= warmup:
            walls_a.append(wa)
            walls_b.append(wb)
            ratios.append(wa / wb)
            cpus.append(ca)
            peak = max(peak, ma)
    return {
        "a": statistics.median(walls_a),
        "b": statistics.median(walls_b),
        "ratio": statistics.median(ratios),
        "cpu": statistics.median(cpus),
        "peak": peak,
    }
