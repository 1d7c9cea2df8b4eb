"""sync.png: each camera's latency per flash, and their distributions side by side."""

from __future__ import annotations

from pathlib import Path

from hardware.analysis.screen_latency import CameraSync


def plot_sync(results: list[CameraSync], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (per_flash, spread) = plt.subplots(1, 2, figsize=(11, 4), gridspec_kw={"width_ratios": [3, 2]})
    for cam in results:
        xs = [i + 1 for i, v in enumerate(cam.latencies_ms) if v is not None]
        missed = [i + 1 for i, v in enumerate(cam.latencies_ms) if v is None]
        line = per_flash.plot(xs, cam.found, "o-", label=f"{cam.name} ({len(xs)}/{len(cam.latencies_ms)})")[0]
        if missed:
            per_flash.plot(missed, [0] * len(missed), "x", color=line.get_color(), markersize=10)
        if cam.found:
            spread.hist(cam.found, bins=10, alpha=0.6, label=cam.name, color=line.get_color())
    per_flash.set(xlabel="flash", ylabel="latency flip -> first frame (ms)", title="Latency per flash (x: missed)")
    per_flash.grid(alpha=0.3)
    per_flash.legend()
    spread.set(xlabel="latency (ms)", ylabel="flashes", title="Distribution")
    spread.grid(alpha=0.3)
    spread.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
