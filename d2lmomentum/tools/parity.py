"""Cross-backend parity: every framework, from scratch and built-in, against the NumPy oracle.

For each named configuration the oracle (``numpy`` backend, closed-form gradients) trains
with a fixed seed; every framework then trains the same model on the same data order from
the same initial weights, once with :func:`d2lmomentum.train_momentum` and once with its
own optimizer (:func:`d2lmomentum.train_concise`). The error of a run is the worst of

* the relative error of each of its loss points, ``|l - l*| / |l*|``, and
* the error of the final parameters ``theta = [w; b]`` relative to their scale,
  ``max |theta - theta*| / max |theta*|``.
"""
import dataclasses
import json

import numpy as np

from d2lmomentum.backends import FRAMEWORKS, load
from d2lmomentum.configs import CONFIGS, TOLERANCE, Config  # noqa: F401  (parity.Config, parity.CONFIGS)
from d2lmomentum.progress import ProgressBar
from d2lmomentum.train import train_concise, train_momentum

PATHS = ("scratch", "concise")


def concise_model(backend, c, dtype, batch_size=10):
    """``(lr, momentum)`` at which the chapter's rule computes what ``backend``'s own optimizer
    computes in ``dtype``, or ``None`` where that is ``(c.lr, c.momentum)`` itself.

    An optimizer that keeps its hyperparameters in a coarser dtype than the weights
    (``Backend.concise_hyper_dtype``) runs with them rounded; one that rescales the summed
    loss's gradient by a rounded ``1/batch_size`` (``Backend.concise_rescales_sum``) runs with
    the mean's gradient times ``round(1/B) * B``, which is the same iteration as the learning
    rate times that factor (with the momentum state scaled by it).
    """
    B = load(backend)
    coarse = B.concise_hyper_dtype
    if coarse is None or np.dtype(coarse).itemsize >= np.dtype(dtype).itemsize:
        return None
    rnd = np.dtype(coarse).type
    lr, momentum = float(rnd(c.lr)), float(rnd(c.momentum))
    if B.concise_rescales_sum:
        lr *= float(rnd(1.0 / batch_size)) * batch_size
    return lr, momentum


def run_error(result, oracle):
    """The worst relative error of ``result`` against ``oracle`` (see the module docstring)."""
    l, l0 = np.asarray(result.losses, np.float64), np.asarray(oracle.losses, np.float64)
    loss_err = float(np.max(np.abs(l - l0) / np.abs(l0)))
    th = np.concatenate([result.w.ravel(), result.b.ravel()]).astype(np.float64)
    th0 = np.concatenate([oracle.w.ravel(), oracle.b.ravel()]).astype(np.float64)
    param_err = float(np.max(np.abs(th - th0)) / np.max(np.abs(th0)))
    return max(loss_err, param_err)


def run_parity(configs=CONFIGS, backends=FRAMEWORKS, paths=PATHS, dtype="float32", seed=0,
               data=None, progress=False):
    """Run the matrix; returns a dict with the errors, the tolerance and ``ok``.

    A concise run whose optimizer rounds its hyperparameters (:func:`concise_model`) is compared
    with the oracle at the modelled hyperparameters; its error against the exact oracle is kept
    as a note, not hidden.
    """
    tol = TOLERANCE[dtype]
    rows = []
    bar = ProgressBar(len(configs) * (1 + len(backends) * len(paths)), progress, f"parity {dtype}", unit="run")
    try:
        for c in configs:
            kw = dict(num_epochs=c.num_epochs, seed=seed, nesterov=c.nesterov, dtype=dtype, data=data)
            oracle = train_momentum(c.lr, c.momentum, backend="numpy", **kw)
            bar.update(1)
            errors, notes = {}, {}
            for b in backends:
                for path in paths:
                    train = train_momentum if path == "scratch" else train_concise
                    result = train(c.lr, c.momentum, backend=b, **kw)
                    key = f"{b}/{path}"
                    errors[key] = run_error(result, oracle)
                    model = concise_model(b, c, dtype) if path == "concise" else None
                    if model is not None:
                        notes[key] = errors[key]
                        errors[key] = run_error(result, train_momentum(*model, backend="numpy", **kw))
                    bar.update(1)
            rows.append({"config": dataclasses.asdict(c), "final_loss": oracle.losses[-1],
                         "errors": errors, "vs_exact_hyperparameters": notes})
    finally:
        bar.close()
    worst = {}
    for row in rows:
        for k, e in row["errors"].items():
            worst[k] = max(worst.get(k, 0.0), e)
    return {"dtype": dtype, "tolerance": tol, "seed": seed, "rows": rows, "worst": worst,
            "ok": all(e <= tol for e in worst.values())}


def format_table(report):
    """The matrix as text: one row per configuration, one column per backend/path."""
    cols = list(report["worst"])
    name_w = max(len(r["config"]["name"]) for r in report["rows"]) + 2
    lines = [f"parity against the NumPy oracle, {report['dtype']}, tolerance {report['tolerance']:.0e} "
             f"(worst relative error of the loss points and final parameters)",
             "config".ljust(name_w) + "".join(c.rjust(20) for c in cols)]
    for r in report["rows"] + [{"config": {"name": "worst"}, "errors": report["worst"]}]:
        cells = "".join(
            (f"{r['errors'][c]:.2e}" + ("" if r["errors"][c] <= report["tolerance"] else " FAIL")).rjust(20)
            for c in cols)
        lines.append(r["config"]["name"].ljust(name_w) + cells)
    notes = [(r["config"]["name"], k, e) for r in report["rows"]
             for k, e in r.get("vs_exact_hyperparameters", {}).items()]
    if notes:
        worst = max(notes, key=lambda t: t[2])
        lines.append(
            f"note: {worst[1]} in {report['dtype']} is compared with the oracle at its optimizer's rounded "
            f"hyperparameters (parity.concise_model); against the exact hyperparameters its worst error is "
            f"{worst[2]:.2e} ({worst[0]})")
    lines.append("OK" if report["ok"] else "FAILED: some errors exceed the tolerance")
    return "\n".join(lines)


def to_json(report):
    return json.dumps(report, indent=2)
