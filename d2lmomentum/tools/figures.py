"""The theory figures: each a function returning its matplotlib figure, and :func:`write_all`."""
from pathlib import Path

import numpy as np

from d2lmomentum import theory
from d2lmomentum.atomic import replacing
from d2lmomentum.backends import load
from d2lmomentum.data import load_airfoil
from d2lmomentum.plotting import plt
from d2lmomentum.train import train_momentum


def convergence_region(eta_lam_max=4.5, n=400):
    """Spectral radius of momentum over (eta*lambda, beta), with ``eta*lambda = 2 + 2 beta`` and ``= 2``."""
    x = np.linspace(0, eta_lam_max, n)
    beta = np.linspace(0, 0.999, n)
    X, B = np.meshgrid(x, beta)
    rho = theory.spectral_radius(B, X, 1.0)
    fig, ax = plt().subplots(figsize=(5.5, 4))
    im = ax.pcolormesh(X, B, np.minimum(rho, 1.5), cmap="viridis", shading="auto", vmin=0, vmax=1.5)
    fig.colorbar(im, ax=ax, label="spectral radius of R (clipped at 1.5)")
    ax.contour(X, B, rho, levels=[1.0], colors="white", linewidths=1)
    ax.plot(2 + 2 * beta, beta, "r--", label=r"$\eta\lambda = 2 + 2\beta$ (momentum)")
    ax.axvline(2, color="orange", ls=":", label=r"$\eta\lambda = 2$ (gradient descent)")
    ax.set_xlim(0, eta_lam_max)
    ax.set_xlabel(r"$\eta\lambda$")
    ax.set_ylabel(r"$\beta$")
    ax.set_title("momentum converges where the radius < 1")
    ax.legend(loc="lower right", fontsize=8)
    return fig


def rate_vs_condition(kappas=None):
    """Best rates of GD and heavy-ball momentum against the condition number (log scale)."""
    kappas = np.logspace(0, 4, 200) if kappas is None else np.asarray(kappas)
    best = theory.optimal_parameters(1.0, kappas)
    fig, ax = plt().subplots(figsize=(5, 3.5))
    ax.loglog(kappas, 1 - best["gd"]["rate"], label="gradient descent: 1 - (κ-1)/(κ+1)")
    ax.loglog(kappas, 1 - best["momentum"]["rate"], label="momentum: 1 - (√κ-1)/(√κ+1)")
    ax.set_xlabel("condition number κ = L/μ")
    ax.set_ylabel("1 - rate (progress per step)")
    ax.legend(fontsize=8)
    ax.grid(True, which="both", alpha=0.3)
    return fig


def eigen_decay(num=6, eta=1.0, beta=0.9, steps=60):
    """Exercise 2: ``|x_i|`` over steps for ``lambda_i = 2^-i``, GD against momentum."""
    lambdas = 2.0 ** -np.arange(num)
    runs = theory.run_quadratic(lambdas, eta, beta, steps)
    fig, axes = plt().subplots(1, 2, figsize=(8, 3.2), sharey=True)
    for ax, key in zip(axes, ("gd", "momentum")):
        for i, lam in enumerate(lambdas):
            ax.semilogy(np.abs(runs[key][:, i]) + 1e-16, label=f"λ = 2^-{i}")
        ax.set_title(f"{key} (η = {eta}" + (f", β = {beta})" if key == "momentum" else ")"))
        ax.set_xlabel("step")
    axes[0].set_ylabel("|x_i|")
    axes[0].legend(fontsize=7)
    return fig


def batch_momentum_sweep(backend=None, batch_sizes=(5, 10, 20, 50, 100, 300, 1500),
                         betas=(0.0, 0.5, 0.9), lr=0.01, num_epochs=2, seed=0, data=None):
    """Exercise 4: final training loss against batch size and beta on the airfoil data.

    Returns ``(figure, {beta: [final loss per batch size]})``.
    """
    X, y = load_airfoil(data)
    finals = {}
    for beta in betas:
        finals[beta] = []
        for bs in batch_sizes:
            r = train_momentum(lr, beta, num_epochs, backend=backend, seed=seed, batch_size=bs, data=(X, y))
            finals[beta].append(load("numpy").loss([r.w, r.b], X, y))
    fig, ax = plt().subplots(figsize=(5, 3.5))
    for beta in betas:
        ax.semilogx(batch_sizes, finals[beta], "o-", label=f"β = {beta}")
    ax.set_xlabel("batch size")
    ax.set_ylabel(f"training loss after {num_epochs} epochs")
    ax.set_title(f"lr = {lr}, {r.backend}")
    ax.legend(fontsize=8)
    return fig, finals


def save(fig, path):
    """Write ``fig`` to ``path`` whole or not at all (:mod:`d2lmomentum.atomic`), then close it."""
    try:
        with replacing(path) as tmp:
            fig.savefig(tmp, format=Path(path).suffix.lstrip("."), bbox_inches="tight", dpi=100)
    finally:
        plt().close(fig)
    return path


def write_all(out_dir, backend=None, fmt="png", data=None):
    """Write the four theory figures into ``out_dir``; returns their paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = [save(convergence_region(), out / f"convergence_region.{fmt}"),
             save(rate_vs_condition(), out / f"rate_vs_condition.{fmt}"),
             save(eigen_decay(), out / f"exercise2_eigen_decay.{fmt}"),
             save(batch_momentum_sweep(backend, data=data)[0], out / f"exercise4_batch_momentum.{fmt}")]
    return paths
