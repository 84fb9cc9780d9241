/* Progressive enhancement of the ballot: a live "money left" summary. The ballot works without it. */
(function () {
  "use strict";
  var box = document.getElementById("money-left");
  if (!box) { return; }
  var currency = box.dataset.currency || "EUR";
  var lang = document.documentElement.lang || "bg";
  var symbols = { EUR: "€", BGN: "лв.", UAH: "грн", PLN: "zł" };
  function money(value) {
    var number = new Intl.NumberFormat(lang, { maximumFractionDigits: 0 }).format(value);
    if (lang === "en" && currency === "EUR") { return symbols[currency] + number; }
    return number + "\u00a0" + (symbols[currency] || currency);
  }
  var boxes = document.querySelectorAll("input[type=checkbox][name=project]");
  // Projects chosen under other filters are not on the page: start from the server's totals.
  var rows = box.querySelectorAll("[data-limit]");
  var base = {};
  rows.forEach(function (row) {
    var amount = Number(row.dataset.amount);
    var spentText = row.querySelector("[data-left]");
    base[row.dataset.limit] = { row: row, amount: amount, spent: 0 };
  });
  var initialSpent = {};
  var initialCount = Number((box.querySelector("[data-count]") || {}).textContent || 0);
  boxes.forEach(function (input) {
    if (input.checked) {
      initialSpent[input.dataset.limit] = (initialSpent[input.dataset.limit] || 0) + Number(input.dataset.cost);
    }
  });
  var offPage = {};
  rows.forEach(function (row) {
    var key = row.dataset.limit;
    var amount = Number(row.dataset.amount);
    var leftText = row.querySelector("[data-left]").textContent.replace(/[^0-9-]/g, "");
    var spentServer = amount - Number(leftText || 0);
    offPage[key] = spentServer - (initialSpent[key] || 0);
  });
  var countedOnPage = 0;
  boxes.forEach(function (input) { if (input.checked) { countedOnPage += 1; } });
  var offPageCount = initialCount - countedOnPage;
  function update() {
    var spent = {};
    var count = offPageCount;
    boxes.forEach(function (input) {
      if (input.checked) {
        spent[input.dataset.limit] = (spent[input.dataset.limit] || 0) + Number(input.dataset.cost);
        count += 1;
      }
    });
    Object.keys(base).forEach(function (key) {
      var item = base[key];
      var total = (spent[key] || 0) + (offPage[key] || 0);
      item.row.querySelector("[data-spent]").textContent = money(total);
      item.row.querySelector("[data-left]").textContent = money(item.amount - total);
      var fill = item.row.querySelector(".bar__fill");
      fill.style.width = Math.max(0, Math.min(100, Math.round(total * 100 / (item.amount || 1)))) + "%";
      fill.classList.toggle("bar__fill--over", total > item.amount);
    });
    var countNode = box.querySelector("[data-count]");
    if (countNode) { countNode.textContent = count; }
  }
  boxes.forEach(function (input) { input.addEventListener("change", update); });
})();
