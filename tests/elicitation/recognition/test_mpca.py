"""MPCA (Lu et al. 2008) checked against direct computations on small random tensors."""

from __future__ import annotations

import numpy as np
import pytest

from elicitation.recognition import MPCA, Prepared


def _projector(u: np.ndarray) -> np.ndarray:
    return u @ u.T


def test_projections_are_orthonormal_and_psi_never_falls() -> None:
    rng = np.random.default_rng(0)
    samples = rng.random((12, 9, 8, 7)).astype(np.float32)
    mpca = MPCA((4, 3, 5), eta=-1.0, max_sweeps=6).fit(samples)  # eta < 0: every sweep runs
    assert [u.shape for u in mpca.factors] == [(9, 4), (8, 3), (7, 5)]
    for u in mpca.factors:
        assert np.allclose(u.T @ u, np.eye(u.shape[1]), atol=1e-6)
    assert mpca.sweeps == 6
    assert all(b >= a - 1e-3 for a, b in zip(mpca.psi, mpca.psi[1:], strict=False))
    # Psi is the scatter of the projected training samples around their mean
    projected = mpca.transform(samples)
    assert np.sum(np.square(projected, dtype=np.float64)) == pytest.approx(mpca.psi[-1], rel=1e-4)


def test_it_stops_when_psi_grows_by_less_than_eta() -> None:
    rng = np.random.default_rng(1)
    samples = rng.random((10, 6, 6, 6)).astype(np.float32)
    assert MPCA((3, 3, 3), eta=1e9, max_sweeps=8).fit(samples).sweeps == 1
    assert MPCA((3, 3, 3), eta=-1.0, max_sweeps=8).fit(samples).sweeps == 8


def test_on_a_matrix_it_is_plain_pca() -> None:
    """Samples that vary along one mode only (I x 1 x 1) are vectors: MPCA's mode-1 projection is PCA's."""
    rng = np.random.default_rng(2)
    vectors = rng.normal(size=(40, 10)) @ rng.normal(size=(10, 10))
    mpca = MPCA((3, 1, 1)).fit(vectors[:, :, None, None].astype(np.float32))
    centred = vectors - vectors.mean(axis=0)
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    assert np.allclose(_projector(mpca.factors[0]), _projector(vt[:3].T), atol=1e-4)


def test_the_same_subspaces_as_tensorlys_partial_tucker() -> None:
    """The iteration is tensorly's HOOI on the centred stack with the sample mode left out."""
    from tensorly.decomposition import partial_tucker

    rng = np.random.default_rng(3)
    samples = rng.random((8, 7, 6, 5))
    (_, factors), _ = partial_tucker(
        samples - samples.mean(axis=0), [3, 3, 2], modes=[1, 2, 3], n_iter_max=3, init="svd", tol=None
    )
    ours = MPCA((3, 3, 2), eta=-1.0, max_sweeps=3).fit(samples.astype(np.float32))
    for mine, theirs in zip(ours.factors, factors, strict=True):
        assert np.allclose(_projector(mine), _projector(np.asarray(theirs)), atol=1e-4)


def test_the_split_wide_preparation_projects_like_a_direct_sum() -> None:
    rng = np.random.default_rng(4)
    data = Prepared(rng.random((5, 6, 7, 8)).astype(np.float32))
    factors = [rng.normal(size=(n, k)).astype(np.float32) for n, k in ((6, 2), (7, 3), (8, 4))]
    subscripts = ("ai", "bj", "ck")
    for skip, kept in enumerate(("ajk", "ibk", "ijc")):
        used = [f for n, f in enumerate(factors) if n != skip]
        expected = np.einsum(
            f"mabc,{','.join(s for n, s in enumerate(subscripts) if n != skip)}->m{kept}", data.x, *used
        )
        assert np.allclose(data.project(factors, skip), expected, rtol=1e-4, atol=1e-4)
