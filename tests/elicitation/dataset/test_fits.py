"""Table III fits: a known Gamma sample ranks Gamma best, its parameters come back, LL and AIC are honest."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from elicitation.dataset import MODELS, fit_all

SHAPE, SCALE = 4.0, 35.0  # mean 140 ms, like the paper's onset durations


@pytest.fixture(scope="module")
def gamma_sample() -> np.ndarray:
    return stats.gamma.rvs(SHAPE, scale=SCALE, size=800, random_state=np.random.default_rng(20130426))


def test_gamma_is_best_by_aic_and_its_parameters_are_recovered(gamma_sample):
    result = fit_all(gamma_sample)
    assert result["best"] == "gamma" and result["n"] == 800
    fits = {f["model"]: f for f in result["fits"]}
    assert [f["model"] for f in result["fits"] if f["best"]] == ["gamma"]
    assert fits["gamma"]["aic"] == min(f["aic"] for f in fits.values())
    params = fits["gamma"]["params"]
    assert params["loc"] == 0.0
    assert params["shape"] == pytest.approx(SHAPE, rel=0.12)
    assert params["scale"] == pytest.approx(SCALE, rel=0.12)
    assert fits["gamma"]["ks_p"] > 0.05 and fits["normal"]["ks_statistic"] > fits["gamma"]["ks_statistic"]


def test_ll_is_the_sum_of_logpdf_and_aic_is_4_minus_2_ll(gamma_sample):
    for fit in fit_all(gamma_sample)["fits"]:
        p = fit["params"]
        args = ([p["shape"]] if "shape" in p else []) + [p["loc"], p["scale"]]
        assert fit["log_likelihood"] == pytest.approx(float(np.sum(MODELS[fit["model"]].logpdf(gamma_sample, *args))))
        assert fit["aic"] == pytest.approx(4 - 2 * fit["log_likelihood"])
        if fit["model"] != "normal":
            assert p["loc"] == 0.0  # two free parameters: loc fixed at 0
    normal = next(f for f in fit_all(gamma_sample)["fits"] if f["model"] == "normal")["params"]
    assert normal["loc"] == pytest.approx(gamma_sample.mean()) and normal["scale"] == pytest.approx(gamma_sample.std())


def test_ks_is_against_the_fitted_distribution(gamma_sample):
    fit = next(f for f in fit_all(gamma_sample)["fits"] if f["model"] == "weibull")
    p = fit["params"]
    expected = stats.kstest(gamma_sample, "weibull_min", args=(p["shape"], 0, p["scale"]))
    assert fit["ks_statistic"] == pytest.approx(expected.statistic) and fit["ks_p"] == pytest.approx(expected.pvalue)


def test_zero_durations_are_left_out_of_every_fit_and_counted():
    result = fit_all([0.0, 0.0, 100.0, 120.0, 90.0, 150.0])
    assert result["n"] == 4 and result["left_out_not_positive"] == 2 and len(result["fits"]) == 4
    assert fit_all([100.0, 100.0])["fits"] == []
