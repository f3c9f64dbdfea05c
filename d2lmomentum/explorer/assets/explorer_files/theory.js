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

  var LAMBDAS = [0.2, 4];
  var METHODS = ["gd", "momentum", "nesterov"];

  // One step on f_2d: theory.gd_2d, momentum_2d and nesterov_2d.
  function gdStep(x1, x2, v1, v2, eta) {
    return [x1 - eta * 0.2 * x1, x2 - eta * 4 * x2, 0, 0];
  }

  function momentumStep(x1, x2, v1, v2, eta, beta) {
    v1 = beta * v1 + 0.2 * x1;
    v2 = beta * v2 + 4 * x2;
    return [x1 - eta * v1, x2 - eta * v2, v1, v2];
  }

  function nesterovStep(x1, x2, v1, v2, eta, beta) {
    var g1 = 0.2 * x1, g2 = 4 * x2;
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

  /* Python's format(x, ".6f"): toFixed rounds exact ties away from zero, Python to even.
   * A double is an exact tie at the 7th decimal only if its exact expansion ends there,
   * which toFixed(100) shows (a double's digits cannot span 1e-7 to 1e-100). From 1e21
   * on, toFixed writes an exponent, while the double is an integer that BigInt writes out. */
  function fixed6(x) {
    var negative = x < 0 || Object.is(x, -0), a = Math.abs(x);
    if (a >= 1e21) return (negative ? "-" : "") + BigInt(a).toString() + ".000000";
    var text = a.toFixed(6);
    var exact = a.toFixed(100), dot = exact.indexOf(".");
    if (exact.charAt(dot + 7) === "5" && /^0*$/.test(exact.slice(dot + 8))) {
      var down = exact.slice(0, dot + 7);  // truncated to 6 decimals
      if ((+down.charAt(down.length - 1)) % 2 === 0) text = down;
    }
    return (negative ? "-" : "") + text;
  }

  MX.theory = {
    LAMBDAS: LAMBDAS, METHODS: METHODS, train2d: train2d, eigenvalues: eigenvalues,
    spectralRadius: spectralRadius, convergenceBound: convergenceBound,
    optimalParameters: optimalParameters, fixed6: fixed6
  };
})(window.MomentumExplorer = window.MomentumExplorer || {});
