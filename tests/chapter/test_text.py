"""The chapter text's claims: every number its prose states equals an independent computation
(NumPy's eigenvalues, iterating the update by hand, a seeded training run), its new cells print
what NumPy computes, and it uses one term for one idea."""
import contextlib
import io
import re
from urllib.parse import parse_qsl

import numpy as np
import pytest

import d2lmomentum as dm
from d2lmomentum import theory
from d2lmomentum.book.cells import TABS, parse
from d2lmomentum.explorer import params

from _helpers import REPO

CHAPTER = REPO / "chapter" / "momentum.md"
TEXT = CHAPTER.read_text(encoding="utf-8")
CELLS = parse(TEXT)
PROSE = "\n".join(c.source for c in CELLS if c.kind == "markdown")
# the text of the prose alone: no inline code (URLs, commands), so that only its words are checked
WORDS = re.sub(r"`[^`]*`", "", PROSE)


def _rho(beta, eta, lam):
    """Spectral radius of the chapter's R from NumPy's eigenvalue solver."""
    return float(np.abs(np.linalg.eigvals(theory.momentum_matrix(beta, eta, lam))).max())


def _momentum_path(eta, beta, lams, x0, steps):
    """Heavy ball on ``1/2 sum lam_i x_i^2`` iterated by hand: ``x`` after each step, ``(steps + 1, n)``."""
    lams, x = np.asarray(lams, float), np.asarray(x0, float)
    v, path = np.zeros_like(x), [x]
    for _ in range(steps):
        v = beta * v + lams * x
        x = x - eta * v
        path.append(x)
    return np.array(path)


def _cell(marker):
    """The one code cell whose source contains ``marker``."""
    found = [c for c in CELLS if c.kind == "code" and marker in c.source]
    assert len(found) == 1, marker
    return found[0]


#: The chapter's NumPy-only theory cells, in order: the R example, the convergence region, the
#: optimal parameters, exercise 2.
THEORY_CELLS = ("theory.complex_roots(beta, eta, lam)", "figures.convergence_region()",
                "theory.optimal_parameters(mu=0.2, L=4.0)", "theory.run_quadratic(lambdas")


@pytest.fixture(scope="module")
def printed():
    """``{marker: printed lines}`` of :data:`THEORY_CELLS`, run in order in one namespace."""
    import matplotlib.pyplot as plt
    ns, lines = {}, {}
    for m in THEORY_CELLS:
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(_cell(m).source, str(CHAPTER), "exec"), ns)  # noqa: S102  (the chapter's own cell)
        lines[m] = out.getvalue().splitlines()
    plt.close("all")
    return lines


def _in_prose(*phrases):
    for p in phrases:
        assert p in PROSE, p


# -- one term for one idea ---------------------------------------------------------------------

@pytest.mark.parametrize("wrong,why", [
    ("조건이 좋지 않은", "the term is 조건이 나쁜"),
    ("내딛", "the spelling is 내디디다"),
    ("모멘텀 $\\mathbf{v}", "v is the velocity (속도)"),
    ("모멘텀 0.", "beta is the momentum coefficient (모멘텀 계수)"),
    ("모멘텀을 0.", "beta is the momentum coefficient (모멘텀 계수)"),
    ("유효 샘플 가중치", "1/(1-beta) is the effective sample size (유효 샘플 수)"),
    ("유효한 그래디언트 수", "1/(1-beta) is the effective sample size (유효 샘플 수)"),
    ("SGD", "stochastic gradient descent is 확률적 경사 하강법 in prose"),
    ("\\eta_t", "the learning rate is constant in this chapter"),
    ("\\mu^2", "mu is the smallest eigenvalue of Q, not an eigenvalue of R"),
    ("f(x) = 0.1", "x is a vector there: f(\\mathbf{x})"),
    ("f(x) = \\frac{1}{2} \\sum", "x is a vector there: f(\\mathbf{x})"),
    ("최솟값은 여전히", "(0, 0) is the minimiser (최소점)"),
    ("최솟값에서", "the distance is to the minimiser (최소점)"),
    ("최적점", "the minimiser is 최소점"),
    ("최솟점", "the minimiser is 최소점"),
    ("고유값", "the standard dictionary writes 고윳값 (with 사이시옷, as 최솟값 and 초깃값)"),
    ("네스테로프", "Nesterov, like Polyak, is written in Latin letters"),
    ("가장 간단한 방법은 *누설", "the leaky average is one option, not the simplest"),
    ("\\beta \\in (0, 1)", "beta = 0 is used throughout: [0, 1)"),
    ("가중치에서", "the model's parameters are 파라미터; 가중치 names the averaging weights beta^tau"),
    ("초기 가중치", "the model's parameters are 파라미터; 가중치 names the averaging weights beta^tau"),
    ("정상 상태의 걸음", "eta/(1-beta) is the effective learning rate (유효 학습률), 걸음 an iteration"),
    ("인 걸음", "eta/(1-beta) is the effective learning rate (유효 학습률), 걸음 an iteration"),
    ("걸음 크기", "the displacement's length is 보폭"),
    ("걸음이 커", "the displacement's length is 보폭"),
    ("걸음을 키우", "the displacement's length is 보폭"),
    ("걸음은 오히려", "the displacement's length is 보폭"),
    (" 순환(limit cycle)", "a limit cycle is 극한 순환"),
    ("멈추다시피", "nothing in the chapter shows stalling; say what it shows"),
])
def test_a_retired_term_is_gone(wrong, why):
    assert wrong not in WORDS, why


def test_the_explorer_names_the_minimiser_as_the_chapter_does():
    page = (REPO / "d2lmomentum" / "explorer" / "assets" / "explorer.html").read_text(encoding="utf-8")
    assert "최솟점" not in page and "최소점까지의 거리" in page
    assert "최솟점" not in WORDS and WORDS.count("최소점") >= 5


def test_one_notation_for_the_batch_size():
    # |B_t| in the minibatch formula, B in the prose and exercise 4: the prose says they are one
    _in_prose("배치 크기 $B = |\\mathcal{B}_t|$", "$2 \\times 1500 / B$")
    assert "|\\mathcal{B}|" not in PROSE  # never the unindexed |B|


def test_the_update_rule_says_what_x_is():
    assert "데이터 샘플 $\\mathbf{x}_i$와는 다른 것입니다" in PROSE
    rule = PROSE.index("\\mathbf{x}_t &\\leftarrow \\mathbf{x}_{t-1} - \\eta \\mathbf{v}_t")
    assert PROSE.index("앞 식의 파라미터 $\\mathbf{w}$에 해당") < rule


def test_the_effective_learning_rate_is_named_once_and_used_by_that_name():
    flat = " ".join(WORDS.split())  # the words with each line break as a space
    assert flat.count("*유효 학습률*") == 1  # defined once
    assert flat.index("*유효 학습률*") < flat.index("유효 학습률 $\\frac{\\eta}{1-\\beta}$는")
    assert "*보폭*" in flat and flat.index("*보폭*") < flat.index("보폭도 그만큼")
    # the cells' stated effective learning rates
    _in_prose(f"$0.02/0.5 = {0.02 / (1 - 0.5):.2f}$에서 $0.01/0.1 = {0.01 / (1 - 0.9):.1f}$로",
              f"유효 학습률이 ${0.005 / (1 - 0.9):.2f}$로 줄어")


def test_stochastic_and_plain_gradient_descent_are_always_named_in_full():
    assert re.findall(r"경사 하강(?!법)", WORDS) == []
    assert "heavy ball" not in WORDS and "무거운 공 방법" in WORDS  # named as at its first use


# -- the 2D example and the R analysis ---------------------------------------------------------

def test_the_r_cell_prints_numpys_radii_for_the_cells_the_reader_ran(printed):
    lines = printed[THEORY_CELLS[0]]
    expected = [f"gradient descent, lambda = {lam}: |1 - eta*lambda| = {abs(1 - 0.6 * lam):.3f}" for lam in (0.2, 4.0)]
    for beta in (0.5, 0.25):
        for lam in (0.2, 4.0):
            ev = np.linalg.eigvals(theory.momentum_matrix(beta, 0.6, lam))
            kind = "complex" if abs(ev.imag).max() > 1e-12 else "real"
            expected.append(f"momentum, beta = {beta}, lambda = {lam}: {kind} roots, rho = {np.abs(ev).max():.3f}")
    assert lines == expected


def test_the_prose_about_the_r_cell_states_numpys_numbers():
    gd = abs(1 - 0.6 * 4.0)
    assert gd > 1
    half = [_rho(0.5, 0.6, lam) for lam in (0.2, 4.0)]
    assert half == pytest.approx([np.sqrt(0.5)] * 2, rel=1e-12)
    quarter = _rho(0.25, 0.6, 4.0)
    assert quarter > _rho(0.25, 0.6, 0.2) > half[0]  # the x2 direction is the slow one at beta = 0.25
    _in_prose(f"수렴률이 {gd:.1f}로 1보다 크고", f"$\\sqrt{{0.5}} \\approx {half[0]:.3f}$",
              f"$\\lambda = 4$ 방향의 수렴률 {quarter:.3f}가", "$\\eta\\lambda = 2.4$가 $2 + 2\\beta$(각각 3과 2.5)")
    assert 2.4 < 2 + 2 * 0.25 and 2.4 < 2 + 2 * 0.5
    # the gradient descent paragraph: eta = 0.4 shrinks x2 by 0.6 and x1 by only 0.92
    _in_prose(f"$|1-1.6| = {abs(1 - 0.4 * 4):.1f}$배", f"$x_1$은 ${1 - 0.4 * 0.2:.2f}$배로만",
              f"$\\eta = 0.6$이면 $|1 - 2.4| = {gd:.1f}$")


def test_the_rows_of_r_are_one_step_of_the_update():
    rng = np.random.default_rng(7)
    for beta, eta, lam, v, x in rng.uniform([0, 0, 0, -2, -2], [1, 1.5, 5, 2, 2], (20, 5)):
        v1 = beta * v + lam * x  # the first line of the derivation
        x1 = x - eta * v1  # the second, before substituting v1
        np.testing.assert_allclose(theory.momentum_matrix(beta, eta, lam) @ [v, x], [v1, x1], rtol=1e-12)
    _in_prose("x_{t+1} &= x_t - \\eta v_{t+1} = x_t - \\eta (\\beta v_t + \\lambda x_t) "
              "= -\\eta \\beta\\, v_t + (1 - \\eta \\lambda)\\, x_t")


def test_the_optimal_parameters_paragraph_states_the_cells_numbers(printed):
    lines = printed[THEORY_CELLS[2]]
    lams = np.linspace(0.2, 4.0, 4001)  # eigenvalues spread over [mu, L], kappa = 20
    etas = np.linspace(0.3, 0.5, 2001)
    gd_worst = np.abs(1 - etas[:, None] * lams[::20]).max(axis=1)
    gd_eta, gd_rate = etas[gd_worst.argmin()], gd_worst.min()
    hb = theory.optimal_parameters(0.2, 4.0)["momentum"]
    hb_rate = max(_rho(hb["beta"], hb["eta"], lam) for lam in lams[::20])
    ours = max(_rho(0.5, 0.6, lam) for lam in lams[::20])
    tenfold = lambda r: np.log(10) / -np.log(r)  # noqa: E731
    assert len(lines) == 4 and lines[0] == "kappa = 20"
    assert f"best eta = {gd_eta:.3f}: rate {gd_rate:.3f}" in lines[1]
    assert f"eta = {hb['eta']:.3f}, beta = {hb['beta']:.3f}: momentum rate {hb_rate:.3f}" in lines[2]
    assert f"momentum rate {ours:.3f}, {tenfold(ours):.1f} steps" in lines[3]
    _in_prose(f"$\\eta \\approx {gd_eta:.3f}$에서도 수렴률이 {gd_rate:.3f}",
              f"{tenfold(gd_rate):.0f}걸음쯤", f"$\\eta \\approx {hb['eta']:.3f}$, $\\beta \\approx {hb['beta']:.3f}$은 "
              f"수렴률 {hb_rate:.3f}로\n약 {tenfold(hb_rate):.0f}걸음", f"수렴률 {ours:.3f}로 최적은 아니지만, "
              f"약 {tenfold(ours):.0f}걸음")
    assert hb_rate < ours < gd_rate


def test_the_acceleration_claim_carries_its_caveat_and_reference():
    _in_prose("이 가속은 2차 함수에서 얻은 결과입니다", ":citet:`Lessard.Recht.Packard.2016`")
    import pybtex.database
    bib = pybtex.database.parse_file(str(REPO / "chapter" / "momentum.bib"))
    cited = {k.strip() for keys in re.findall(r":cite[tp]?:`([^`]+)`", PROSE) for k in keys.split(",")}
    assert cited == set(bib.entries)  # every citation resolves and every entry is cited
    lessard = bib.entries["Lessard.Recht.Packard.2016"]
    assert [str(p) for p in lessard.persons["author"]] == ["Lessard, Laurent", "Recht, Benjamin", "Packard, Andrew"]
    assert (lessard.fields["volume"], lessard.fields["number"], lessard.fields["pages"], lessard.fields["doi"]) \
        == ("26", "1", "57--95", "10.1137/15M1009597")


def test_the_beta_weights_plot_is_drawn_over_the_lag():
    cell = _cell("beta ** x")
    assert "xlabel('lag τ" in cell.source
    _in_prose("$\\tau$걸음 전(지연 $\\tau$)의 그래디언트가 받는 가중치 $\\beta^\\tau$")


# -- the explorer pointer ----------------------------------------------------------------------

def _explorer_cell():
    cells = [c for c in CELLS if c.kind == "markdown" and "<!-- explorer -->" in c.source]
    assert len(cells) == 1
    return cells[0].source


def test_the_explorer_pointer_is_prose_a_notebook_reader_sees():
    md = _explorer_cell()
    prose = md.replace("<!-- explorer -->", "")  # what a notebook keeps besides the marker's own note
    assert "`d2lmomentum explore --out explorer`" in prose
    assert len(re.findall(r"`explorer\.html\?[^`]+`", prose)) == 3


def test_each_explorer_setting_shows_what_the_text_says():
    bullets = re.findall(r"^\* `explorer\.html\?([^`]+)`:(.*?)(?=^\* |\n\n|\Z)", _explorer_cell(), re.M | re.S)
    assert len(bullets) == 3
    for query, said in bullets:
        p = params.check({k: (v if k == "method" else float(v)) for k, v in parse_qsl(query)})
        assert p["method"] == "momentum"
        lams = (0.2, 4.0)
        radii = [_rho(p["beta"], p["eta"], lam) for lam in lams]
        end = _momentum_path(p["eta"], p["beta"], lams, (p["x1"], p["x2"]), int(p["steps"]))[-1]
        allowed = {f"{r:.3f}" for r in radii} | {f"{e:.6f}" for e in end} | {f"{p['eta']:g}", f"{p['beta']:g}"}
        stated = set(re.findall(r"-?\d+\.\d+", said))
        assert stated <= allowed, (query, stated - allowed)
        assert {f"{r:.3f}" for r in radii} <= stated, query  # both radii are named
        diverges = max(radii) > 1
        assert ("발산" in said) == diverges, query
        if not diverges:
            assert f"({end[0]:.6f}, {end[1]:.6f})" in said, query
    assert bullets[0][0].startswith("eta=0.6&beta=0.5")  # the first is the reader's own momentum cell


# -- the exercises' solutions ------------------------------------------------------------------

def test_every_solution_is_folded_and_runs_on_every_framework():
    start = next(i for i, c in enumerate(CELLS) if c.kind == "markdown" and "## 연습문제" in c.source)
    after = CELLS[start + 1:]
    solutions = [c for c in after if c.solution]
    heads = [c.source.split(":", 1)[0] for c in solutions if c.kind == "markdown" and c.source.startswith("연습문제")]
    assert heads == [f"연습문제 {k}" for k in range(1, 5)]
    assert all(c.solution for c in after if c.kind == "code")
    assert all(c.tabs == TABS for c in solutions if c.kind == "code")
    assert len([c for c in after if c.kind == "code"]) == 4
    assert TEXT.count(":begin_solution:") == TEXT.count(":end_solution:") == 4


def test_exercise_2_says_momentum_equalises_the_rates_with_the_cells_numbers(printed):
    lams = 2.0 ** -np.arange(6)
    paths = _momentum_path(1.0, 0.9, lams, np.ones(6), 60)
    gd_60, mom_60 = np.abs(1 - lams) ** 60, np.abs(paths[60])
    ev = np.linalg.eigvals(theory.momentum_matrix(0.9, 1.0, lams))
    assert np.all(np.abs(ev.imag) > 1e-12)  # every direction is in the complex regime
    rates = np.abs(ev).max(axis=-1)
    np.testing.assert_allclose(rates, np.sqrt(0.9), rtol=1e-12)
    assert list(gd_60 < mom_60) == [True] * 5 + [False]  # GD ahead for lambda >= 2^-4, momentum for 2^-5
    gd_rates = np.abs(1 - lams)
    _in_prose(f"$\\sqrt{{0.9}} \\approx {rates[0]:.3f}$", f"$\\lambda = 2^{{-5}}$의 {gd_rates[-1]:.3f}",
              "$\\lambda \\ge 2^{-4}$인 방향에서는 경사 하강법이 앞서고",
              f"({gd_60[-1]:.3f} 대 {mom_60[-1]:.3f})", f"{gd_rates.max():.3f}에서 {rates.max():.3f}로")
    lines = printed[THEORY_CELLS[3]]
    assert len(lines) == 7
    for i, line in enumerate(lines[:6]):
        assert line == (f"lambda = 2^-{i}: rate GD {gd_rates[i]:.3f}, momentum {rates[i]:.3f}; "
                        f"|x_60| GD {gd_60[i]:.3f}, momentum {mom_60[i]:.3f}")
    assert lines[6] == f"slowest direction: rate GD {gd_rates.max():.3f}, momentum {rates.max():.3f}"


def test_exercise_1_states_what_seeded_training_gives():
    runs = {(lr, m): dm.train_momentum(lr, m, backend="numpy", seed=0).losses
            for lr, m in [(0.02, 0.0), (0.01, 0.5), (0.002, 0.9), (0.02, 0.9)]}
    same_step = [runs[k] for k in [(0.02, 0.0), (0.01, 0.5), (0.002, 0.9)]]
    last = [r[-1] for r in same_step]
    assert max(last) - min(last) < 0.001
    assert max(r[0] for r in same_step) == runs[0.002, 0.9][0]
    big = runs[0.02, 0.9]
    assert big[0] < min(r[0] for r in same_step) and big[-1] > max(last)
    assert np.any(np.diff(big) > 0) and all(np.all(np.diff(r[:8]) < 0) for r in same_step)  # it alone goes up and down
    _in_prose(f"첫 손실이 {runs[0.002, 0.9][0]:.3f}로 셋 중 가장 높습니다", f"첫 손실이 {big[0]:.3f}으로 가장 빨리",
              f"마지막 손실은 {big[-1]:.4f}으로 가장 높습니다")


def test_exercise_4_states_what_the_sweep_gives():
    from d2lmomentum.tools import figures
    import matplotlib.pyplot as plt
    sizes = (10, 50, 100, 300, 1500)
    fig, finals = figures.batch_momentum_sweep(backend="numpy", batch_sizes=sizes)
    plt.close(fig)
    f0, f5, f9 = finals[0.0], finals[0.5], finals[0.9]
    assert list(np.diff(f0) > 0) == [True] * 4  # larger batches, fewer steps, higher loss
    assert f9[1] < f0[1] and f9[2] < f0[2] and f9[0] > f5[0]
    ends = [finals[b][-1] for b in (0.0, 0.5, 0.9)]
    _in_prose(f"배치 10의 약 {f0[0]:.2f}에서\n배치 1500의 {f0[-1]:.3f}까지",
              f"손실을 {f9[1]:.3f}와 {f9[2]:.3f}까지", f"$\\beta = 0$({f0[1]:.3f}과 {f0[2]:.3f})",
              f"손실이 {min(ends):.3f}~{max(ends):.3f}로 거의 같습니다",
              f"$\\beta = 0.9$({f9[0]:.3f})가 $\\beta = 0.5$({f5[0]:.3f})보다 나쁩니다")


# -- noise: what the leaky average does and does not reduce ------------------------------------

def _stationary_covariance(beta, eta, lam, sigma):
    """Stationary covariance of ``(v, x)`` for ``v <- beta v + lam x + eps``, ``x <- x - eta v``,
    ``eps ~ N(0, sigma^2)``: the fixed point of ``P = R P R^T + sigma^2 b b^T``, ``b = (1, -eta)``,
    solved as one linear system (R written out here, not taken from the library)."""
    R = np.array([[beta, lam], [-eta * beta, 1 - eta * lam]])
    b = np.array([1.0, -eta])
    return np.linalg.solve(np.eye(4) - np.kron(R, R), sigma ** 2 * np.outer(b, b).ravel()).reshape(2, 2)


def test_at_one_effective_learning_rate_the_noise_left_in_the_parameter_hardly_depends_on_beta():
    betas, lam, sigma, lr_eff = (0.0, 0.5, 0.9), 1.0, 1.0, 0.2
    etas = [lr_eff * (1 - b) for b in betas]
    var_x = [_stationary_covariance(b, e, lam, sigma)[1, 1] for b, e in zip(betas, etas)]
    assert var_x[0] == pytest.approx(etas[0] ** 2 * sigma ** 2 / (1 - (1 - etas[0] * lam) ** 2), rel=1e-12)
    # a seeded simulation of 20000 chains agrees with the closed form (1% standard error)
    rng = np.random.default_rng(0)
    for beta, eta, expected in zip(betas, etas, var_x):
        v = x = np.zeros(20000)
        for _ in range(400):
            v = beta * v + lam * x + sigma * rng.standard_normal(x.shape)
            x = x - eta * v
        assert x.var() == pytest.approx(expected, rel=0.04)
    # the normalised velocity's noise shrinks 19-fold, the parameter's by under 10%
    direction = [(1 - b) ** 2 * sigma ** 2 / (1 - b ** 2) for b in betas]
    assert direction[-1] < direction[0] / 15 and var_x[-1] > 0.9 * var_x[0]
    _in_prose("$\\beta = 0, 0.5, 0.9$에 $\\eta = " + ", ".join(f"{e:g}" for e in etas) + "$",
              "$x$의 분산은 각각 " + ", ".join(f"{v:.3f}" for v in var_x) + "입니다",
              f"유효 학습률을 ${lr_eff}$로 맞추면")


def test_exercise_4_names_the_effective_learning_rates_it_compares():
    lr = 0.01  # the sweep's learning rate, stated in the exercise
    assert "학습률 0.01로 배치 크기" in PROSE
    high, low = lr / (1 - 0.9), lr / (1 - 0.5)
    assert round(high / low) == 5
    _in_prose(f"$\\beta = 0.9$의 유효 학습률 {high:.1f}이 $\\beta = 0.5$의 {low:.2f}보다 다섯 배")


# -- the figures the prose describes ------------------------------------------------------------

def test_the_convergence_region_figure_draws_the_two_lines_the_prose_names():
    from d2lmomentum.tools import figures
    import matplotlib.colors
    import matplotlib.pyplot as plt
    fig = figures.convergence_region()
    ax = fig.axes[0]
    momentum, gd = ax.get_lines()[:2]
    np.testing.assert_allclose(momentum.get_xdata(), 2 + 2 * np.asarray(momentum.get_ydata()))
    assert matplotlib.colors.same_color(momentum.get_color(), "red") and momentum.get_linestyle() == "--"
    assert list(gd.get_xdata()) == [2, 2]
    assert matplotlib.colors.same_color(gd.get_color(), "orange") and gd.get_linestyle() == ":"
    plt.close(fig)
    _in_prose("경계 $\\eta\\lambda = 2 + 2\\beta$(빨간 파선)", "경계 $\\eta\\lambda = 2$(주황\n점선)",
              "$\\rho = 1$인 흰 등고선")


def test_the_rate_against_condition_figure_shows_what_the_prose_says():
    from d2lmomentum.tools import figures
    import matplotlib.pyplot as plt
    fig = figures.rate_vs_condition()
    gd_line, hb_line = fig.axes[0].get_lines()
    kappa = gd_line.get_xdata()
    assert kappa[0] == pytest.approx(1) and kappa[-1] == pytest.approx(1e4)
    np.testing.assert_allclose(gd_line.get_ydata(), 2 / (kappa + 1), rtol=1e-9)  # 1 - (k-1)/(k+1)
    np.testing.assert_allclose(hb_line.get_ydata(), 2 / (np.sqrt(kappa) + 1), rtol=1e-9)
    plt.close(fig)
    far = kappa >= 100
    slopes = [np.polyfit(np.log(kappa[far]), np.log(line.get_ydata()[far]), 1)[0] for line in (gd_line, hb_line)]
    assert [round(s * 2) / 2 for s in slopes] == [-1.0, -0.5]
    gd, hb = 2 / (1e4 + 1), 2 / (np.sqrt(1e4) + 1)
    _in_prose("$\\kappa$를 1부터 $10^4$까지", "기울기가 $-1$, 모멘텀의 선은 $-1/2$",
              f"약 {gd:.4f} 대 {hb:.4f}로 약 {hb / gd:.0f}배")


def test_nesterovs_guarantee_is_stated_with_its_class_of_functions():
    flat = " ".join(WORDS.split())
    _in_prose("$L$-매끄러운", ":citet:`Nesterov.2018`이 정리한 Nesterov의 가속 경사법")
    assert "정리한 Nesterov의 가속 경사법입니다" in flat and "하나뿐인 것은 아닙니다" in flat


# -- the concise cells' epochs, tab by tab ------------------------------------------------------

_KOREAN_COUNT = {2: "두", 3: "세", 4: "네"}
_DROPIN = {"pytorch": "torch", "tensorflow": "tensorflow", "mxnet": "mxnet", "jax": "jax"}


def _default_epochs(fw):
    """``num_epochs``'s default of the drop-in's ``train_concise_ch11``, read from its source
    (no framework imported): a literal or a module-level constant."""
    import ast
    import importlib.util
    tree = ast.parse(open(importlib.util.find_spec(f"d2lmomentum.dropin.{_DROPIN[fw]}").origin, encoding="utf-8").read())
    constants = {t.id: node.value for node in tree.body if isinstance(node, ast.Assign)
                 for t in node.targets if isinstance(t, ast.Name)}
    fn = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "train_concise_ch11")
    names = [a.arg for a in fn.args.args]
    default = fn.args.defaults[names.index("num_epochs") - (len(names) - len(fn.args.defaults))]
    return ast.literal_eval(constants.get(getattr(default, "id", None), default))


def test_the_prose_says_how_many_epochs_each_tabs_concise_cell_trains():
    epochs = {}
    for fw in TABS:
        (cell,) = [c for c in CELLS if c.kind == "code" and fw in c.tabs and "train_concise_ch11(" in c.source]
        assert "num_epochs" not in cell.source  # the drop-in's default applies
        epochs[fw] = _default_epochs(fw)
    flat = " ".join(WORDS.split())
    groups = {}
    for fw, n in epochs.items():
        groups.setdefault(n, []).append(fw)
    names = {"pytorch": "PyTorch", "tensorflow": "TensorFlow", "mxnet": "MXNet", "jax": "JAX"}
    for n, fws in groups.items():
        said = re.search(r"([A-Za-z, 과와]+) 탭은 " + _KOREAN_COUNT[n] + " 에포크", flat)
        assert said, (n, fws)
        assert set(re.findall(r"[A-Za-z]+", said.group(1))) == {names[fw] for fw in fws}


# -- the JAX tab ---------------------------------------------------------------------------------

def test_the_jax_tabs_sgd_momentum_is_pure_and_takes_optaxs_steps():
    import jax.numpy as jnp
    import optax
    (cell,) = [c for c in CELLS if c.kind == "code" and c.tabs == ("jax",) and "def sgd_momentum" in c.source]
    ns = {}
    exec(compile(cell.source, str(CHAPTER), "exec"), ns)  # noqa: S102  (the chapter's own cell)
    (init_cell,) = [c for c in CELLS if c.kind == "code" and "jax" in c.tabs and "def init_momentum_states" in c.source]
    import d2lmomentum.jax as d2l
    ns["d2l"] = d2l
    exec(compile(init_cell.source, str(CHAPTER), "exec"), ns)  # noqa: S102
    rng = np.random.default_rng(3)
    params = [jnp.asarray(rng.normal(size=(5, 1)), jnp.float32), jnp.zeros(1, jnp.float32)]
    grads = [[jnp.asarray(rng.normal(size=p.shape), jnp.float32) for p in params] for _ in range(5)]
    hyper = {"lr": 0.05, "momentum": 0.9}
    tx = optax.sgd(learning_rate=hyper["lr"], momentum=hyper["momentum"])
    ours, states, theirs, opt_state = params, ns["init_momentum_states"](5), params, tx.init(params)
    before = [np.asarray(p).copy() for p in params]
    for g in grads:
        ours, states = ns["sgd_momentum"](ours, g, states, hyper)
        updates, opt_state = tx.update(g, opt_state)
        theirs = optax.apply_updates(theirs, updates)
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=1e-6, atol=1e-6)
    assert all(np.array_equal(np.asarray(p), q) for p, q in zip(params, before))  # the inputs are untouched


def test_the_prose_says_how_jax_differs():
    flat = " ".join(PROSE.split())
    for said in ("JAX 배열은 한번 만들면 바꿀 수 없으므로", "새 상태를 돌려주는 순수 함수", "`jax.value_and_grad`", "`jax.jit`으로 컴파일",
                 "optax의 최적화기는 상태를 숨기지 않습니다", "PyTorch와 optax는"):
        assert said in flat, said


def test_the_scalar_gradient_descent_plot_is_described_with_its_own_numbers():
    cell = _cell("(1 - eta * lam) ** t")
    ns = {}
    for line in cell.source.splitlines()[:2]:  # ``lambdas = [...]`` and ``eta = ...``
        exec(line, ns)  # noqa: S102  (the chapter's own literals)
    products = [ns["eta"] * lam for lam in ns["lambdas"]]
    factors = [1 - p for p in products]
    assert factors[2] == 0 and abs(factors[3]) == pytest.approx(abs(factors[1]))  # eta*lam = 1 lands; 1.9 mirrors 0.1
    _in_prose(f"$\\eta = {ns['eta']:g}$에서 $\\lambda = " + ", ".join(f"{lam:g}" for lam in ns["lambdas"]) + "$",
              "$\\eta\\lambda = " + ", ".join(f"{p:.2g}" for p in products) + "$일 때",
              f"같은 배율 ${abs(factors[1]):.1f}$로 줄어듭니다")


def test_a_lower_effective_learning_rate_mostly_calms_the_loss_curve():
    # "유효 학습률이 0.05로 줄어, ... 손실 곡선을 흔드는 폭도 대개 줄어듭니다": over five seeds, the mean
    # step-to-step change of the recorded loss after its first descent, at 0.01/0.1 against 0.005/0.1
    def wiggle(lr, seed):
        return np.abs(np.diff(dm.train_momentum(lr, 0.9, backend="numpy", seed=seed).losses[5:])).mean()
    high, low = ([wiggle(lr, s) for s in range(5)] for lr in (0.01, 0.005))
    assert np.mean(low) < np.mean(high) and sum(lo < hi for lo, hi in zip(low, high)) >= 3
    _in_prose("흔드는 폭도 대개 줄어듭니다")
