// A page of the book (a chapter, or the book's index, which has no code): typeset every formula
// with the vendored KaTeX, and switch the code view (one framework's tab, or the frameworks side by
// side). The reader's choice is kept in localStorage under keys every page of the book shares, so it
// holds across groups, reloads and pages; a page without the chosen framework shows its first one
// and leaves the stored choice alone.
(function () {
  "use strict";
  var KEY_FRAMEWORK = "d2lmomentum.framework";
  var KEY_VIEW = "d2lmomentum.view";
  var body = document.body;
  var frameworks = (body.dataset.frameworks || "").split(" ").filter(Boolean);

  function load(key) {
    try { return window.localStorage.getItem(key); } catch (e) { return null; }
  }

  function store(key, value) {
    try { window.localStorage.setItem(key, value); } catch (e) { /* storage may be disabled */ }
  }

  function press(selector, attribute, value) {
    document.querySelectorAll(selector).forEach(function (button) {
      var on = button.getAttribute(attribute) === value;
      button.setAttribute(button.getAttribute("role") === "tab" ? "aria-selected" : "aria-pressed", on ? "true" : "false");
    });
  }

  // Show framework ``fw``; ``keep``: the reader chose it, so store it for the other pages.
  function setFramework(fw, keep) {
    if (frameworks.indexOf(fw) < 0) { return; }
    body.dataset.framework = fw;
    press("button[data-framework]", "data-framework", fw);
    if (keep) { store(KEY_FRAMEWORK, fw); }
  }

  function setView(view, keep) {
    if (view !== "tabs" && view !== "side") { return; }
    body.classList.toggle("view-tabs", view === "tabs");
    body.classList.toggle("view-side", view === "side");
    press("button[data-view]", "data-view", view);
    if (keep) { store(KEY_VIEW, view); }
  }

  function typeset() {
    if (typeof katex === "undefined") { return; }
    document.querySelectorAll(".math[data-tex]").forEach(function (el) {
      var tex = el.dataset.tex;
      if (el.dataset.tag) { tex += " \\tag{" + el.dataset.tag + "}"; }
      katex.render(tex, el, {displayMode: el.classList.contains("display"), throwOnError: false,
                             output: "htmlAndMathml"});
      el.setAttribute("aria-label", el.dataset.tex);
    });
    body.dataset.math = "typeset";
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-framework], button[data-view]");
    if (!button) { return; }
    if (button.dataset.view) {
      setView(button.dataset.view, true);
    } else {
      var top = button.getBoundingClientRect().top;
      setFramework(button.dataset.framework, true);
      window.scrollBy(0, button.getBoundingClientRect().top - top);  // keep the clicked tab in place
    }
  });

  // The embedded explorer reports its content height; fit its frame to it (no inner scroll bar).
  window.addEventListener("message", function (event) {
    var data = event.data;
    if (!data || data.type !== "d2lmomentum-explorer-height" || !(data.height > 0)) { return; }
    document.querySelectorAll(".explorer iframe").forEach(function (frame) {
      if (frame.contentWindow === event.source) { frame.style.height = Math.ceil(data.height) + 2 + "px"; }
    });
  });

  if (window.matchMedia("(max-width: 1099px)").matches) {  // the side navigation sits above the text
    document.querySelectorAll(".toc details").forEach(function (d) { d.open = false; });
  }
  if (frameworks.length) {
    var kept = load(KEY_FRAMEWORK);  // another page's choice may name a framework this page lacks
    setFramework(frameworks.indexOf(kept) >= 0 ? kept : frameworks[0], false);
    setView(load(KEY_VIEW) || "tabs", false);
  }
  typeset();
})();
