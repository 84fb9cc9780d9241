/* Public maps with Leaflet shipped from our static files; the tile URL is a setting (MAP_TILE_URL).
   Every map has a text alternative next to it in the page, so nothing depends on this script. */
(function () {
  "use strict";
  function init() {
    if (!window.L) { return; }
    var config = document.getElementById("map-config");
    var tileUrl = config ? config.dataset.tileUrl : "";
    var attribution = config ? config.dataset.attribution : "";
    document.querySelectorAll("[data-map]").forEach(function (element) {
      var lat = parseFloat(element.dataset.lat), lng = parseFloat(element.dataset.lng);
      var points = [];
      if (!isNaN(lat) && !isNaN(lng)) { points.push({ lat: lat, lng: lng, label: element.dataset.label || "" }); }
      element.querySelectorAll("[data-point]").forEach(function (p) {
        points.push({ lat: parseFloat(p.dataset.lat), lng: parseFloat(p.dataset.lng), label: p.dataset.label || "", url: p.dataset.url || "" });
      });
      if (!points.length) { return; }
      var map = L.map(element, { scrollWheelZoom: false });
      if (tileUrl) { L.tileLayer(tileUrl, { attribution: attribution, maxZoom: 19 }).addTo(map); }
      var bounds = [];
      points.forEach(function (point) {
        var marker = L.marker([point.lat, point.lng], { title: point.label, alt: point.label }).addTo(map);
        if (point.label) {
          var content = document.createElement(point.url ? "a" : "span");
          content.textContent = point.label;
          if (point.url) { content.href = point.url; }
          marker.bindPopup(content);
        }
        bounds.push([point.lat, point.lng]);
      });
      if (bounds.length === 1) { map.setView(bounds[0], 15); } else { map.fitBounds(bounds, { padding: [20, 20] }); }
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
