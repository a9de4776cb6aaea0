/*
 * Optional enhancement of the indicator page's place picker (templates/site/indicator_detail.html).
 *
 * Without JavaScript every place is a checkbox in a scrollable list. This script adds a filter
 * box above the list: typing hides the places whose name does not contain the text (accents and
 * case ignored), and says how many are listed. Checked places stay checked while hidden, so the
 * form sends them. Loaded from a file (the CSP allows no inline script); sets no inline style.
 */
(function () {
  "use strict";

  if (!document.querySelectorAll || !("hidden" in document.createElement("label"))) return;

  function fold(text) {
    var out = String(text).toLowerCase();
    if (out.normalize) out = out.normalize("NFD").replace(/[\u0300-\u036f]/g, "");
    return out.replace(/\s+/g, " ").trim();
  }

  function enhance(picker, index) {
    var list = picker.querySelector(".place-list");
    if (!list || picker.querySelector(".place-filter")) return;
    var labels = Array.prototype.slice.call(list.querySelectorAll("label"));
    var groups = Array.prototype.slice.call(list.querySelectorAll(".place-group"));
    var names = labels.map(function (label) { return fold(label.textContent); });

    var id = "place-filter-" + index;
    var wrap = document.createElement("div");
    wrap.className = "place-filter";
    var label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = picker.getAttribute("data-filter-label") || "Filter";
    var input = document.createElement("input");
    input.type = "search";
    input.id = id;
    input.autocomplete = "off";
    input.setAttribute("aria-controls", list.id || (list.id = id + "-list"));
    var status = document.createElement("p");
    status.className = "muted";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    wrap.appendChild(label);
    wrap.appendChild(input);
    wrap.appendChild(status);
    list.parentNode.insertBefore(wrap, list);

    var prefix = picker.getAttribute("data-filter-status") || "";
    var timer = null;

    function apply() {
      var query = fold(input.value);
      var shown = 0;
      labels.forEach(function (item, i) {
        var match = !query || names[i].indexOf(query) !== -1;
        item.hidden = !match;
        if (match) shown += 1;
      });
      groups.forEach(function (group) {
        group.hidden = !group.querySelector("label:not([hidden])");
      });
      status.textContent = query ? prefix + " " + shown : "";
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(apply, 80);
    });
    // Enter in the filter box must not submit the form half-chosen.
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") event.preventDefault();
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-place-filter]"), enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
