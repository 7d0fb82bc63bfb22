/* Charts of the suggestions figures page: grouped bars per group of the
   chosen dimension, one for the counts and one for the rates, declared as
   data ({labels, counts: [{name, values}], rates: [{name, values}]}) in one
   json_script. A rate with nothing to divide by is null and drawn as a gap. */
var RENDA_COLORS = ["#a31f24", "#d9822b", "#3a7ca5", "#5b8c5a", "#8e6c8a", "#c9a227"];

function rendaGroupedBars(elementId, labels, series, options) {
  var element = document.getElementById(elementId);
  if (!element || !window.echarts) { return null; }
  var chart = echarts.init(element, null, { renderer: "svg" });
  chart.setOption({
    animation: false,
    color: RENDA_COLORS,
    tooltip: {
      trigger: "axis",
      valueFormatter: function (value) {
        return value === null || value === undefined ? "—" : value + (options.suffix || "");
      }
    },
    legend: { bottom: 0, type: "scroll" },
    grid: { left: 40, right: 8, bottom: 32, top: 16, containLabel: true },
    xAxis: { type: "category", data: labels, axisLabel: { interval: 0, rotate: labels.length > 4 ? 30 : 0 } },
    yAxis: options.max ? { type: "value", max: options.max } : { type: "value", minInterval: 1 },
    series: series.map(function (item) { return { type: "bar", name: item.name, data: item.values }; })
  });
  window.addEventListener("resize", function () { chart.resize(); });
  return chart;
}

function rendaFiguresCharts(dataId) {
  var source = document.getElementById(dataId);
  if (!source || !window.echarts) { return; }
  var data = JSON.parse(source.textContent);
  if (!data.labels.length) { return; }
  rendaGroupedBars("chart-counts", data.labels, data.counts, { suffix: " 件" });
  rendaGroupedBars("chart-rates", data.labels, data.rates, { suffix: "%", max: 100 });
}
