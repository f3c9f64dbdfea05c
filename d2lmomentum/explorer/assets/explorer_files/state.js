/* The explorer's setting and its URL form, ?eta=0.6&beta=0.5&steps=20&method=momentum[&x1=-5&x2=-2],
 * with Python's defaults and ranges (MX.config). A value that is not a number falls back to the
 * default, one outside its range is clamped, a fractional step count is rounded; each such repair
 * comes with a short note. */
(function (MX) {
  "use strict";

  var DEFAULTS = MX.config.defaults, RANGES = MX.config.ranges, METHODS = MX.config.methods;
  var KEYS = Object.keys(DEFAULTS);

  function shown(raw) {
    return raw.length > 24 ? raw.slice(0, 24) + "…" : raw;
  }

  /* {value, note}: the value to use for key given the text raw; note is null if raw is used as given. */
  function repair(key, raw) {
    var text = String(raw).trim(), fallback = DEFAULTS[key];
    var intro = key + "=" + shown(String(raw)) + ": ";
    if (key === "method") {
      if (METHODS.indexOf(text) >= 0) return { value: text, note: null };
      return { value: fallback, note: intro + METHODS.join(", ") + " 중 하나가 아닙니다 → " + fallback };
    }
    var value = text === "" ? NaN : Number(text) + 0;  // + 0: no -0
    if (!isFinite(value)) return { value: fallback, note: intro + "숫자가 아닙니다 → 기본값 " + fallback };
    var lo = RANGES[key][0], hi = RANGES[key][1], notes = [];
    if (key === "steps" && value !== Math.round(value)) {
      value = Math.round(value);
      notes.push("정수가 아닙니다");
    }
    if (value < lo || value > hi) {
      value = Math.min(Math.max(value, lo), hi);
      notes.push("범위 " + lo + "–" + hi + " 밖입니다");
    }
    return { value: value, note: notes.length ? intro + notes.join(", ") + " → " + value : null };
  }

  /* The setting in a query string, with a note for each value that had to be repaired. */
  function parse(search) {
    var query = new URLSearchParams(search), params = {}, notes = [];
    KEYS.forEach(function (key) {
      if (!query.has(key)) {
        params[key] = DEFAULTS[key];
        return;
      }
      var r = repair(key, query.get(key));
      params[key] = r.value;
      if (r.note) notes.push(r.note);
    });
    return { params: params, notes: notes };
  }

  /* The query string of a setting; the start point only where it is not the chapter's. */
  function serialize(p) {
    var q = "eta=" + p.eta + "&beta=" + p.beta + "&steps=" + p.steps + "&method=" + p.method;
    if (p.x1 !== DEFAULTS.x1 || p.x2 !== DEFAULTS.x2) q += "&x1=" + p.x1 + "&x2=" + p.x2;
    return q;
  }

  MX.state = { DEFAULTS: DEFAULTS, RANGES: RANGES, KEYS: KEYS, repair: repair, parse: parse, serialize: serialize };
})(window.MomentumExplorer = window.MomentumExplorer || {});
