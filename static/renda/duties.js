/* Duties pages.
   - The participant picker of the activity form: find deputies by name,
     full pinyin or pinyin initials (wcy), add every member of a group or
     station at once, set attendance per row. The deputies, groups and
     stations come as data in one json_script ("participant-data"); rows are
     cloned from a <template> the server renders with the same markup as the
     rows it sends back with a form.
   - Wherever a row has an attendance select ([data-attendance]) and a
     reason box ([data-reason]), the reason shows only for 请假. */
(function () {
  "use strict";

  function toggleReason(row) {
    if (!row) { return; }
    var select = row.querySelector("[data-attendance]");
    var reason = row.querySelector("[data-reason]");
    if (!select || !reason) { return; }
    var leave = select.value === "leave";
    reason.hidden = !leave;
    reason.required = leave;
  }

  function initReasons(root) {
    root.querySelectorAll("[data-attendance-row]").forEach(toggleReason);
  }

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches && target.matches("[data-attendance]")) {
      var row = target.closest("[data-attendance-row]");
      toggleReason(row);
      var reason = row && row.querySelector("[data-reason]");
      if (reason && !reason.hidden && !reason.value) { reason.focus(); }
    }
  });
  // An attendance saved on the activity's page: its totals follow.
  document.addEventListener("renda:attendance", function (event) {
    Object.keys(event.detail).forEach(function (key) {
      var cell = document.querySelector("[data-testid=attendance-summary] [data-count=" + key + "]");
      if (cell && typeof event.detail[key] === "number") { cell.textContent = event.detail[key]; }
    });
  });
  // Rows htmx puts in the page (an attendance saved) get the same treatment.
  document.addEventListener("htmx:load", function (event) { initReasons(event.detail.elt.parentNode || document); });

  function picker(form) {
    var source = document.getElementById("participant-data");
    var template = document.getElementById("participant-row-template");
    if (!source || !template) { return; }
    var data = JSON.parse(source.textContent);
    var byId = {};
    data.deputies.forEach(function (deputy) { byId[deputy.id] = deputy; });
    var rows = form.querySelector("[data-participant-rows]");
    var search = form.querySelector("[data-picker-search]");
    var results = form.querySelector("[data-picker-results]");
    var setSelect = form.querySelector("[data-picker-set]");
    var note = form.querySelector("[data-picker-note]");
    var count = form.querySelector("[data-picker-count]");
    var empty = form.querySelector("[data-picker-empty]");

    function chosen() {
      var ids = {};
      rows.querySelectorAll("[data-participant]").forEach(function (row) { ids[row.dataset.participant] = true; });
      return ids;
    }

    function refresh() {
      var tally = { present: 0, leave: 0, absent: 0 };
      var all = rows.querySelectorAll("[data-attendance]");
      all.forEach(function (select) { tally[select.value] = (tally[select.value] || 0) + 1; });
      count.textContent = "已选 " + all.length + " 人（出席 " + tally.present + "，请假 " + tally.leave + "，缺席 " + tally.absent + "）";
      empty.hidden = all.length > 0;
    }

    function add(id) {
      var deputy = byId[id];
      if (!deputy || chosen()[id]) { return false; }
      var holder = document.createElement("tbody");
      holder.innerHTML = template.innerHTML.replace(/__ID__/g, String(Number(id)));
      var row = holder.querySelector("tr");
      row.querySelector("[data-name]").textContent = deputy.name;
      row.querySelector("[data-place]").textContent = deputy.place;
      rows.appendChild(row);
      toggleReason(row);
      return true;
    }

    function matches(deputy, text, key) {
      if (deputy.name.indexOf(text) !== -1) { return true; }
      if (!/^[a-z]+$/.test(key)) { return false; }
      return deputy.py.indexOf(key) === 0 || deputy.ini.indexOf(key) === 0;
    }

    function showResults() {
      var text = search.value.trim();
      var key = text.toLowerCase().replace(/\s+/g, "");
      results.innerHTML = "";
      if (!text) { return; }
      var taken = chosen();
      var found = data.deputies.filter(function (deputy) {
        return !taken[deputy.id] && matches(deputy, text, key);
      }).slice(0, 12);
      if (!found.length) {
        var none = document.createElement("div");
        none.className = "list-group-item small text-muted";
        none.textContent = "没有找到未选的代表“" + text + "”";
        results.appendChild(none);
        return;
      }
      found.forEach(function (deputy) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "list-group-item list-group-item-action py-2";
        button.dataset.pick = deputy.id;
        button.textContent = deputy.name + " · " + deputy.place;
        results.appendChild(button);
      });
    }

    results.addEventListener("click", function (event) {
      var button = event.target.closest("[data-pick]");
      if (!button) { return; }
      add(button.dataset.pick);
      search.value = "";
      results.innerHTML = "";
      refresh();
      search.focus();
    });
    search.addEventListener("input", showResults);
    search.addEventListener("keydown", function (event) {
      if (event.key !== "Enter") { return; }
      // Enter picks the first match instead of sending the form.
      event.preventDefault();
      var first = results.querySelector("[data-pick]");
      if (first) { first.click(); }
    });

    form.querySelector("[data-picker-add-set]").addEventListener("click", function () {
      var set = data.sets.filter(function (item) { return item.key === setSelect.value; })[0];
      if (!set) { return; }
      var added = 0, unknown = 0;
      set.members.forEach(function (id) {
        if (add(id)) { added += 1; } else if (!byId[id]) { unknown += 1; }
      });
      note.textContent = "已添加" + set.name + "的 " + added + " 名代表" +
        (set.members.length - added - unknown ? "（其余已在名单中）" : "") +
        (unknown ? "，" + unknown + " 人不是可选的在任代表" : "");
      refresh();
    });

    form.querySelector("[data-picker-all-present]").addEventListener("click", function () {
      rows.querySelectorAll("[data-attendance]").forEach(function (select) {
        select.value = "present";
        toggleReason(select.closest("[data-attendance-row]"));
      });
      refresh();
    });

    rows.addEventListener("click", function (event) {
      var button = event.target.closest("[data-remove]");
      if (!button) { return; }
      button.closest("tr").remove();
      refresh();
    });
    rows.addEventListener("change", refresh);
    refresh();
  }

  function start() {
    initReasons(document);
    var form = document.querySelector("[data-activity-form]");
    if (form) { picker(form); }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
