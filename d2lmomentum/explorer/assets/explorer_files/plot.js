/* Small canvas plotting: axes with linear or log-10 scales, ticks, clipped polylines, a colormap. */
(function (MX) {
  "use strict";

  var FONT_FAMILY = 'system-ui, -apple-system, "Segoe UI", "Noto Sans KR", "Nanum Gothic", "NanumGothic", sans-serif';
  var INK = "#222", GRID = "#e6e6e6", MUTED = "#666";
  var SUPERSCRIPT = { "-": "⁻", "0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵", "6": "⁶", "7": "⁷", "8": "⁸", "9": "⁹" };

  function font(px, weight) {
    return (weight || "") + " " + px + "px " + FONT_FAMILY;
  }

  /* The canvas's 2D context, its backing store sized to the CSS box at the device pixel ratio,
   * cleared, in CSS pixels: {ctx, w, h}. */
  function prepare(canvas) {
    var dpr = window.devicePixelRatio || 1, w = canvas.clientWidth, h = canvas.clientHeight;
    var bw = Math.max(1, Math.round(w * dpr)), bh = Math.max(1, Math.round(h * dpr));
    if (canvas.width !== bw || canvas.height !== bh) {
      canvas.width = bw;
      canvas.height = bh;
    }
    var ctx = canvas.getContext("2d");
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);
    return { ctx: ctx, w: w, h: h };
  }

  /* A step of 1, 2, 2.5, 3 or 5 times a power of ten giving about `count` intervals over span. */
  function niceStep(span, count) {
    var raw = span / count, p = Math.pow(10, Math.floor(Math.log10(raw))), m = raw / p;
    var candidates = [1, 2, 2.5, 3, 5, 10];
    for (var i = 0; i < candidates.length; i++) if (candidates[i] >= m - 1e-9) return candidates[i] * p;
    return 10 * p;
  }

  function linearTicks(lo, hi, count) {
    var step = niceStep(hi - lo, count), out = [];
    for (var k = Math.ceil(lo / step - 1e-9); k * step <= hi + step * 1e-9; k++) out.push(k * step);
    return { values: out, step: step };
  }

  /* v with as many decimals as the tick step needs, a true minus sign, no "-0". */
  function linearLabel(v, step) {
    var d = 0;
    while (d < 8 && Math.abs(step * Math.pow(10, d) - Math.round(step * Math.pow(10, d))) > 1e-6) d++;
    var s = v.toFixed(d);
    return /^-0(\.0*)?$/.test(s) ? s.slice(1) : s.replace("-", "\u2212");
  }

  function powerOfTen(k) {
    return "10" + String(k).split("").map(function (c) { return SUPERSCRIPT[c]; }).join("");
  }

  /* Axes in the box {x, y, w, h} (CSS px) for data ranges xr, yr; with logY, yr is in log10 units. */
  function Axes(ctx, box, xr, yr, logY) {
    this.ctx = ctx;
    this.box = box;
    this.xr = xr;
    this.yr = yr;
    this.logY = !!logY;
  }

  Axes.prototype.px = function (x) {
    return this.box.x + (x - this.xr[0]) / (this.xr[1] - this.xr[0]) * this.box.w;
  };

  Axes.prototype.py = function (y) {
    var v = this.logY ? Math.log10(y) : y;
    return this.box.y + this.box.h - (v - this.yr[0]) / (this.yr[1] - this.yr[0]) * this.box.h;
  };

  /* The data point at canvas position (cx, cy), CSS px (linear axes). */
  Axes.prototype.invert = function (cx, cy) {
    return [this.xr[0] + (cx - this.box.x) / this.box.w * (this.xr[1] - this.xr[0]),
            this.yr[0] + (this.box.y + this.box.h - cy) / this.box.h * (this.yr[1] - this.yr[0])];
  };

  /* Grid, frame, tick labels and axis labels. */
  Axes.prototype.frame = function (xlabel, ylabel, opts) {
    opts = opts || {};
    var ctx = this.ctx, b = this.box, self = this;
    var xt = linearTicks(this.xr[0], this.xr[1], opts.xcount || Math.max(2, Math.floor(b.w / 70)));
    var yt = this.logY ? this.logTicks() : linearTicks(this.yr[0], this.yr[1], opts.ycount || Math.max(2, Math.floor(b.h / 45)));
    ctx.save();
    ctx.lineWidth = 1;
    ctx.strokeStyle = GRID;
    ctx.beginPath();
    xt.values.forEach(function (v) { var x = Math.round(self.px(v)) + 0.5; ctx.moveTo(x, b.y); ctx.lineTo(x, b.y + b.h); });
    yt.values.forEach(function (v) {
      var y = Math.round(self.logY ? self.py(Math.pow(10, v)) : self.py(v)) + 0.5;
      ctx.moveTo(b.x, y);
      ctx.lineTo(b.x + b.w, y);
    });
    if (!opts.noGrid) ctx.stroke();
    ctx.strokeStyle = "#999";
    ctx.strokeRect(Math.round(b.x) + 0.5, Math.round(b.y) + 0.5, Math.round(b.w), Math.round(b.h));
    ctx.fillStyle = INK;
    ctx.font = font(11);
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    xt.values.forEach(function (v) { ctx.fillText(linearLabel(v, xt.step), self.px(v), b.y + b.h + 4); });
    ctx.textAlign = "right";
    ctx.textBaseline = "middle";
    yt.values.forEach(function (v) {
      var text = self.logY ? powerOfTen(v) : linearLabel(v, yt.step);
      ctx.fillText(text, b.x - 5, self.logY ? self.py(Math.pow(10, v)) : self.py(v));
    });
    ctx.font = font(12);
    ctx.textAlign = "center";
    ctx.textBaseline = "bottom";
    if (xlabel) ctx.fillText(xlabel, b.x + b.w / 2, b.y + b.h + 32);
    if (ylabel) {
      ctx.translate(12, b.y + b.h / 2);
      ctx.rotate(-Math.PI / 2);
      ctx.textBaseline = "middle";
      ctx.fillText(ylabel, 0, 0);
    }
    ctx.restore();
  };

  /* Decades in yr, every k-th so that there are at most about six labels. */
  Axes.prototype.logTicks = function () {
    var lo = Math.ceil(this.yr[0] - 1e-9), hi = Math.floor(this.yr[1] + 1e-9);
    var every = Math.max(1, Math.ceil((hi - lo) / 6)), out = [];
    for (var k = Math.ceil(lo / every) * every; k <= hi; k += every) out.push(k);
    return { values: out, step: 1 };
  };

  Axes.prototype.clip = function () {
    var b = this.box;
    this.ctx.save();
    this.ctx.beginPath();
    this.ctx.rect(b.x, b.y, b.w, b.h);
    this.ctx.clip();
  };

  Axes.prototype.unclip = function () {
    this.ctx.restore();
  };

  /* Liang–Barsky: the part of the segment p0–p1 inside the rectangle [x0, x1] x [y0, y1], or null. */
  function clipSegment(p0, p1, r) {
    var dx = p1[0] - p0[0], dy = p1[1] - p0[1], t0 = 0, t1 = 1;
    var checks = [[-dx, p0[0] - r[0]], [dx, r[1] - p0[0]], [-dy, p0[1] - r[2]], [dy, r[3] - p0[1]]];
    for (var i = 0; i < 4; i++) {
      var p = checks[i][0], q = checks[i][1];
      if (p === 0) {
        if (q < 0) return null;
      } else {
        var t = q / p;
        if (p < 0) { if (t > t1) return null; if (t > t0) t0 = t; }
        else { if (t < t0) return null; if (t < t1) t1 = t; }
      }
    }
    return [[p0[0] + t0 * dx, p0[1] + t0 * dy], [p0[0] + t1 * dx, p0[1] + t1 * dy]];
  }

  /* A polyline of data points (skipping those that are not finite or, on a log axis, not
   * positive), cut to the plot box so that far-away points never reach the canvas. */
  Axes.prototype.polyline = function (points, style) {
    var ctx = this.ctx, b = this.box, m = 4, rect = [b.x - m, b.x + b.w + m, b.y - m, b.y + b.h + m];
    var self = this, mapped = points.map(function (p) {
      var ok = isFinite(p[0]) && isFinite(p[1]) && (!self.logY || p[1] > 0);
      return ok ? [self.px(p[0]), self.py(p[1])] : null;
    });
    ctx.save();
    ctx.strokeStyle = style.color;
    ctx.fillStyle = style.color;
    ctx.lineWidth = style.width || 1.5;
    ctx.globalAlpha = style.alpha || 1;
    ctx.setLineDash(style.dash || []);
    ctx.beginPath();
    for (var i = 1; i < mapped.length; i++) {
      if (!mapped[i - 1] || !mapped[i]) continue;
      var s = clipSegment(mapped[i - 1], mapped[i], rect);
      if (s) { ctx.moveTo(s[0][0], s[0][1]); ctx.lineTo(s[1][0], s[1][1]); }
    }
    ctx.stroke();
    if (style.marker) {
      ctx.setLineDash([]);
      mapped.forEach(function (q) {
        if (q && q[0] >= rect[0] && q[0] <= rect[1] && q[1] >= rect[2] && q[1] <= rect[3]) {
          ctx.beginPath();
          ctx.arc(q[0], q[1], style.marker, 0, 2 * Math.PI);
          ctx.fill();
        }
      });
    }
    ctx.restore();
  };

  /* Legend rows [{label, color, dash}] in the box's top-right corner, on a white backing. */
  Axes.prototype.legend = function (rows, corner) {
    var ctx = this.ctx, b = this.box, lh = 16, pad = 6, width = 0;
    ctx.save();
    ctx.font = font(11);
    rows.forEach(function (r) { width = Math.max(width, ctx.measureText(r.label).width); });
    var w = width + 34, h = rows.length * lh + pad, x = corner === "left" ? b.x + 6 : b.x + b.w - w - 6, y = b.y + 6;
    ctx.fillStyle = "rgba(255,255,255,0.88)";
    ctx.fillRect(x, y, w, h);
    ctx.strokeStyle = "#ccc";
    ctx.strokeRect(x + 0.5, y + 0.5, w, h);
    rows.forEach(function (r, i) {
      var cy = y + pad / 2 + lh * i + lh / 2;
      ctx.strokeStyle = r.color;
      ctx.lineWidth = r.width || 2;
      ctx.setLineDash(r.dash || []);
      ctx.beginPath();
      ctx.moveTo(x + 6, cy);
      ctx.lineTo(x + 24, cy);
      ctx.stroke();
      ctx.fillStyle = INK;
      ctx.textBaseline = "middle";
      ctx.fillText(r.label, x + 28, cy);
    });
    ctx.restore();
  };

  /* matplotlib's viridis at nine points (CC0), linearly interpolated; t in [0, 1]. */
  var VIRIDIS = [[68, 1, 84], [71, 44, 122], [59, 81, 139], [44, 113, 142], [33, 144, 141],
                 [39, 173, 129], [92, 200, 99], [170, 220, 50], [253, 231, 37]];

  function viridis(t) {
    var s = Math.min(Math.max(t, 0), 1) * (VIRIDIS.length - 1), i = Math.min(Math.floor(s), VIRIDIS.length - 2), f = s - i;
    var a = VIRIDIS[i], c = VIRIDIS[i + 1];
    return [a[0] + (c[0] - a[0]) * f, a[1] + (c[1] - a[1]) * f, a[2] + (c[2] - a[2]) * f];
  }

  MX.plot = {
    INK: INK, MUTED: MUTED, font: font, prepare: prepare, Axes: Axes, linearTicks: linearTicks,
    niceStep: niceStep, viridis: viridis, clipSegment: clipSegment
  };
})(window.MomentumExplorer = window.MomentumExplorer || {});
