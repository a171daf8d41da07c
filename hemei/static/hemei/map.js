/* The map widget (hemei/places/templates/places/partials/map.html): vector layers of GeoJSON
   on a plain background (no internet needed), or on the county's tile service when it set
   one; in drawing mode the polygon drawn is written as GeoJSON into a form field.
   Options come from a json_script element named by data-hemei-map; no inline script. */
(function () {
  "use strict";

  var HATCH = "hemei-hatch";
  var STYLES = {
    homestead: { color: "#1d4ed8", weight: 1.5, fillColor: "#2563eb", fillOpacity: 0.2 },
    contract: { color: "#15803d", weight: 1, fillColor: "#22c55e", fillOpacity: 0.15 },
    collective: { color: "#92400e", weight: 1, fillColor: "#d97706", fillOpacity: 0.15 },
    proposed: { color: "#ea580c", weight: 3, fillColor: "#f97316", fillOpacity: 0.45 },
    basic_farmland: { color: "#dc2626", weight: 1.5, fillColor: "url(#" + HATCH + ")", fillOpacity: 1 },
    plan_construction: { color: "#7c3aed", weight: 2, dashArray: "6 4", fill: false },
    other: { color: "#64748b", weight: 1, fillColor: "#94a3b8", fillOpacity: 0.15 }
  };

  function styleFor(kind) {
    return STYLES[kind] || STYLES.other;
  }

  /* A red diagonal hatch for basic farmland, as an SVG pattern in the overlay pane. */
  function addHatch(map) {
    var svg = map.getRenderer(L.polygon([[0, 0], [0, 0], [0, 0]]))._container;
    if (!svg || svg.querySelector("#" + HATCH)) return;
    var ns = "http://www.w3.org/2000/svg";
    var defs = document.createElementNS(ns, "defs");
    var pattern = document.createElementNS(ns, "pattern");
    pattern.setAttribute("id", HATCH);
    pattern.setAttribute("patternUnits", "userSpaceOnUse");
    pattern.setAttribute("width", "8");
    pattern.setAttribute("height", "8");
    pattern.setAttribute("patternTransform", "rotate(45)");
    var line = document.createElementNS(ns, "line");
    line.setAttribute("x1", "0");
    line.setAttribute("y1", "0");
    line.setAttribute("x2", "0");
    line.setAttribute("y2", "8");
    line.setAttribute("stroke", "#dc2626");
    line.setAttribute("stroke-width", "2");
    line.setAttribute("stroke-opacity", "0.6");
    pattern.appendChild(line);
    defs.appendChild(pattern);
    svg.insertBefore(defs, svg.firstChild);
  }

  /* A popup built from text nodes (never HTML from the data). */
  function popupFor(feature, source, words) {
    var p = feature.properties || {};
    var list = document.createElement("dl");
    list.className = "hemei-map-popup";
    function add(term, value) {
      if (value === undefined || value === null || value === "") return;
      var dt = document.createElement("dt");
      dt.textContent = term;
      var dd = document.createElement("dd");
      dd.textContent = String(value);
      list.appendChild(dt);
      list.appendChild(dd);
    }
    if (source.kind === "parcels" || source.kind === "proposed") {
      add(words.parcel, p.code ? p.code + (p.kind_label ? " · " + p.kind_label : "") : source.label);
      add(words.household, p.household);
    } else {
      add(words.layer, p.layer || source.label);
    }
    if (p.area_m2) add(words.area, p.area_m2 + " " + words.m2 + (p.area_mu ? " (" + p.area_mu + " " + words.mu + ")" : ""));
    return list;
  }

  function note(map, text) {
    var box = map.getContainer().querySelector(".map-note");
    if (!text) {
      if (box) box.parentNode.removeChild(box);
      return;
    }
    if (!box) {
      box = document.createElement("div");
      box.className = "map-note";
      map.getContainer().appendChild(box);
    }
    box.textContent = text;
  }

  function bboxOf(map) {
    var b = map.getBounds();
    return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (v) {
      return v.toFixed(6);
    }).join(",");
  }

  function setup(element) {
    var script = document.getElementById(element.getAttribute("data-hemei-map"));
    if (!script || !window.L) return;
    var options = JSON.parse(script.textContent);
    var words = {
      parcel: element.dataset.parcel, household: element.dataset.household,
      area: element.dataset.area, m2: element.dataset.m2, mu: element.dataset.mu,
      layer: element.dataset.layer
    };
    var map = L.map(element, { preferCanvas: false, zoomSnap: 0.5, maxZoom: 21 });
    element.hemeiMap = map;
    map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
    if (options.tiles && options.tiles.url) {
      L.tileLayer(options.tiles.url, {
        subdomains: options.tiles.subdomains || "abc",
        attribution: options.tiles.attribution || "",
        maxZoom: 21,
        maxNativeZoom: 18
      }).addTo(map);
    }
    if (options.bounds) {
      map.fitBounds(options.bounds, { maxZoom: 18 });
    } else {
      map.setView([36.4, 120.4], 11);
    }
    addHatch(map);
    var fitted = L.latLngBounds([]);
    var pending = 0;

    function layerFor(source) {
      return L.geoJSON(null, {
        style: function (feature) {
          var kind = source.kind;
          if (kind === "parcels") kind = (feature.properties && feature.properties.kind) || "homestead";
          return styleFor(kind);
        },
        onEachFeature: function (feature, layer) {
          layer.bindPopup(function () { return popupFor(feature, source, words); });
        },
        pmIgnore: true
      });
    }

    function fitOnce(layer, source) {
      if (!source.fit) return;
      var b = layer.getBounds();
      if (b.isValid()) {
        fitted.extend(b);
        map.fitBounds(fitted, { maxZoom: 19, padding: [12, 12] });
      }
    }

    function load(source, layer, withBox) {
      var url = source.url;
      if (withBox) url += (url.indexOf("?") < 0 ? "?" : "&") + "bbox=" + encodeURIComponent(bboxOf(map));
      pending += 1;
      element.setAttribute("aria-busy", "true");
      return fetch(url, { credentials: "same-origin", headers: { Accept: "application/geo+json" } })
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          return response.json();
        })
        .then(function (data) {
          layer.clearLayers();
          layer.addData(data);
          if (data.truncated) note(map, element.dataset.zoomIn);
          fitOnce(layer, source);
        })
        .catch(function () { note(map, element.dataset.failed); })
        .then(function () {
          pending -= 1;
          if (!pending) element.removeAttribute("aria-busy");
        });
    }

    var moving = [];
    (options.sources || []).forEach(function (source) {
      var layer = layerFor(source).addTo(map);
      if (source.kind === "proposed") layer.bringToFront();
      if (source.data) {
        layer.addData(source.data);
        fitOnce(layer, source);
      } else if (source.url) {
        load(source, layer, source.bbox);
        if (source.bbox) moving.push([source, layer]);
      }
    });
    if (moving.length) {
      var timer = null;
      map.on("moveend", function () {
        clearTimeout(timer);
        timer = setTimeout(function () {
          note(map, "");
          moving.forEach(function (pair) { load(pair[0], pair[1], true); });
        }, 250);
      });
    }
    if (options.draw) drawing(map, options.draw);
  }

  /* Drawing mode: one polygon, its GeoJSON geometry in the field; editing updates it. */
  function drawing(map, fieldId) {
    var field = document.getElementById(fieldId);
    if (!field || !map.pm) return;
    if ((document.documentElement.lang || "").indexOf("zh") === 0) map.pm.setLang("zh");
    map.pm.addControls({
      position: "topleft",
      drawMarker: false, drawCircleMarker: false, drawPolyline: false, drawRectangle: true,
      drawPolygon: true, drawCircle: false, drawText: false, cutPolygon: false,
      rotateMode: false, editMode: true, dragMode: true, removalMode: true
    });
    var drawn = null;
    function write() {
      field.value = drawn ? JSON.stringify(drawn.toGeoJSON().geometry) : "";
      field.dispatchEvent(new Event("change", { bubbles: true }));
    }
    function keep(layer) {
      if (drawn && drawn !== layer) map.removeLayer(drawn);
      drawn = layer;
      drawn.setStyle(STYLES.proposed);
      drawn.on("pm:edit pm:dragend", write);
      write();
    }
    if (field.value) {
      try {
        var existing = L.geoJSON(JSON.parse(field.value)).getLayers()[0];
        if (existing) {
          existing.addTo(map);
          keep(existing);
          map.fitBounds(existing.getBounds(), { maxZoom: 19, padding: [20, 20] });
        }
      } catch (e) { field.value = ""; }
    }
    map.on("pm:create", function (event) { keep(event.layer); });
    map.on("pm:remove", function (event) {
      if (event.layer === drawn) { drawn = null; write(); }
    });
  }

  function start() {
    var elements = document.querySelectorAll("[data-hemei-map]");
    for (var i = 0; i < elements.length; i++) {
      if (!elements[i].hemeiMap) setup(elements[i]);
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
