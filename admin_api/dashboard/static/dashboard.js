/* The dashboard's only script: draws every <canvas data-chart> with the vendored Chart.js and follows a
   retraining run by polling its status endpoint. Served by the product itself (CSP: script-src 'self'). */
(function () {
  "use strict";

  function format(value, spec) {
    if (value === null || value === undefined) return "–";
    var unit = spec.unit || "";
    if (unit === "%") return (Math.round(value * 10) / 10).toLocaleString() + "%";
    if (spec.integer) return Math.round(value).toLocaleString() + unit;
    return (Math.round(value * 1000) / 1000).toLocaleString() + unit;
  }

  function valueAxis(spec, title) {
    var axis = {
      type: spec.log ? "logarithmic" : "linear",
      beginAtZero: !spec.log,
      title: { display: !!title, text: title || "" },
      ticks: { callback: function (v) { return format(Number(v), spec); } },
      grid: { color: "#e5e7eb" },
    };
    if (spec.integer && !spec.log) axis.ticks.precision = 0;
    if (spec.log) axis.ticks.callback = function (v) {
      var n = Number(v), exp = Math.log10(n);
      return Math.abs(exp - Math.round(exp)) < 1e-9 || [2, 5].indexOf(n / Math.pow(10, Math.floor(exp))) >= 0
        ? format(n, spec) : "";
    };
    if (spec.max !== null && spec.max !== undefined) axis.max = spec.max;
    return axis;
  }

  function categoryAxis(title) {
    return {
      title: { display: !!title, text: title || "" },
      ticks: { autoSkip: true, maxRotation: 45, minRotation: 0 },
      grid: { display: false },
    };
  }

  function config(spec) {
    var tooltip = {
      callbacks: {
        label: function (ctx) {
          var raw = spec.kind === "calibration" ? ctx.parsed.y : ctx.raw;
          return (ctx.dataset.label ? ctx.dataset.label + ": " : "") + format(raw, spec);
        },
      },
    };
    var common = { responsive: true, maintainAspectRatio: true, animation: false };
    if (spec.kind === "calibration") {
      var pct = { min: 0, max: 1, ticks: { stepSize: 0.2, callback: function (v) { return Math.round(v * 100) + "%"; } } };
      return {
        type: "scatter",
        data: {
          datasets: [
            { label: "observed", data: spec.points, showLine: true, borderColor: "#2563eb", backgroundColor: "#2563eb" },
            { label: "perfect calibration", data: [{ x: 0, y: 0 }, { x: 1, y: 1 }], showLine: true, pointRadius: 0, reference: true,
              borderDash: [4, 4], borderColor: "#9ca3af" },
          ],
        },
        options: Object.assign({}, common, {
          aspectRatio: 1.8,
          scales: {
            x: Object.assign({ type: "linear", title: { display: true, text: spec.xTitle } }, pct),
            y: Object.assign({ title: { display: true, text: spec.yTitle } }, pct),
          },
          plugins: {
            tooltip: { callbacks: { label: function (ctx) {
              return "predicted " + Math.round(ctx.parsed.x * 100) + "%, observed " + Math.round(ctx.parsed.y * 100) + "%";
            } } },
          },
        }),
      };
    }
    var horizontal = spec.kind === "hbar";
    var datasets = spec.series.map(function (s) {
      var values = spec.log ? s.values.map(function (v) { return v > 0 ? v : null; }) : s.values;
      return { label: s.name, data: values, borderColor: s.color, backgroundColor: s.color, spanGaps: false,
               pointRadius: 2, borderWidth: spec.kind === "line" ? 2 : 0 };
    });
    var options = Object.assign({}, common, {
      indexAxis: horizontal ? "y" : "x",
      aspectRatio: horizontal ? Math.max(1.2, 2.6 - 0.08 * spec.labels.length) : 2.2,
      plugins: { legend: { display: spec.series.length > 1 }, tooltip: tooltip },
      scales: horizontal
        ? { x: valueAxis(spec, ""), y: { ticks: { autoSkip: false }, grid: { display: false } } }
        : { x: categoryAxis(spec.xTitle), y: valueAxis(spec, spec.yTitle) },
    });
    return { type: spec.kind === "line" ? "line" : "bar", data: { labels: spec.labels, datasets: datasets }, options: options };
  }

  function drawCharts() {
    if (typeof Chart === "undefined") return;
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var spec = JSON.parse(canvas.getAttribute("data-chart"));
      var chart = new Chart(canvas, config(spec));
      var drawn = chart.data.datasets.reduce(function (n, d) {
        return d.reference ? n : n + d.data.filter(function (v) { return v !== null && v !== undefined; }).length;
      }, 0);
      canvas.setAttribute("data-drawn", String(drawn));
    });
  }

  function followRetrain() {
    var box = document.getElementById("retrain-status");
    if (!box) return;
    var url = box.getAttribute("data-status-url");
    function show(status) {
      box.setAttribute("data-state", status.state);
      box.querySelector(".state").textContent = status.label;
      box.querySelector(".detail").textContent = status.detail || "";
      var button = document.getElementById("retrain-button");
      if (button) button.disabled = status.state === "running";
      if (status.state === "running") {
        window.setTimeout(poll, 2000);
      } else if (box.getAttribute("data-was-running") === "1") {
        var link = box.querySelector("a.reload");
        if (link) link.hidden = false;
      }
      if (status.state === "running") box.setAttribute("data-was-running", "1");
    }
    function poll() {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
        .then(show)
        .catch(function () { window.setTimeout(poll, 5000); });
    }
    if (box.getAttribute("data-state") === "running") {
      box.setAttribute("data-was-running", "1");
      window.setTimeout(poll, 1000);
    }
  }

  drawCharts();
  followRetrain();
})();
