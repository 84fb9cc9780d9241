/* Petitions: progressive enhancement only. Without JavaScript the "check your petition" step shows similar
   petitions; with it they also appear while the title is typed. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-similar-url]");
  if (!form) return;
  var input = form.querySelector("input[name=title]");
  var box = form.querySelector("[data-similar-results]");
  if (!input || !box) return;
  var timer = null;
  var heading = document.documentElement.lang === "uk" ? "Схожі петиції" : document.documentElement.lang === "en" ? "Similar petitions" : "Подобни петиции";
  function show(results) {
    box.textContent = "";
    if (!results.length) return;
    var title = document.createElement("p");
    title.className = "field__label";
    title.textContent = heading;
    var list = document.createElement("ul");
    results.forEach(function (item) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = item.url;
      a.textContent = item.title;
      li.appendChild(a);
      li.appendChild(document.createTextNode(" (" + item.signatures + ")"));
      list.appendChild(li);
    });
    box.appendChild(title);
    box.appendChild(list);
  }
  input.addEventListener("input", function () {
    clearTimeout(timer);
    var value = input.value.trim();
    if (value.length < 8) { box.textContent = ""; return; }
    timer = setTimeout(function () {
      fetch(form.getAttribute("data-similar-url") + "?title=" + encodeURIComponent(value), { headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) { show(data.results || []); })
        .catch(function () {});
    }, 350);
  });
})();
