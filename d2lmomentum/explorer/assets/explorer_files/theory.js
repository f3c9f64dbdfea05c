/* The arithmetic of d2lmomentum.theory, in the same operation order, so that the numbers
 * this page shows are the doubles Python computes (up to an ulp in Math.hypot).
 *
 * f(x) = 0.1 x1^2 + 2 x2^2 has curvatures lambda = 0.2 (x1) and 4 (x2). On lambda/2 x^2 each
 * method is linear in [v, x]; its matrix has trace T and determinant D:
 *   gradient descent   x <- (1 - eta lambda) x
 *   momentum (R)       T = 1 + beta - eta lambda,          D = beta
 *   Nesterov (N)       T = (1 + beta)(1 - eta lambda),     D = beta (1 - eta lambda)
 * with eigenvalues (T +- sqrt(T^2 - 4 D)) / 2.
 */
(function (MX) {
  "use strict";

  var C = MX.config, LAMBDAS = C.lambdas, METHODS = C.methods, L1 = LAMBDAS[0], L2 = LAMBDAS[1];

  // One step on f_2d: theory.gd_2d, momentum_2d and nesterov_2d (gradient (L1 x1, L2 x2)).
  function gdStep(x1, x2, v1, v2, eta) {
    return [x1 - eta * L1 * x1, x2 - eta * L2 * x2, 0, 0];
  }

  function momentumStep(x1, x2, v1, v2, eta, beta) {
    v1 = beta * v1 + L1 * x1;
    v2 = beta * v2 + L2 * x2;
    return [x1 - eta * v1, x2 - eta * v2, v1, v2];
  }

  function nesterovStep(x1, x2, v1, v2, eta, beta) {
    var g1 = L1 * x1, g2 = L2 * x2;
    v1 = beta * v1 + g1;
    v2 = beta * v2 + g2;
    return [x1 - eta * (g1 + beta * v1), x2 - eta * (g2 + beta * v2), v1, v2];
  }

  var STEP = { gd: gdStep, momentum: momentumStep, nesterov: nesterovStep };

  /* theory.train_2d: the steps + 1 points [x1, x2] from (x1, x2), states from 0. */
  function train2d(method, eta, beta, steps, x1, x2) {
    var step = STEP[method], s = [x1, x2, 0, 0], points = [[x1, x2]];
    for (var t = 0; t < steps; t++) {
      s = step(s[0], s[1], s[2], s[3], eta, beta);
      points.push([s[0], s[1]]);
    }
    return points;
  }

  /* The eigenvalues {re, im} of the method's matrix on lambda/2 x^2 (one for gradient descent). */
  function eigenvalues(method, eta, beta, lam) {
    if (method === "gd") return [{ re: 1 - eta * lam, im: 0 }];
    var T, D;
    if (method === "nesterov") {
      T = (1 + beta) * (1 - eta * lam);
      D = beta * (1 - eta * lam);
    } else {
      T = 1 + beta - eta * lam;
      D = beta;
    }
    var disc = T * T - 4 * D;
    if (disc >= 0) {
      var r = Math.sqrt(disc);
      return [{ re: (T + r) / 2, im: 0 }, { re: (T - r) / 2, im: 0 }];
    }
    var i = Math.sqrt(-disc);
    return [{ re: T / 2, im: i / 2 }, { re: T / 2, im: -i / 2 }];
  }

  /* theory.spectral_radius (theory.gd_rate for gradient descent). */
  function spectralRadius(method, eta, beta, lam) {
    if (method === "gd") return Math.abs(1 - eta * lam);
    var e = eigenvalues(method, eta, beta, lam);
    return Math.max(Math.hypot(e[0].re, e[0].im), Math.hypot(e[1].re, e[1].im));
  }

  /* theory.convergence_bound: the largest eta*lambda that converges, for beta in [0, 1). */
  function convergenceBound(method, beta) {
    if (method === "gd") return 2;
    return method === "nesterov" ? (2 + 2 * beta) / (1 + 2 * beta) : 2 + 2 * beta;
  }

  /* theory.optimal_parameters(mu, L): Polyak's heavy ball and gradient descent's best step. */
  function optimalParameters(mu, L) {
    var kappa = L / mu, sk = Math.sqrt(kappa), rate = (sk - 1) / (sk + 1), s = Math.sqrt(L) + Math.sqrt(mu);
    return {
      momentum: { eta: 4 / (s * s), beta: rate * rate, rate: rate },
      gd: { eta: 2 / (mu + L), rate: (kappa - 1) / (kappa + 1) },
      kappa: kappa
    };
  }

  /* The exact decimal expansion of a finite a >= 0 as [integer digits, fraction digits]:
   * toFixed(100) is exact below 1e21 to its 100th decimal (past which no digit can decide a
   * rounding at the 7th decimal, nor at the 6th significant digit of a number of 1 or more);
   * from 1e21 on a double is an integer, which BigInt writes out. */
  function expansion(a) {
    if (a >= 1e21) return [BigInt(a).toString(), ""];
    var text = a.toFixed(100), dot = text.indexOf(".");
    return [text.slice(0, dot), text.slice(dot + 1)];
  }

  /* The first keep digits of the digit string digits, rounded half to even on the rest, as
   * Python rounds (toFixed and toExponential round exact ties away from zero); one digit
   * longer where the rounding carries out (999.9 -> 1000). */
  function roundDigits(digits, keep) {
    var head = digits.slice(0, keep).padEnd(keep, "0"), rest = digits.slice(keep), first = rest.charAt(0);
    var up = first > "5" || (first === "5" && (/[1-9]/.test(rest.slice(1)) || +head.charAt(keep - 1) % 2 === 1));
    return up ? (BigInt(head) + BigInt(1)).toString().padStart(keep, "0") : head;
  }

  /* Python's format(x, ".6f"). */
  function fixed6(x) {
    var e = expansion(Math.abs(x)), whole = e[0].length;
    var digits = roundDigits(e[0] + e[1], whole + 6), cut = digits.length - 6;
    return (x < 0 || Object.is(x, -0) ? "-" : "") + digits.slice(0, cut) + "." + digits.slice(cut);
  }

  /* Python's format(x, ".5e") for |x| >= 1: six significant digits. */
  function exp6(x) {
    var e = expansion(Math.abs(x)), power = e[0].length - 1, digits = roundDigits(e[0] + e[1], 6);
    if (digits.length > 6) {
      digits = digits.slice(0, 6);
      power += 1;
    }
    return (x < 0 ? "-" : "") + digits.charAt(0) + "." + digits.slice(1) + "e+" + String(power).padStart(2, "0");
  }

  /* A number as the page shows it, params.number: six decimals while |x| < fixedLimit, six
   * significant digits from there on, and the words for what is not finite. */
  function number(x) {
    if (isNaN(x)) return "NaN";
    if (!isFinite(x)) return x > 0 ? "∞" : "-∞";
    return Math.abs(x) < C.fixedLimit ? fixed6(x) : exp6(x);
  }

  MX.theory = {
    LAMBDAS: LAMBDAS, METHODS: METHODS, train2d: train2d, eigenvalues: eigenvalues,
    spectralRadius: spectralRadius, convergenceBound: convergenceBound,
    optimalParameters: optimalParameters, fixed6: fixed6, number: number
  };
})(window.MomentumExplorer = window.MomentumExplorer || {});
