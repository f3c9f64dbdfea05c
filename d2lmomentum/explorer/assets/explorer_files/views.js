/* The four views, each drawn from the model that app.js computes:
 *   model.p        the setting {eta, beta, steps, method, x1, x2}
 *   model.traces   {gd, momentum, nesterov}: the steps + 1 points of each method
 *   model.rho      {gd, momentum, nesterov}: [rho at lambda = 0.2, rho at lambda = 4]
 *   model.eig      the selected method's eigenvalues at lambda = 0.2 and 4
 * Each returns its Axes, which the pointer handlers use to map a click back to data. */
(function (MX) {
  "use strict";

  var T = MX.theory, P = MX.plot, C = MX.config, COLORS = C.colors, NAMES = C.names;
  var CONTOUR = "#1f77b4";
  // show_trace_2d's contour grid as [x0, x1, y0, y1]
  var D2L_BOX = [C.traceGrid[0][0], C.traceGrid[0][1], C.traceGrid[1][0], C.traceGrid[1][1]];

  function plotBox(w, h, right) {
    return { x: 48, y: 10, w: Math.max(10, w - 48 - (right || 12)), h: Math.max(10, h - 50) };
  }

  /* The methods drawn over each other: gradient descent and momentum, Nesterov when chosen;
   * the chosen one last, on top. */
  function drawn(method) {
    var list = ["gd", "momentum"];
    if (method === "nesterov") list.push("nesterov");
    return list.filter(function (m) { return m !== method; }).concat([method]);
  }

  function diverges(model, method) {
    return Math.max(model.rho[method][0], model.rho[method][1]) > 1;
  }

  function label(model, method) {
    var p = model.p, text = NAMES[method] + (method === "gd" ? "" : " β=" + Number(p.beta.toFixed(3)));
    return diverges(model, method) ? text + " — 발산" : text;
  }

  /* show_trace_2d's grid widened to the start and to every point of the traces that do not
   * diverge (as matplotlib's autoscale would, without letting a divergent trace squash the
   * picture), outward to halves: [x0, x1, y0, y1]. */
  function traceView(model) {
    var p = model.p, r = D2L_BOX.slice();
    function include(x, y) {
      r[0] = Math.min(r[0], x); r[1] = Math.max(r[1], x); r[2] = Math.min(r[2], y); r[3] = Math.max(r[3], y);
    }
    include(p.x1 - 0.5, p.x2 - 0.5);
    include(p.x1 + 0.5, p.x2 + 0.5);
    drawn(p.method).forEach(function (m) {
      if (!diverges(model, m)) model.traces[m].forEach(function (q) { include(q[0], q[1]); });
    });
    return r.map(function (v, i) {
      v = Math.min(Math.max(v, -12), 12);
      return i % 2 ? Math.ceil(v * 2) / 2 : Math.floor(v * 2) / 2;
    });
  }

  /* The trace over the contours of f, as show_trace_2d draws it. */
  function drawTrace(canvas, model) {
    var c = P.prepare(canvas), p = model.p, ctx = c.ctx, r = traceView(model);
    var xr = [r[0], r[1]], yr = [r[2], r[3]];
    var ax = new P.Axes(ctx, plotBox(c.w, c.h), xr, yr);
    ax.frame("x1", "x2", { noGrid: true });
    ax.clip();
    // level sets f = lambda1/2 x1^2 + lambda2/2 x2^2 = c are ellipses with semi-axes sqrt(c/(lambda/2))
    var h1 = T.LAMBDAS[0] / 2, h2 = T.LAMBDAS[1] / 2;
    var corners = [[xr[0], yr[0]], [xr[0], yr[1]], [xr[1], yr[0]], [xr[1], yr[1]]];
    var fmax = Math.max.apply(null, corners.map(function (q) { return h1 * q[0] * q[0] + h2 * q[1] * q[1]; }));
    var step = P.niceStep(fmax, 8), sx = ax.box.w / (xr[1] - xr[0]), sy = ax.box.h / (yr[1] - yr[0]);
    ctx.strokeStyle = CONTOUR;
    ctx.globalAlpha = 0.55;
    ctx.lineWidth = 1;
    for (var level = step; level < fmax; level += step) {
      ctx.beginPath();
      ctx.ellipse(ax.px(0), ax.py(0), Math.sqrt(level / h1) * sx, Math.sqrt(level / h2) * sy, 0, 0, 2 * Math.PI);
      ctx.stroke();
    }
    ctx.globalAlpha = 1;
    drawn(p.method).forEach(function (m) {
      var chosen = m === p.method;
      ax.polyline(model.traces[m], { color: COLORS[m], width: chosen ? 2 : 1.25, alpha: chosen ? 1 : 0.7,
                                     marker: chosen ? 3 : 2, dash: chosen ? [] : [5, 3] });
    });
    ctx.strokeStyle = P.INK;
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    ctx.arc(ax.px(p.x1), ax.py(p.x2), 5, 0, 2 * Math.PI);
    ctx.stroke();
    ctx.beginPath();  // the minimum
    ctx.moveTo(ax.px(0) - 4, ax.py(0) - 4); ctx.lineTo(ax.px(0) + 4, ax.py(0) + 4);
    ctx.moveTo(ax.px(0) - 4, ax.py(0) + 4); ctx.lineTo(ax.px(0) + 4, ax.py(0) - 4);
    ctx.stroke();
    ax.unclip();
    ax.legend(drawn(p.method).map(function (m) {
      return { label: label(model, m), color: COLORS[m], dash: m === p.method ? [] : [5, 3] };
    }), "left");
    return ax;
  }

  /* |x_t - x*| against t on a log scale, with the asymptotic rate rho^t |x_0| of the chosen method. */
  function drawDistance(canvas, model) {
    var c = P.prepare(canvas), p = model.p;
    var methods = drawn(p.method), series = {}, values = [];
    methods.forEach(function (m) {
      series[m] = model.traces[m].map(function (q, t) { return [t, Math.hypot(q[0], q[1])]; });
    });
    var rho = Math.max(model.rho[p.method][0], model.rho[p.method][1]), d0 = Math.hypot(p.x1, p.x2);
    var guide = model.traces[p.method].map(function (q, t) { return [t, Math.pow(rho, t) * d0]; });
    methods.concat(["guide"]).forEach(function (m) {
      (m === "guide" ? guide : series[m]).forEach(function (q) { if (q[1] > 0 && isFinite(q[1])) values.push(Math.log10(q[1])); });
    });
    var lo = values.length ? Math.floor(Math.min.apply(null, values)) : -1;
    var hi = values.length ? Math.ceil(Math.max.apply(null, values)) : 1;
    if (hi <= lo) hi = lo + 1;
    var ax = new P.Axes(c.ctx, plotBox(c.w, c.h), [0, p.steps], [lo, hi], true);
    ax.frame("걸음 t", "|x_t − x*|");
    ax.clip();
    ax.polyline(guide, { color: P.MUTED, width: 1, dash: [2, 3] });
    methods.forEach(function (m) {
      var chosen = m === p.method;
      ax.polyline(series[m], { color: COLORS[m], width: chosen ? 2 : 1.25, alpha: chosen ? 1 : 0.7,
                               marker: chosen && p.steps <= 40 ? 2.5 : 0, dash: chosen ? [] : [5, 3] });
    });
    ax.unclip();
    var rows = methods.map(function (m) { return { label: NAMES[m], color: COLORS[m], dash: m === p.method ? [] : [5, 3] }; });
    rows.push({ label: "ρᵗ·|x₀| (" + NAMES[p.method] + ")", color: P.MUTED, dash: [2, 3], width: 1 });
    ax.legend(rows, rho > 1 ? "left" : "right");
    return ax;
  }

  /* The eigenvalues of the chosen method's matrix at lambda = LAMBDAS[i] in the complex plane,
   * the unit circle and the circle of radius rho; scale: common to both directions. */
  function drawEigen(canvas, model, i) {
    var c = P.prepare(canvas), ctx = c.ctx, p = model.p, color = COLORS[p.method];
    var side = Math.max(10, Math.min(c.w - 40, c.h - 40)), s = model.eigScale;
    var box = { x: 30 + (c.w - 40 - side) / 2, y: 8, w: side, h: side };
    var ax = new P.Axes(ctx, box, [-s, s], [-s, s]);
    ax.frame("Re", "", { xcount: 4, ycount: 4 });
    ax.clip();
    ctx.strokeStyle = "#bbb";
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(ax.px(-s), ax.py(0)); ctx.lineTo(ax.px(s), ax.py(0));
    ctx.moveTo(ax.px(0), ax.py(-s)); ctx.lineTo(ax.px(0), ax.py(s));
    ctx.stroke();
    var unit = box.w / (2 * s), rho = model.rho[p.method][i];
    ctx.strokeStyle = P.INK;
    ctx.beginPath();
    ctx.arc(ax.px(0), ax.py(0), unit, 0, 2 * Math.PI);
    ctx.stroke();
    ctx.strokeStyle = color;
    ctx.setLineDash([4, 3]);
    ctx.beginPath();
    ctx.arc(ax.px(0), ax.py(0), rho * unit, 0, 2 * Math.PI);
    ctx.stroke();
    ctx.setLineDash([]);
    model.eig[i].forEach(function (e) {
      ctx.beginPath();
      ctx.arc(ax.px(e.re), ax.py(e.im), 5, 0, 2 * Math.PI);
      ctx.fillStyle = color;
      ctx.fill();
      ctx.strokeStyle = "#fff";
      ctx.lineWidth = 1.5;
      ctx.stroke();
    });
    ax.unclip();
    ctx.fillStyle = P.INK;
    ctx.font = P.font(11);
    ctx.textAlign = "left";
    ctx.textBaseline = "top";
    ctx.fillText("Im", box.x + 4, box.y + 3);
    return ax;
  }

  var heatmaps = { size: "", images: {} };  // per kind, for the current plot size only

  /* rho over (eta*lambda, beta) as an image of the plot box, for momentum or Nesterov
   * (gradient descent is momentum's beta = 0 row); the divergent part paler. */
  function heatmap(kind, ax, dpr) {
    var w = Math.max(1, Math.round(ax.box.w * dpr)), h = Math.max(1, Math.round(ax.box.h * dpr));
    var size = w + "x" + h;
    if (heatmaps.size !== size) heatmaps = { size: size, images: {} };
    if (heatmaps.images[kind]) return heatmaps.images[kind];
    var img = document.createElement("canvas");
    img.width = w;
    img.height = h;
    var g = img.getContext("2d"), data = g.createImageData(w, h);
    for (var j = 0; j < h; j++) {
      var beta = ax.yr[1] - (j + 0.5) / h * (ax.yr[1] - ax.yr[0]);
      for (var i = 0; i < w; i++) {
        var x = ax.xr[0] + (i + 0.5) / w * (ax.xr[1] - ax.xr[0]);
        var rho = T.spectralRadius(kind, x, beta, 1), rgb = P.viridis(Math.min(rho, 1.5) / 1.5);
        var pale = rho < 1 ? 0 : 0.45, k = 4 * (j * w + i);
        data.data[k] = rgb[0] + (255 - rgb[0]) * pale;
        data.data[k + 1] = rgb[1] + (255 - rgb[1]) * pale;
        data.data[k + 2] = rgb[2] + (255 - rgb[2]) * pale;
        data.data[k + 3] = 255;
      }
    }
    g.putImageData(data, 0, 0);
    heatmaps.images[kind] = img;
    return img;
  }

  /* The convergence region over (eta*lambda, beta): rho as colour, the boundary eta*lambda =
   * convergence_bound(beta), gradient descent's eta*lambda = 2, both directions' points. */
  function drawRegion(canvas, model) {
    var c = P.prepare(canvas), ctx = c.ctx, p = model.p, kind = p.method === "nesterov" ? "nesterov" : "momentum";
    var ax = new P.Axes(ctx, plotBox(c.w, c.h, 52), [0, 6.3], [0, 1]), dpr = window.devicePixelRatio || 1;
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(heatmap(kind, ax, dpr), ax.box.x, ax.box.y, ax.box.w, ax.box.h);
    // the other method's map, computed while the page is idle, so that switching is quick too
    var other = kind === "nesterov" ? "momentum" : "nesterov";
    var size = heatmaps.size;
    if (!heatmaps.images[other]) setTimeout(function () { if (heatmaps.size === size) heatmap(other, ax, dpr); }, 200);
    ax.frame("ηλ", "β", { noGrid: true });
    var betas = [];
    for (var k = 0; k <= 100; k++) betas.push(k / 100);
    ax.clip();
    ax.polyline(betas.map(function (b) { return [T.convergenceBound(kind, b), b]; }), { color: "#fff", width: 2 });
    ax.polyline([[2, 0], [2, 1]], { color: "#d62728", width: 1.5, dash: [3, 3] });
    var beta = p.method === "gd" ? 0 : p.beta, pts = T.LAMBDAS.map(function (lam) { return [p.eta * lam, beta]; });
    ax.polyline(pts, { color: "#fff", width: 1 });
    pts.forEach(function (q, i) {
      var x = ax.px(q[0]), y = ax.py(q[1]);
      ctx.beginPath();
      if (i === 0) ctx.arc(x, y, 5.5, 0, 2 * Math.PI);
      else { ctx.moveTo(x, y - 7); ctx.lineTo(x + 6.5, y + 4.5); ctx.lineTo(x - 6.5, y + 4.5); ctx.closePath(); }
      ctx.fillStyle = COLORS[p.method];
      ctx.fill();
      ctx.strokeStyle = "#000";
      ctx.lineWidth = 1.5;
      ctx.stroke();
      ctx.font = P.font(11, "bold");
      ctx.textBaseline = "bottom";
      ctx.textAlign = x > ax.box.x + ax.box.w - 50 ? "right" : "left";
      var tx = x + (ctx.textAlign === "left" ? 8 : -8), ty = y - (y < ax.box.y + 20 ? -18 : 4);
      ctx.strokeStyle = "#fff";
      ctx.lineWidth = 3;
      ctx.lineJoin = "round";
      ctx.strokeText("λ=" + T.LAMBDAS[i], tx, ty);
      ctx.fillStyle = P.INK;
      ctx.fillText("λ=" + T.LAMBDAS[i], tx, ty);
    });
    ax.unclip();
    ax.legend([{ label: kind === "nesterov" ? "ηλ = (2+2β)/(1+2β)" : "ηλ = 2 + 2β", color: "#fff", width: 2.5 },
               { label: "ηλ = 2 (" + NAMES.gd + ")", color: "#d62728", dash: [3, 3] }], "right");
    colorbar(ctx, ax);
    return ax;
  }

  function colorbar(ctx, ax) {
    var x = ax.box.x + ax.box.w + 10, y = ax.box.y, h = ax.box.h, w = 10;
    for (var j = 0; j < h; j++) {
      var rho = 1.5 * (1 - j / h), rgb = P.viridis(rho / 1.5), pale = rho < 1 ? 0 : 0.45;
      ctx.fillStyle = "rgb(" + rgb.map(function (v) { return Math.round(v + (255 - v) * pale); }).join(",") + ")";
      ctx.fillRect(x, y + j, w, 1.5);
    }
    ctx.strokeStyle = "#999";
    ctx.strokeRect(x + 0.5, y + 0.5, w, h);
    ctx.fillStyle = P.INK;
    ctx.font = P.font(10);
    ctx.textAlign = "left";
    ctx.textBaseline = "middle";
    [0, 0.5, 1, 1.5].forEach(function (v) { ctx.fillText(v === 1.5 ? "≥1.5" : String(v), x + w + 3, y + h * (1 - v / 1.5)); });
  }

  MX.views = { traceView: traceView, drawTrace: drawTrace, drawDistance: drawDistance,
               drawEigen: drawEigen, drawRegion: drawRegion };
})(window.MomentumExplorer = window.MomentumExplorer || {});
