"""Multilinear PCA (Lu, Plataniotis and Venetsanopoulos, IEEE TNN 19(1), 2008), the paper's Table V features.

For training tensors X_1..X_M (here 64 x 64 x 64 face clips) MPCA finds one orthonormal projection U_n per
mode (64 x P_n) that maximises the total scatter Psi of the projected tensors Y_m = X_m x_1 U_1^T x_2 U_2^T
x_3 U_3^T around their mean. Lu's algorithm, step by step as we run it:

1. centre the training tensors on their mean (the mean is kept and subtracted from every tensor projected);
2. full-projection initialisation: U_n = the P_n leading eigenvectors of the mode-n total scatter
   sum_m X_m(n) X_m(n)^T (the left singular vectors of the mode-n unfolding of the stacked samples);
3. local optimisation: for each mode n in turn, U_n = the P_n leading eigenvectors of the scatter of the
   samples projected on every other mode; after each sweep over the modes, Psi = ||Y||^2 (sum over samples);
4. stop when Psi grows by less than ``eta`` in a sweep (the paper's eta = 0.1) or after ``max_sweeps``.

Steps 2-3 are the higher-order orthogonal iteration of a Tucker decomposition restricted to the non-sample
modes: tensorly's ``partial_tucker`` on the centred stack with the sample mode left out runs the same
iteration, and ``tests/elicitation/recognition/test_mpca.py`` checks that both find the same subspaces. Its
stopping rule (a change in relative reconstruction error) is not Lu's, and it decomposes the stacked tensor
with a thin SVD of each (I_n x M*prod(I_k)) unfolding per mode and sweep (two minutes for 60 clips here); we
work with the I_n x I_n mode scatters instead (eigh of 64 x 64) and apply Lu's rule. Pixels are scaled to
0..1, so Psi is in squared grey levels of that scale; the data are float32, the scatters float64.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

ETA = 0.1  # the paper's convergence threshold on the growth of Psi
MAX_SWEEPS = 10  # Lu's MATLAB code runs 1; with eta = 0.1 on 0..1 pixels a few sweeps reach it


@dataclass
class MPCA:
    ranks: tuple[int, ...]  # P_1, P_2, P_3 (each at most that mode's size)
    eta: float = ETA
    max_sweeps: int = MAX_SWEEPS
    mean: np.ndarray | None = None
    factors: list[np.ndarray] = field(default_factory=list)  # U_n, size_n x P_n, orthonormal columns
    psi: list[float] = field(default_factory=list)  # Psi after initialisation and after each sweep

    def fit(self, samples: np.ndarray) -> MPCA:
        """Learn the projections from `samples` (M x I_1 x I_2 x I_3), training samples only."""
        return self.fit_prepared(Prepared(samples))

    def fit_prepared(self, data: Prepared) -> MPCA:
        """Learn the projections from prepared training samples (shared by every dimensionality of a split)."""
        ranks = [min(r, n) for r, n in zip(self.ranks, data.shape, strict=True)]
        self.mean = data.mean
        # full-projection initialisation: each mode's leading eigenvectors of the unprojected scatter
        self.factors = [data.initial[n][1][:, :p] for n, p in enumerate(ranks)]
        self.psi = [data.captured(self.factors)]
        for _ in range(self.max_sweeps):
            for n, p in enumerate(ranks):
                self.factors[n], captured = _leading(_mode_scatter(data.project(self.factors, skip=n), n + 1), p)
            self.psi.append(captured)  # trace(U_N^T Phi_N U_N) = ||Y||^2 after the sweep's last mode
            if self.psi[-1] - self.psi[-2] < self.eta:
                break
        return self

    @property
    def sweeps(self) -> int:
        return len(self.psi) - 1

    def transform(self, samples: np.ndarray) -> np.ndarray:
        """The projected samples, one feature vector each (M x prod(P_n))."""
        if self.mean is None:
            raise ValueError("MPCA.transform before fit")
        centred = np.ascontiguousarray(samples - self.mean, dtype=np.float32)
        return _project_3(centred, self.factors).reshape(len(samples), -1)


class Prepared:
    """Centred training samples with what every fit on them needs: the mean, a copy with mode 3 first (so
    each projection contracts a contiguous last axis first) and the eigen-decomposition of each mode's scatter."""

    def __init__(self, samples: np.ndarray) -> None:
        if samples.ndim != 4:
            raise ValueError(f"MPCA here takes third-order samples (M x I1 x I2 x I3), got {samples.ndim - 1} modes")
        self.mean = samples.mean(axis=0, dtype=np.float64).astype(np.float32)
        self.x = np.ascontiguousarray(samples - self.mean, dtype=np.float32)  # M, I1, I2, I3
        self.x312 = np.ascontiguousarray(self.x.transpose(0, 3, 1, 2))  # M, I3, I1, I2
        self.shape = self.x.shape[1:]
        self.initial = [_eigen(_mode_scatter(self.x, n)) for n in (1, 2, 3)]

    def project(self, factors: list[np.ndarray], skip: int) -> np.ndarray:
        """The samples projected on every mode but `skip` (0-based), that mode left whole, in mode order."""
        u1, u2, u3 = (f.astype(np.float32) for f in factors)
        if skip == 2:  # contract I2 (last of x312), then I1: M, I3, P1, P2 -> M, P1, P2, I3
            y = _last(_last(self.x312, u2).transpose(0, 1, 3, 2), u1)  # M, I3, P2, P1
            return y.transpose(0, 3, 2, 1)
        y = _last(self.x, u3)  # M, I1, I2, P3
        if skip == 0:  # then I2: M, I1, P3, P2 -> M, I1, P2, P3
            return _last(y.transpose(0, 1, 3, 2), u2).transpose(0, 1, 3, 2)
        return _last(y.transpose(0, 2, 3, 1), u1).transpose(0, 3, 1, 2)  # then I1: M, I2, P3, P1 -> M, P1, I2, P3

    def captured(self, factors: list[np.ndarray]) -> float:
        return float(np.sum(np.square(_project_3(self.x, factors), dtype=np.float64)))


def _last(stack: np.ndarray, factor: np.ndarray) -> np.ndarray:
    """Contract the last axis of `stack` with factor (I x P): one BLAS call on a contiguous copy."""
    flat = np.ascontiguousarray(stack).reshape(-1, stack.shape[-1])
    return (flat @ factor).reshape(*stack.shape[:-1], factor.shape[1])


def _project_3(centred: np.ndarray, factors: list[np.ndarray]) -> np.ndarray:
    """centred x_1 U1^T x_2 U2^T x_3 U3^T (M x P1 x P2 x P3), the large contraction first."""
    u1, u2, u3 = (f.astype(np.float32) for f in factors)
    y = _last(centred, u3)  # M, I1, I2, P3
    y = _last(y.transpose(0, 1, 3, 2), u2)  # M, I1, P3, P2
    y = _last(y.transpose(0, 3, 2, 1), u1)  # M, P2, P3, P1
    return y.transpose(0, 3, 1, 2)


def _mode_scatter(stack: np.ndarray, mode: int) -> np.ndarray:
    """sum over samples of X(n) X(n)^T (mode n >= 1 of a stack whose mode 0 holds the samples)."""
    if mode == stack.ndim - 1:
        flat = np.ascontiguousarray(stack).reshape(-1, stack.shape[-1])
        return (flat.T @ flat).astype(np.float64)
    scatter = np.zeros((stack.shape[mode],) * 2)
    for sample in stack:  # one sample at a time: a small unfolding copy instead of the whole stack's
        unfolded = np.moveaxis(sample, mode - 1, 0).reshape(sample.shape[mode - 1], -1)
        scatter += unfolded @ unfolded.T
    return scatter


def _eigen(scatter: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Eigenvalues (descending) and eigenvectors (columns, same order) of a symmetric scatter matrix."""
    values, vectors = np.linalg.eigh(scatter)
    order = np.argsort(values)[::-1]
    return values[order], vectors[:, order]


def _leading(scatter: np.ndarray, count: int) -> tuple[np.ndarray, float]:
    """The `count` leading eigenvectors of a symmetric scatter matrix (columns) and the variation they capture."""
    values, vectors = _eigen(scatter)
    return vectors[:, :count], float(values[:count].sum())
