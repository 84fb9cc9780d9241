/* Optional map picker for a place (budget proposals). Progressive enhancement: without JavaScript the picker
   stays hidden and the address field is enough. The point goes into a hidden input as
   "SRID=4326;POINT(longitude latitude)", which the server validates. */
(function () {
  "use strict";
  function init() {
    var box = document.querySelector("[data-location-picker]");
    if (!box || !window.L) { return; }
    var input = document.getElementById(box.dataset.input);
    if (!input) { return; }
    var texts = document.getElementById("location-picker-config") || { dataset: {} };
    var tiles = document.getElementById("map-config");
    var status = box.querySelector("[data-picker-status]");
    box.hidden = false;
    var map = L.map(box.querySelector("[data-picker-map]"), { scrollWheelZoom: false })
      .setView([parseFloat(box.dataset.lat), parseFloat(box.dataset.lng)], 13);
    if (tiles && tiles.dataset.tileUrl) {
      L.tileLayer(tiles.dataset.tileUrl, { attribution: tiles.dataset.attribution, maxZoom: 19 }).addTo(map);
    }
    var marker = null;
    function mark(latlng) {
      if (marker) { marker.setLatLng(latlng); } else {
        marker = L.marker(latlng, { draggable: true, keyboard: true }).addTo(map);
        marker.on("dragend", function () { mark(marker.getLatLng()); });
      }
      input.value = "SRID=4326;POINT(" + latlng.lng.toFixed(6) + " " + latlng.lat.toFixed(6) + ")";
      status.textContent = texts.dataset.marked || "";
    }
    function clear() {
      if (marker) { map.removeLayer(marker); marker = null; }
      input.value = "";
      status.textContent = texts.dataset.cleared || "";
    }
    var existing = /POINT\((-?[\d.]+) (-?[\d.]+)\)/.exec(input.value || "");
    if (existing) {
      mark(L.latLng(parseFloat(existing[2]), parseFloat(existing[1])));
      map.setView(marker.getLatLng(), 15);
    }
    map.on("click", function (event) { mark(event.latlng); });
    box.querySelector("[data-picker-clear]").addEventListener("click", clear);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
