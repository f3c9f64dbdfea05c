"""The explorer in Jupyter: ipywidgets controls and one matplotlib figure, redrawn from
:mod:`d2lmomentum.theory` on every change and shown as a PNG image widget (so it works the
same with any matplotlib backend, and without a kernel)."""
import io

import numpy as np

from d2lmomentum import theory
from d2lmomentum.explorer import model, params

COLORS = params.COLORS
LABELS = {"gd": "gradient descent", "momentum": "momentum", "nesterov": "Nesterov"}  # matplotlib's fonts lack Hangul
EXTRA = "pip install 'd2lmomentum[widgets]'"
DIVERGED = "<b style='color:#c62828'>발산</b>"


def _ipywidgets():
    try:
        import ipywidgets
    except ImportError as e:
        raise ImportError(f"d2lmomentum.explore() needs ipywidgets: {EXTRA}") from e
    return ipywidgets


_REGION = {}


def _region(kind, n=240):
    """``rho`` over ``eta*lambda`` in [0, 6.3] and ``beta`` in [0, 1], for momentum or Nesterov."""
    if kind not in _REGION:
        X, B = np.meshgrid(np.linspace(0, 6.3, n), np.linspace(0, 1, n))
        _REGION[kind] = theory.spectral_radius(B, X, 1.0, nesterov=kind == "nesterov")
    return _REGION[kind]


class Explorer:
    """``controls`` (name -> widget: ``eta``, ``beta``, ``steps``, ``method``, ``x1``, ``x2``),
    the ``polyak`` and ``gd_best`` buttons, the ``figure`` (matplotlib), the ``image`` and
    ``readout`` widgets, and ``values``: the numbers shown (:func:`model.readout`)."""

    def __init__(self, **initial):
        w = _ipywidgets()
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
        p = params.check(initial)
        r = params.RANGES
        # a redraw takes a few tenths of a second: redraw when a slider is let go, not on every move
        slider = dict(continuous_update=False, style={"description_width": "5em"},
                      layout=w.Layout(width="340px"))
        self.controls = {
            "method": w.ToggleButtons(options=[(params.NAMES[m], m) for m in params.METHODS], value=p["method"],
                                      description="방법", style={"description_width": "5em"}),
            "eta": w.FloatSlider(value=p["eta"], min=r["eta"][0], max=r["eta"][1], step=0.01,
                                 description="학습률 η", readout_format=".3f", **slider),
            "beta": w.FloatSlider(value=p["beta"], min=r["beta"][0], max=r["beta"][1], step=0.01,
                                  description="모멘텀 계수 β", readout_format=".3f", **slider),
            "steps": w.IntSlider(value=p["steps"], min=r["steps"][0], max=r["steps"][1], description="걸음 수",
                                 **slider),
            "x1": w.BoundedFloatText(value=p["x1"], min=r["x1"][0], max=r["x1"][1], step=0.1, description="시작 x₁",
                                     style={"description_width": "5em"}, layout=w.Layout(width="170px")),
            "x2": w.BoundedFloatText(value=p["x2"], min=r["x2"][0], max=r["x2"][1], step=0.1, description="x₂",
                                     style={"description_width": "2em"}, layout=w.Layout(width="130px")),
        }
        best = theory.optimal_parameters(model.LAMBDAS[0], model.LAMBDAS[1])
        self.polyak = w.Button(description="Polyak 최적 (κ = 20)")
        self.gd_best = w.Button(description="경사 하강법 최적 η")
        self.polyak.on_click(lambda _: self.set(method="momentum", eta=float(best["momentum"]["eta"]),
                                                beta=float(best["momentum"]["beta"])))
        self.gd_best.on_click(lambda _: self.set(method="gd", eta=float(best["gd"]["eta"])))
        rates = w.HTML(f"κ = 20: 모멘텀 수렴률 <b>{best['momentum']['rate']:.6f}</b> "
                       f"(η = {best['momentum']['eta']:.6f}, β = {best['momentum']['beta']:.6f}), "
                       f"경사 하강법 최선 <b>{best['gd']['rate']:.6f}</b> (η = {best['gd']['eta']:.6f})")
        self.readout = w.HTML()
        self.image = w.Image(format="png")
        c = self.controls
        self.widget = w.VBox([c["method"], w.HBox([w.VBox([c["eta"], c["beta"], c["steps"]]),
                                                   w.VBox([w.HBox([c["x1"], c["x2"]]),
                                                           w.HBox([self.polyak, self.gd_best]), rates])]),
                              self.readout, self.image])
        self.figure = Figure(figsize=(11, 6.4))
        FigureCanvasAgg(self.figure)
        self._holding = False
        for widget in c.values():
            widget.observe(lambda _: self.redraw(), names="value")
        self.redraw()

    @property
    def params(self):
        """The current setting, from the controls."""
        return {k: w.value for k, w in self.controls.items()}

    def set(self, **changes):
        """Set several controls, then redraw once."""
        self._holding = True
        try:
            for key, value in changes.items():
                self.controls[key].value = value
        finally:
            self._holding = False
        self.redraw()

    def redraw(self):
        """Recompute from theory, redraw the figure and the readout."""
        if self._holding:
            return
        p = self.params
        self.values = model.readout(p)
        traces = {m: model.trace(m, p["eta"], p["beta"], p["steps"], p["x1"], p["x2"]) for m in params.METHODS}
        self.figure.clear()
        grid = self.figure.add_gridspec(2, 4, left=0.06, right=0.96, bottom=0.08, top=0.96, wspace=0.45, hspace=0.3)
        self.axes = {"trace": self.figure.add_subplot(grid[0, :2]), "distance": self.figure.add_subplot(grid[0, 2:]),
                     "eigen": [self.figure.add_subplot(grid[1, i]) for i in range(2)],
                     "region": self.figure.add_subplot(grid[1, 2:])}
        shown = [m for m in params.METHODS if m in ("gd", "momentum") or m == p["method"]]
        self._draw_trace(p, traces, shown)
        self._draw_distance(p, traces, shown)
        for i in range(2):
            self._draw_eigen(p, i)
        self._draw_region(p)
        buf = io.BytesIO()
        self.figure.savefig(buf, format="png", dpi=80)
        self.image.value = buf.getvalue()
        v = self.values
        verdict = (DIVERGED + " (ρ &gt; 1)" if v["diverged"] else
                   "수렴하지 않음 (ρ = 1)" if v["rho"] == 1 else "수렴 (ρ &lt; 1)")
        ends = [f"<code>{v[f'x{i + 1}']}</code>" + (" " + DIVERGED if v["runaway"][i] else "")
                for i in range(2)]
        self.readout.value = (f"{params.NAMES[p['method']]}, {p['steps']}걸음 뒤: x₁ = {ends[0]}, x₂ = {ends[1]}, "
                              f"ρ = <code>{params.number(v['rho'])}</code> — {verdict}")

    def _draw_trace(self, p, traces, shown):
        ax = self.axes["trace"]
        x1, x2 = np.meshgrid(*(np.arange(*axis) for axis in theory.TRACE_GRID))
        ax.contour(x1, x2, theory.f_2d(x1, x2), colors="#1f77b4", alpha=0.6)
        for m in shown:
            chosen = m == p["method"]
            ax.plot(*traces[m].T, marker="o", color=COLORS[m], ms=3 if chosen else 2, lw=2 if chosen else 1,
                    ls="-" if chosen else "--", alpha=1 if chosen else 0.7, label=LABELS[m], gid=m)
        # as the page: show_trace_2d's grid widened to the start and to the traces that do not diverge
        g1, g2 = theory.TRACE_GRID
        points = [[p["x1"] - 0.5, p["x2"] - 0.5], [p["x1"] + 0.5, p["x2"] + 0.5], [g1[0], g2[0]], [g1[1], g2[1]]]
        points += [q for m in shown if model.radii(m, p["eta"], p["beta"]).max() <= 1 for q in traces[m]]
        lo, hi = np.clip(np.min(points, axis=0), -12, 12), np.clip(np.max(points, axis=0), -12, 12)
        ax.set_xlim(np.floor(lo[0] * 2) / 2, np.ceil(hi[0] * 2) / 2)
        ax.set_ylim(np.floor(lo[1] * 2) / 2, np.ceil(hi[1] * 2) / 2)
        ax.set_xlabel("x1")
        ax.set_ylabel("x2")
        ax.legend(fontsize=8, loc="upper left")

    def _draw_distance(self, p, traces, shown):
        ax = self.axes["distance"]
        t = np.arange(p["steps"] + 1)
        for m in shown:
            d = np.hypot(*traces[m].T)
            ax.semilogy(t, np.where(d > 0, d, np.nan), color=COLORS[m], lw=2 if m == p["method"] else 1,
                        ls="-" if m == p["method"] else "--", label=LABELS[m])
        rho = model.radii(p["method"], p["eta"], p["beta"]).max()
        ax.semilogy(t, rho ** t * np.hypot(p["x1"], p["x2"]), ":", color="#666", label="ρᵗ·|x₀|")
        ax.set_xlabel("step t")
        ax.set_ylabel("|x_t − x*|")
        ax.legend(fontsize=8)

    def _draw_eigen(self, p, i):
        ax = self.axes["eigen"][i]
        eig = model.eigenvalues(p["method"], p["eta"], p["beta"])[i]
        rho = np.abs(eig).max()
        s = max(1.25, 1.1 * np.abs(model.eigenvalues(p["method"], p["eta"], p["beta"])).max())
        angle = np.linspace(0, 2 * np.pi, 200)
        ax.plot(np.cos(angle), np.sin(angle), color="#222", lw=1)
        ax.plot(rho * np.cos(angle), rho * np.sin(angle), "--", color=COLORS[p["method"]], lw=1)
        ax.plot(eig.real, eig.imag, "o", color=COLORS[p["method"]], mec="white", ms=8)
        ax.axhline(0, color="#bbb", lw=0.8)
        ax.axvline(0, color="#bbb", lw=0.8)
        ax.set_xlim(-s, s)
        ax.set_ylim(-s, s)
        ax.set_aspect("equal")
        ax.set_title(f"λ = {model.LAMBDAS[i]:g}: ρ = {rho:.6f}", fontsize=9)
        ax.set_xlabel("Re")
        ax.set_ylabel("Im")

    def _draw_region(self, p):
        ax = self.axes["region"]
        kind = "nesterov" if p["method"] == "nesterov" else "momentum"
        im = ax.imshow(np.minimum(_region(kind), 1.5), origin="lower", extent=(0, 6.3, 0, 1), aspect="auto",
                       cmap="viridis", vmin=0, vmax=1.5)
        self.figure.colorbar(im, ax=ax, label="ρ (≥ 1.5 clipped)")
        beta = np.linspace(0, 0.99, 100)
        ax.plot(theory.convergence_bound(beta, nesterov=kind == "nesterov"), beta, color="white", lw=2,
                label="ηλ = (2+2β)/(1+2β)" if kind == "nesterov" else "ηλ = 2 + 2β")
        ax.axvline(2, color="#d62728", ls=":", label="ηλ = 2 (gradient descent)")
        b = 0 if p["method"] == "gd" else p["beta"]
        ax.plot(p["eta"] * model.LAMBDAS, [b, b], "-", color="white", lw=1)
        for lam, marker in zip(model.LAMBDAS, "o^"):
            ax.plot(p["eta"] * lam, b, marker, color=COLORS[p["method"]], mec="black", ms=9)
        ax.set_xlim(0, 6.3)
        ax.set_ylim(0, 1)
        ax.set_xlabel("ηλ")
        ax.set_ylabel("β")
        ax.legend(fontsize=8, loc="upper right")

    def _ipython_display_(self):
        from IPython.display import display
        display(self.widget)
