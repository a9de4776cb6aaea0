/*
 * Progressive enhancement for server-rendered charts (docs/howto/charts.md).
 *
 * Every chart is already on the page as an inline SVG with a data table. When a chart scrolls
 * into view, this script loads the vendored Vega files (URLs on its own <script> tag) and
 * replaces the static SVG with an interactive vega-embed view (tooltips). It runs under the
 * strict CSP: no eval (vega-interpreter evaluates expressions from the AST), no inline styles
 * (vega-embed and vega-tooltip default styles are off; charts.css has the rules).
 * On any failure nothing changes: the static SVG stays.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || !window.fetch || !window.Promise || !document.querySelector) return;
  var connection = navigator.connection || {};
  if (connection.saveData) return;

  var LIBS = ["vega", "vegaLite", "vegaEmbed", "vegaInterpreter"];
  var loading = null;

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var el = document.createElement("script");
      el.src = src;
      el.async = false;
      el.onload = resolve;
      el.onerror = reject;
      document.head.appendChild(el);
    });
  }

  function loadLibraries() {
    if (loading) return loading;
    var ds = script.dataset;
    var urls = [ds.vega, ds.vegaLite, ds.vegaEmbed, ds.vegaInterpreter];
    if (urls.some(function (u) { return !u; })) return Promise.reject(new Error("no urls"));
    loading = urls.reduce(function (chain, url) {
      return chain.then(function () { return loadScript(url); });
    }, Promise.resolve()).then(function () {
      LIBS.forEach(function (name) {
        if (!window[name]) throw new Error(name + " missing");
      });
    });
    return loading;
  }

  function enhance(figure) {
    if (figure.dataset.enhanced) return;
    figure.dataset.enhanced = "pending";
    var staticView = figure.querySelector(".chart-svg");
    var specUrl = figure.dataset.spec;
    if (!staticView || !specUrl) return;
    var host = document.createElement("div");
    host.className = "chart-interactive";
    Promise.all([
      loadLibraries(),
      fetch(specUrl, { credentials: "same-origin" }).then(function (r) {
        if (!r.ok) throw new Error("spec " + r.status);
        return r.json();
      }),
    ]).then(function (results) {
      var spec = results[1];
      var meta = spec.usermeta || {};
      staticView.parentNode.insertBefore(host, staticView);
      var options = {
        ast: true,
        expr: window.vegaInterpreter.expressionInterpreter,
        renderer: "svg",
        actions: false,
        defaultStyle: false,
        tooltip: { disableDefaultStyle: true, theme: "custom" },
      };
      if (meta.formatLocale) options.formatLocale = meta.formatLocale;
      return window.vegaEmbed(host, spec, options);
    }).then(function (result) {
      var svg = host.querySelector("svg");
      if (svg) {
        // The figure carries the accessible name; the static <title>/<desc> ids stay valid.
        svg.setAttribute("role", "img");
        svg.setAttribute("aria-labelledby", staticView.querySelector("svg")
          ? staticView.querySelector("svg").getAttribute("aria-labelledby") : "");
      }
      staticView.hidden = true;
      figure.classList.add("is-interactive");
      figure.dataset.enhanced = "done";
      figure._vegaView = result.view;
    }).catch(function () {
      if (host.parentNode) host.parentNode.removeChild(host);
      staticView.hidden = false;
      figure.dataset.enhanced = "failed";
    });
  }

  function start() {
    var figures = document.querySelectorAll("figure.chart[data-spec]");
    if (!figures.length) return;
    if (!("IntersectionObserver" in window)) {
      Array.prototype.forEach.call(figures, enhance);
      return;
    }
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) {
          observer.unobserve(entry.target);
          enhance(entry.target);
        }
      });
    }, { rootMargin: "200px" });
    Array.prototype.forEach.call(figures, function (f) { observer.observe(f); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
