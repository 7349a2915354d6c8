/* lagebild web app: the interactive timeline (vis-timeline) and actor graph (cytoscape).
 * Data comes from <script type="application/json"> blocks (the CSP forbids inline scripts).
 * Article data is only ever put into the page as text (textContent / library data), never as HTML. */
(function () {
  "use strict";

  function readJson(id) {
    var el = document.getElementById(id);
    if (!el) { return null; }
    try { return JSON.parse(el.textContent); } catch (e) { return null; }
  }

  function escapeText(s) {
    return String(s == null ? "" : s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function flashRow(eventId) {
    var row = document.getElementById("event-" + eventId);
    if (!row) { return; }
    var old = document.querySelectorAll("tr.flash");
    for (var i = 0; i < old.length; i++) { old[i].classList.remove("flash"); }
    row.classList.add("flash");
    row.scrollIntoView({ block: "center", behavior: "smooth" });
  }

  function initTimeline(container) {
    var data = readJson(container.getAttribute("data-items"));
    if (!data || !window.vis || !window.vis.Timeline) { return; }
    if (!data.length) {
      container.textContent = "No dated events to show on a timeline.";
      return;
    }
    var items = data.map(function (d) {
      var content = document.createElement("span");
      content.className = "tl-label";
      content.setAttribute("data-event-id", d.id);
      content.textContent = d.label;
      var item = {
        id: d.id,
        start: d.start,
        content: content,
        className: "status-" + String(d.status).replace(/[^a-z_-]/gi, "") + (d.background ? " background" : ""),
        title: escapeText(d.label + " · " + d.date + " · " + d.status + (d.background ? " · background" : "")),
        type: d.end ? "range" : "box",
        group: d.background ? "background" : "events"
      };
      if (d.end) { item.end = d.end; }
      return item;
    });
    var groups = [{ id: "events", content: "events" }];
    if (data.some(function (d) { return d.background; })) {
      groups.push({ id: "background", content: "background", className: "background" });
    }
    var timeline = new window.vis.Timeline(container, items, groups, {
      stack: true,
      zoomable: true,
      horizontalScroll: true,
      zoomKey: "ctrlKey",
      maxHeight: 520,
      margin: { item: 6 }
    });
    timeline.on("select", function (props) {
      if (props.items && props.items.length) { flashRow(props.items[0]); }
    });
  }

  var TYPE_COLOURS = { PER: "#2d6fb5", ORG: "#6a4bb3", GPE: "#1f7a3a", LOC: "#1f7a3a", CITY: "#1f7a3a" };

  function initGraph(container) {
    var data = readJson(container.getAttribute("data-graph"));
    if (!data || typeof window.cytoscape !== "function") { return; }
    var elements = [];
    data.nodes.forEach(function (n) {
      if (n.id == null) { return; }
      elements.push({ group: "nodes", data: { id: String(n.id), label: String(n.label || n.id), type: String(n.type || "") },
                      classes: n.centre ? "centre" : "" });
    });
    data.edges.forEach(function (e, i) {
      if (e.source == null || e.target == null) { return; }
      elements.push({ group: "edges", data: { id: "e" + i, source: String(e.source), target: String(e.target),
                                              weight: Number(e.weight) || 1 } });
    });
    var cy = window.cytoscape({
      container: container,
      elements: elements,
      style: [
        { selector: "node", style: {
          "label": "data(label)", "font-size": 11, "text-valign": "bottom", "text-margin-y": 3,
          "width": 14, "height": 14, "color": "#1d2329",
          "background-color": function (n) { return TYPE_COLOURS[String(n.data("type")).toUpperCase()] || "#66707a"; } } },
        { selector: "node.centre", style: { "width": 26, "height": 26, "font-weight": "bold", "border-width": 3, "border-color": "#1d2329" } },
        { selector: "edge", style: {
          "width": function (e) { return Math.min(1 + Math.log2(e.data("weight")), 8); },
          "line-color": "#b8c0c8", "curve-style": "straight" } }
      ],
      layout: { name: "concentric", concentric: function (n) { return n.hasClass("centre") ? 2 : 1; },
                levelWidth: function () { return 1; }, minNodeSpacing: 18, animate: false }
    });
    cy.on("tap", "node", function (evt) {
      var id = evt.target.id();
      if (!evt.target.hasClass("centre")) { window.location.href = "/entities/" + encodeURIComponent(id); }
    });
    container.setAttribute("data-ready", "true");
  }

  function init() {
    var tl = document.querySelectorAll("[data-items]");
    for (var i = 0; i < tl.length; i++) { initTimeline(tl[i]); }
    var gr = document.querySelectorAll("[data-graph]");
    for (var j = 0; j < gr.length; j++) { initGraph(gr[j]); }
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
