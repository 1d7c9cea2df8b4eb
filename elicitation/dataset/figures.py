"""Figures 2 and 3 of the paper: a duration histogram with the four fitted densities (PNG bytes)."""

from __future__ import annotations

import io
from typing import Any

import numpy as np

from elicitation.dataset.fits import density

STYLES = {"normal": "-", "gamma": "--", "weibull": "-.", "birnbaum_saunders": ":"}


def duration_figure(durations: list[float], fitted: dict[str, Any], title: str) -> bytes | None:
    """None when there is nothing to draw (no durations)."""
    if not durations:
        return None
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    x = np.asarray(durations, dtype=float)
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.hist(x, bins=min(30, max(5, len(x) // 5)), density=True, color="#c6dbef", edgecolor="#6baed6")
    grid = np.linspace(max(x.min() * 0.5, 1e-3), x.max() * 1.15, 400)
    for fit in fitted.get("fits", []):
        label = f"{fit['model']} (AIC {fit['aic']:.1f}{', best' if fit['best'] else ''})"
        ax.plot(grid, density(fit["model"], fit["params"], grid), STYLES[fit["model"]], linewidth=1.6, label=label)
    ax.set(title=title, xlabel="ms", ylabel="density")
    ax.grid(alpha=0.3)
    if fitted.get("fits"):
        ax.legend(fontsize=8)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=90)
    plt.close(fig)
    return buffer.getvalue()
