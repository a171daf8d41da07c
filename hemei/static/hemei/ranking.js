/* The ranking page's two charts (ECharts), drawn from the JSON the page holds in
   #ranking-chart-data, and drawn again when htmx swaps in another period. */
(function () {
  "use strict";
  var charts = [];

  function draw() {
    var source = document.getElementById("ranking-chart-data");
    var scoreBox = document.getElementById("score-chart");
    var rankBox = document.getElementById("rank-chart");
    if (!window.echarts || !source || !scoreBox || !rankBox) { return; }
    var data = JSON.parse(source.textContent);
    [scoreBox, rankBox].forEach(function (box) {
      var old = echarts.getInstanceByDom(box);
      if (old) { old.dispose(); }
    });
    var scores = echarts.init(scoreBox);
    scores.setOption({
      grid: { left: 8, right: 24, top: 10, bottom: 24, containLabel: true },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      xAxis: { type: "value", min: 0, max: 100 },
      yAxis: { type: "category", inverse: true, data: data.names, axisLabel: { interval: 0 } },
      series: [{ name: data.labels.score, type: "bar", data: data.scores, itemStyle: { color: "#c53030" }, label: { show: true, position: "right" } }]
    });
    var ranks = echarts.init(rankBox);
    ranks.setOption({
      grid: { left: 8, right: 24, top: 20, bottom: 24, containLabel: true },
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: data.periods },
      yAxis: { type: "value", inverse: true, min: 1, max: Math.max(2, data.lowest), minInterval: 1, name: data.labels.rank },
      series: [{ name: data.labels.rank, type: "line", data: data.ranks, connectNulls: false, label: { show: true }, itemStyle: { color: "#1a56db" } }]
    });
    charts = [scores, ranks];
  }

  window.addEventListener("resize", function () {
    charts.forEach(function (chart) { if (!chart.isDisposed()) { chart.resize(); } });
  });
  document.addEventListener("htmx:afterSettle", draw);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
