"""Table III: maximum-likelihood fits of four duration models, compared by AIC, with a KS test each.

Models (scipy.stats): Normal (``norm``, loc and scale free), Gamma (``gamma``), Weibull
(``weibull_min``) and Birnbaum-Saunders (``fatiguelife``), the last three with loc fixed at 0 (a
duration starts at 0), so every model has k = 2 free parameters. LL = sum of logpdf over the samples
at the fitted parameters, AIC = 2k - 2 LL = 4 - 2 LL (the paper: 1729.1 = 4 + 2 x 862.57). The best
model is the one with the lowest AIC. The Kolmogorov-Smirnov statistic and p are against the fitted
distribution; since its parameters come from the same data, p is optimistic (no Lilliefors correction).
The positive models need durations > 0: a duration of 0 (apex on the onset frame) is left out of every
fit, so all four see the same samples, and the count left out is reported.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import stats

MODELS: dict[str, Any] = {
    "normal": stats.norm,
    "gamma": stats.gamma,
    "weibull": stats.weibull_min,
    "birnbaum_saunders": stats.fatiguelife,
}
K = 2  # free parameters per model


@dataclass(frozen=True)
class Fit:
    model: str
    params: tuple[float, ...]  # scipy's order: shape(s), loc, scale
    log_likelihood: float
    aic: float
    ks_statistic: float
    ks_p: float
    best: bool = False

    def as_dict(self) -> dict[str, Any]:
        names = ["loc", "scale"] if self.model == "normal" else ["shape", "loc", "scale"]
        return {"model": self.model, "params": dict(zip(names, self.params, strict=True)),
                "log_likelihood": self.log_likelihood, "aic": self.aic, "ks_statistic": self.ks_statistic,
                "ks_p": self.ks_p, "best": self.best}  # fmt: skip


def fit_model(name: str, x: np.ndarray) -> Fit:
    dist = MODELS[name]
    params = tuple(float(p) for p in (dist.fit(x) if name == "normal" else dist.fit(x, floc=0)))
    ll = float(np.sum(dist.logpdf(x, *params)))
    ks = stats.kstest(x, dist.cdf, args=params)
    return Fit(name, params, ll, 2 * K - 2 * ll, float(ks.statistic), float(ks.pvalue))


def fit_all(durations: list[float] | np.ndarray) -> dict[str, Any]:
    """All four fits of the positive durations, best by AIC marked; None fits for fewer than 3 samples."""
    x = np.asarray(durations, dtype=float)
    positive = x[x > 0]
    out: dict[str, Any] = {"n": int(len(positive)), "left_out_not_positive": int(len(x) - len(positive)), "fits": []}
    if len(positive) < 3 or np.ptp(positive) == 0:
        out["note"] = "too few distinct durations to fit"
        return out
    fits = [fit_model(name, positive) for name in MODELS]
    best = min(fits, key=lambda f: f.aic)
    out["fits"] = [Fit(**{**f.__dict__, "best": f is best}).as_dict() for f in fits]
    out["best"] = best.model
    return out


def density(model: str, params: dict[str, float], x: np.ndarray) -> np.ndarray:
    """The fitted density at x (for the figures)."""
    dist = MODELS[model]
    args = [params["shape"]] if "shape" in params else []
    return dist.pdf(x, *args, loc=params["loc"], scale=params["scale"])
