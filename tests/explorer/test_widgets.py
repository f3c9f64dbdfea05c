"""``explore()`` in Jupyter: ipywidgets controls whose readout and trace are theory's numbers,
the number written as on the page (with 발산 beside a diverging coordinate), and bad settings."""
import re
import sys

import ipywidgets
import numpy as np
import pytest

from d2lmomentum import theory
from d2lmomentum.explorer import params


def setting(method="momentum", eta=0.6, beta=0.5, steps=20, x1=-5.0, x2=-2.0):
    return dict(method=method, eta=eta, beta=beta, steps=steps, x1=x1, x2=x2)


def test_explore_builds_widgets_and_redraws_with_theorys_numbers(theory_numbers, trainers):
    import d2lmomentum as dm
    ex = dm.explore(eta=0.6, beta=0.5)
    c = ex.controls
    assert isinstance(c["eta"], ipywidgets.FloatSlider) and isinstance(c["beta"], ipywidgets.FloatSlider)
    assert isinstance(c["steps"], ipywidgets.IntSlider) and isinstance(c["method"], ipywidgets.ToggleButtons)
    assert isinstance(ex.widget, ipywidgets.VBox) and ex.image.value[:4] == b"\x89PNG"
    assert [label for label, _ in c["method"].options] == [params.NAMES[m] for m in theory.METHODS]

    def check(s):
        end, radii, rho = theory_numbers(s)
        v = ex.values
        assert v["end"] == pytest.approx(tuple(end), rel=1e-12, abs=1e-300)
        assert v["rho"] == pytest.approx(rho, rel=1e-12) and v["diverged"] == (rho > 1)
        for i in range(2):
            assert v[f"x{i + 1}"] == f"{end[i]:.6f}"  # every end point here is below 1e15
            assert v["runaway"][i] == (radii[i] > 1)
            assert (f"<code>{end[i]:.6f}</code> <b style='color:#c62828'>발산</b>" in ex.readout.value) == (radii[i] > 1)
        assert f"<code>{rho:.6f}</code>" in ex.readout.value
        line = next(ln for ln in ex.axes["trace"].get_lines() if ln.get_gid() == s["method"])
        want = np.array(theory.train_2d(trainers[s["method"]](s["eta"], s["beta"]), s["steps"]))
        np.testing.assert_array_equal(np.column_stack(line.get_data()), want)

    check(setting())
    before = ex.image.value
    c["eta"].value = 0.4
    check(setting(eta=0.4))
    assert ex.image.value != before
    c["method"].value = "gd"
    c["eta"].value = 0.6
    check(setting("gd", 0.6))  # diverges: x2 = -1673.365109 발산
    c["method"].value = "nesterov"
    check(setting("nesterov", 0.6))
    ex.polyak.click()
    best = theory.optimal_parameters(0.2, 4.0)["momentum"]
    assert ex.values["rho"] == pytest.approx(best["rate"], rel=1e-6)
    check(setting(eta=c["eta"].value, beta=c["beta"].value))


def test_explore_rejects_bad_settings():
    from d2lmomentum.errors import InvalidArgumentError, InvalidTypeError
    from d2lmomentum.explorer import explore
    with pytest.raises(InvalidArgumentError, match=r"eta must be in \[0.01, 1.5\]"):
        explore(eta=3)
    with pytest.raises(InvalidArgumentError, match="method must be one of gd, momentum, nesterov"):
        explore(method="adam")
    with pytest.raises(InvalidArgumentError, match="unknown setting 'lr'"):
        explore(lr=0.1)
    with pytest.raises(InvalidTypeError, match="steps must be an integer"):
        explore(steps=2.5)


def test_explore_without_ipywidgets_names_the_extra(monkeypatch):
    from d2lmomentum.explorer import explore
    monkeypatch.setitem(sys.modules, "ipywidgets", None)
    with pytest.raises(ImportError, match=re.escape("pip install 'd2lmomentum[widgets]'")):
        explore()
