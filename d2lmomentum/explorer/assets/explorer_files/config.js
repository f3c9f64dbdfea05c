/* The settings that Python writes into the page (d2lmomentum.explorer.params.config): the
 * defaults, ranges, methods, their names and colours, the curvatures lambda, the chapter's
 * presets, d2l's show_trace_2d grid and the limit of six-decimal numbers. No script keeps a
 * copy; a page without them (opened from the package's assets) says how to write one. */
(function (MX) {
  "use strict";

  var element = document.getElementById("explorer-config");
  if (!element) {
    document.body.insertAdjacentHTML("afterbegin", '<p class="note">이 페이지에는 설정이 없습니다: ' +
      "<code>d2lmomentum explore --out DIR</code>로 만든 DIR/explorer.html을 여세요.</p>");
    throw new Error("explorer-config missing: write the page with `d2lmomentum explore --out DIR`");
  }
  MX.config = JSON.parse(element.textContent);
})(window.MomentumExplorer = window.MomentumExplorer || {});
