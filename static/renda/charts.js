/* Small wrappers over ECharts so pages declare charts with data, not code. */
function rendaBarChart(elementId, dataId) {
  var element = document.getElementById(elementId);
  var data = JSON.parse(document.getElementById(dataId).textContent);
  if (!element || !window.echarts) { return null; }
  var chart = echarts.init(element, null, { renderer: "svg" });
  chart.setOption({
    animation: false,
    color: ["#a31f24"],
    tooltip: { trigger: "axis" },
    grid: { left: 8, right: 8, bottom: 8, top: 16, containLabel: true },
    xAxis: { type: "category", data: data.labels, axisLabel: { interval: 0, rotate: data.labels.length > 4 ? 30 : 0 } },
    yAxis: { type: "value", minInterval: 1 },
    series: [{ type: "bar", data: data.values, label: { show: true, position: "top" } }]
  });
  window.addEventListener("resize", function () { chart.resize(); });
  return chart;
}
