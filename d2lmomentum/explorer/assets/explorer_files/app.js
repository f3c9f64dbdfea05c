/* The page: reads the setting from the URL, wires the controls, recomputes and redraws on
 * every change, and writes the setting back into the URL.
 *
 * Contract for tests and readers: elements with data-quantity="x1", "x2" (the end point) and
 * "rho" (the larger spectral radius over lambda = 0.2 and 4) hold the number as
 * d2lmomentum.explorer.params.number writes it: Python's format(x, ".6f") while |x| is below
 * config.fixedLimit, else format(x, ".5e"); "∞", "-∞" or "NaN" where it is not finite. A
 * coordinate whose direction diverges (its rho > 1, from a start off zero) or that overflowed
 * shows the word in data-runaway="x1" / "x2" beside it. <body data-diverged> is "true" exactly
 * when rho > 1. Each element's data-value holds the full double (String(x)).
 * MomentumExplorer.timings lists {reason, ms} for every update. */
(function (MX) {
  "use strict";

  var T = MX.theory, S = MX.state, V = MX.views, C = MX.config;
  var MATRICES = { gd: "1 − ηλ", momentum: "R(β, η, λ)", nesterov: "N(β, η, λ)" };
  var URL_INTERVAL_MS = 100;  // Chromium throttles a page that rewrites its URL too often
  var state, views = {}, axes = {}, notes = [], urlTimer = null, lastUrlWrite = -Infinity, lastHeight = 0;

  MX.timings = [];

  function $(selector) { return document.querySelector(selector); }
  function $all(selector) { return Array.prototype.slice.call(document.querySelectorAll(selector)); }

  function compute(p) {
    var traces = {}, rho = {};
    T.METHODS.forEach(function (m) {
      traces[m] = T.train2d(m, p.eta, p.beta, p.steps, p.x1, p.x2);
      rho[m] = T.LAMBDAS.map(function (lam) { return T.spectralRadius(m, p.eta, p.beta, lam); });
    });
    var eig = T.LAMBDAS.map(function (lam) { return T.eigenvalues(p.method, p.eta, p.beta, lam); });
    var biggest = 0;
    eig.forEach(function (es) { es.forEach(function (e) { biggest = Math.max(biggest, Math.hypot(e.re, e.im)); }); });
    return { p: p, traces: traces, rho: rho, eig: eig, eigScale: Math.max(1.25, 1.1 * biggest) };
  }

  /* The number value in the element data-quantity=name; runaway: also the word beside it. */
  function setQuantity(name, value, runaway) {
    var el = $('[data-quantity="' + name + '"]'), word = $('[data-runaway="' + name + '"]');
    el.dataset.value = String(value);
    el.textContent = T.number(value);
    el.classList.toggle("diverged", !!runaway);
    if (word) word.hidden = !runaway;
  }

  /* The end point, the radii and the verdict in words. */
  function showNumbers(model) {
    var p = model.p, rho = model.rho[p.method], end = model.traces[p.method][p.steps], start = [p.x1, p.x2];
    var worst = Math.max(rho[0], rho[1]);
    [0, 1].forEach(function (i) {
      var runaway = (rho[i] > 1 && start[i] !== 0) || !isFinite(end[i]);
      setQuantity("x" + (i + 1), end[i], runaway);
      setQuantity("rho" + (i + 1), rho[i]);
    });
    setQuantity("rho", worst);
    model.eig.forEach(function (es, i) { $("#eig-text-" + i).textContent = eigenText(p.method, es); });
    document.body.dataset.diverged = String(worst > 1);
    $("#method-name").textContent = C.names[p.method];
    $("#steps-shown").textContent = String(p.steps);
    var slow = rho[0] >= rho[1] ? "x₁" : "x₂", status = $("#status");
    if (worst > 1) {
      status.textContent = "발산합니다: " + slow + " 방향의 ρ = " + T.number(worst) + " > 1이어서 오차가 걸음마다 그만큼 커집니다.";
    } else if (worst === 1) {
      status.textContent = "ρ = 1: " + slow + " 방향은 줄지도 커지지도 않아 수렴하지 않습니다.";
    } else {
      var digits = -Math.log10(worst);
      status.textContent = "수렴합니다: 오차가 걸음마다 약 ρ = " + worst.toPrecision(3) + "배로 줄어 (" + slow +
        " 방향이 느림), 한 자릿수에 약 " + (1 / digits).toPrecision(2) + "걸음이 듭니다.";
    }
  }

  function signed(x) {
    return x.toFixed(4).replace("-", "\u2212");
  }

  function eigenText(method, es) {
    if (method === "gd") return "1 − ηλ = " + signed(es[0].re);
    if (es[0].im !== 0) return "고유값 " + signed(es[0].re) + " ± " + Math.abs(es[0].im).toFixed(4) + "i (복소수)";
    return "고유값 " + signed(es[0].re) + ", " + signed(es[1].re) + " (실수)";
  }

  function syncControls(p) {
    $all("[data-param]").forEach(function (el) { el.value = p[el.dataset.param]; });
    $all("[data-param-text]").forEach(function (el) {
      if (document.activeElement !== el) el.value = p[el.dataset.paramText];
    });
    $all('input[name="method"]').forEach(function (el) { el.checked = el.value === p.method; });
    $("#beta-row").classList.toggle("off", p.method === "gd");
    $("#matrix-name").textContent = C.names[p.method] + ": " + MATRICES[p.method];
  }

  function draw(model) {
    axes.trace = V.drawTrace(views.trace, model);
    axes.distance = V.drawDistance(views.distance, model);
    axes.region = V.drawRegion(views.region, model);
    axes.eigen = [V.drawEigen(views.eigen0, model, 0), V.drawEigen(views.eigen1, model, 1)];
  }

  /* Recompute and redraw everything; the time it takes is recorded. */
  function update(reason) {
    var t0 = performance.now(), model = compute(state);
    draw(model);
    showNumbers(model);
    syncControls(state);
    $("#share").setAttribute("href", "explorer.html?" + S.serialize(state));
    MX.timings.push({ reason: reason, ms: performance.now() - t0 });
    if (MX.timings.length > 2000) MX.timings.splice(0, 1000);
    reportHeight();
  }

  function showNotes(list) {
    notes = list;
    var el = $("#note");
    el.hidden = !notes.length;
    el.textContent = notes.length ? "주소의 값을 고쳤습니다 — " + notes.join("\n") : "";
  }

  function writeUrl() {
    lastUrlWrite = performance.now();
    var query = "?" + S.serialize(state);
    if (location.search === query) return;
    try {
      history.replaceState(null, "", query);
    } catch (e) {
      // a sandboxed frame may not rewrite its URL; the share link still carries the setting
    }
  }

  /* At most one URL rewrite per URL_INTERVAL_MS, the last setting always written. */
  function scheduleUrl() {
    var wait = URL_INTERVAL_MS - (performance.now() - lastUrlWrite);
    if (wait <= 0) writeUrl();
    else if (!urlTimer) urlTimer = setTimeout(function () { urlTimer = null; writeUrl(); }, wait);
  }

  /* Apply a change made through the page (already valid), then redraw and record it. */
  function change(patch, reason) {
    Object.keys(patch).forEach(function (k) { state[k] = patch[k]; });
    if (notes.length) showNotes([]);
    update(reason);
    scheduleUrl();
  }

  /* Inside an iframe, tell the embedding page how tall this page is. */
  function reportHeight() {
    var h = document.documentElement.scrollHeight;
    if (window.parent === window || h === lastHeight) return;
    lastHeight = h;
    window.parent.postMessage({ type: "d2lmomentum-explorer-height", height: h }, "*");
  }

  function roundTo(x, digits) {
    return Number(x.toFixed(digits)) + 0;  // + 0: no -0
  }

  function wireControls() {
    $all("[data-param]").forEach(function (el) {
      var key = el.dataset.param;
      el.min = S.RANGES[key][0];
      el.max = S.RANGES[key][1];
      el.addEventListener("input", function () {
        var patch = {};
        patch[key] = Number(el.value);
        change(patch, "input:" + key);
      });
    });
    $all("[data-param-text]").forEach(function (el) {
      var key = el.dataset.paramText;
      el.min = S.RANGES[key][0];
      el.max = S.RANGES[key][1];
      el.addEventListener("input", function () {  // live while typing, when the text is a valid value
        var r = S.repair(key, el.value);
        if (!r.note && el.value.trim() !== "") { var patch = {}; patch[key] = r.value; change(patch, "text:" + key); }
      });
      el.addEventListener("change", function () {
        var r = S.repair(key, el.value), patch = {};
        patch[key] = r.value;
        change(patch, "text:" + key);
        el.value = r.value;
        if (r.note) showNotes([r.note]);
      });
    });
    $all('input[name="method"]').forEach(function (el) {
      el.addEventListener("change", function () { if (el.checked) change({ method: el.value }, "method"); });
    });
    C.presets.forEach(function (preset) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = (preset.method === "gd" ? "GD " : "") + "η=" + preset.eta +
        (preset.beta === undefined ? "" : ", β=" + preset.beta);
      button.addEventListener("click", function () {
        var patch = { steps: S.DEFAULTS.steps, x1: S.DEFAULTS.x1, x2: S.DEFAULTS.x2 };
        Object.keys(preset).forEach(function (k) { patch[k] = preset[k]; });
        change(patch, "preset");
      });
      $("#presets").appendChild(button);
    });
    $("#reset-start").addEventListener("click", function () {
      change({ x1: S.DEFAULTS.x1, x2: S.DEFAULTS.x2 }, "start");
    });
    var best = T.optimalParameters(T.LAMBDAS[0], T.LAMBDAS[1]);
    $("#polyak").addEventListener("click", function () {
      change({ method: "momentum", eta: best.momentum.eta, beta: best.momentum.beta }, "polyak");
    });
    $("#gd-best").addEventListener("click", function () {
      change({ method: "gd", eta: best.gd.eta }, "gd-best");
    });
    setQuantity("polyak-eta", best.momentum.eta);
    setQuantity("polyak-beta", best.momentum.beta);
    setQuantity("polyak-rate", best.momentum.rate);
    setQuantity("gd-best-eta", best.gd.eta);
    setQuantity("gd-best-rate", best.gd.rate);
  }

  /* Pointer on a canvas: on the trace it moves the start point, on the region map it picks
   * (eta, beta) so that the lambda = 4 point sits under the pointer. */
  function wirePointer(canvas, name, apply) {
    function at(event) {
      var r = canvas.getBoundingClientRect(), ax = axes[name];
      if (ax) apply(ax.invert(event.clientX - r.left, event.clientY - r.top));
    }
    canvas.addEventListener("pointerdown", function (event) {
      if (event.pointerType === "mouse" && event.button !== 0) return;
      if (event.pointerType === "mouse") canvas.setPointerCapture(event.pointerId);
      at(event);
    });
    canvas.addEventListener("pointermove", function (event) {
      if (event.pointerType === "mouse" && event.buttons & 1) at(event);
    });
  }

  function clamp(key, value) {
    return Math.min(Math.max(value, S.RANGES[key][0]), S.RANGES[key][1]);
  }

  /* What the page's text takes from the config: the method buttons (from the template, with
   * their colours), the methods' names, the curvatures, kappa and the start point. */
  function fillText() {
    C.methods.forEach(function (m) {
      var label = $("#method").content.cloneNode(true), input = label.querySelector("input");
      input.value = m;
      label.querySelector(".swatch").style.background = C.colors[m];
      label.querySelector("span:last-child").textContent = C.names[m];
      $("#methods").appendChild(label);
    });
    $("[data-names]").textContent = C.methods.map(function (m) { return C.names[m]; }).join(", ");
    $all("[data-name]").forEach(function (el) { el.textContent = C.names[el.dataset.name]; });
    $all("[data-lambda]").forEach(function (el) { el.textContent = String(T.LAMBDAS[+el.dataset.lambda]); });
    $("#kappa").textContent = String(T.LAMBDAS[1] / T.LAMBDAS[0]);
    $("#reset-start").title = "(" + S.DEFAULTS.x1 + ", " + S.DEFAULTS.x2 + ")로";
  }

  /* One panel per direction from the template: canvas #eigen-view-i, text #eig-text-i, and
   * output data-quantity="rho1" / "rho2". */
  function addDirections() {
    var template = $("#direction"), names = ["x₁", "x₂"];
    T.LAMBDAS.forEach(function (lam, i) {
      var panel = template.content.cloneNode(true);
      panel.querySelector("canvas").id = "eigen-view-" + i;
      panel.querySelector("canvas").setAttribute("aria-label", "λ = " + lam + "의 고유값");
      panel.querySelector(".lam").textContent = "λ = " + lam + " (" + names[i] + " 방향)";
      panel.querySelector(".eig-text").id = "eig-text-" + i;
      panel.querySelector("output").dataset.quantity = "rho" + (i + 1);
      $("#directions").appendChild(panel);
    });
  }

  function init() {
    var parsed = S.parse(location.search);
    state = parsed.params;
    fillText();
    addDirections();
    views = {
      trace: $("#trace-view"), distance: $("#distance-view"), region: $("#region-view"),
      eigen0: $("#eigen-view-0"), eigen1: $("#eigen-view-1")
    };
    wireControls();
    wirePointer(views.trace, "trace", function (q) {
      change({ x1: clamp("x1", roundTo(q[0], 2)), x2: clamp("x2", roundTo(q[1], 2)) }, "pointer:start");
    });
    wirePointer(views.region, "region", function (q) {
      var patch = { eta: clamp("eta", roundTo(q[0] / T.LAMBDAS[1], 3)) };
      if (state.method !== "gd") patch.beta = clamp("beta", roundTo(q[1], 2));
      change(patch, "pointer:region");
    });
    showNotes(parsed.notes);
    update("load");
    if (parsed.notes.length) writeUrl();  // the repaired setting replaces the bad one
    if (window.ResizeObserver) {
      var pending = false;
      new ResizeObserver(function () {
        if (pending) return;
        pending = true;
        requestAnimationFrame(function () { pending = false; update("resize"); });
      }).observe(document.querySelector(".views"));
    }
    document.body.dataset.ready = "true";
  }

  MX.app = { state: function () { return state; }, model: function () { return compute(state); } };
  init();
})(window.MomentumExplorer = window.MomentumExplorer || {});
