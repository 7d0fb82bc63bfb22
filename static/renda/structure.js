/* Charts of the structure statistics page: a pie or a bar per dimension,
   declared as data ([{element, kind, labels, values}]) in one json_script.
   Bars reuse rendaBarChart from charts.js, which reads its own json_script,
   so each bar's data is written into a script element made here. */
function rendaPieChart(element, data) {
  var chart = echarts.init(element, null, { renderer: "svg" });
  chart.setOption({
    animation: false,
    color: ["#a31f24", "#d9822b", "#3a7ca5", "#5b8c5a", "#8e6c8a", "#c9a227", "#6c757d", "#2f4858", "#b5651d", "#4f6d7a"],
    // The page's own percentages (2 decimals, rounded half up), not ECharts'
    // {d}, which rounds differently and could disagree with the table.
    tooltip: { trigger: "item", formatter: function (p) { return p.name + "：" + p.value + "人（" + p.data.percent + "%）"; } },
    legend: { bottom: 0, type: "scroll" },
    series: [{
      type: "pie",
      radius: ["30%", "62%"],
      center: ["50%", "45%"],
      label: { formatter: function (p) { return p.name + "\n" + p.value + "人 " + p.data.percent + "%"; } },
      data: data.labels.map(function (label, index) {
        return { name: label, value: data.values[index], percent: data.percents[index] };
      })
    }]
  });
  window.addEventListener("resize", function () { chart.resize(); });
  return chart;
}

function rendaStructureCharts(dataId) {
  var source = document.getElementById(dataId);
  if (!source || !window.echarts) { return; }
  JSON.parse(source.textContent).forEach(function (item) {
    var element = document.getElementById(item.element);
    if (!element) { return; }
    if (!item.values.length) {
      element.classList.remove("chart");
      return;
    }
    if (item.kind === "bar") {
      var script = document.createElement("script");
      script.type = "application/json";
      script.id = item.element + "-data";
      script.textContent = JSON.stringify({ labels: item.labels, values: item.values });
      document.body.appendChild(script);
      rendaBarChart(item.element, script.id);
    } else {
      rendaPieChart(element, item);
    }
  });
}
