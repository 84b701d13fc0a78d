// Sortable tables: a click on a heading of a table.sortable sorts its rows by that column,
// numerically where the cells carry data-sort, else by text; a second click reverses.
(function () {
  "use strict";
  function key(cell) {
    if (!cell) return "";
    var v = cell.getAttribute("data-sort");
    return v !== null ? parseFloat(v) : cell.textContent.trim();
  }
  function compare(a, b) {
    if (typeof a === "number" && typeof b === "number") return a - b;
    return String(a).localeCompare(String(b), document.documentElement.lang);
  }
  document.querySelectorAll("table.sortable").forEach(function (table) {
    var heads = table.querySelectorAll("thead th");
    heads.forEach(function (th, index) {
      th.setAttribute("tabindex", "0");
      th.setAttribute("role", "button");
      function sort() {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (r1, r2) {
          var c = compare(key(r1.cells[index]), key(r2.cells[index]));
          return ascending ? c : -c;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      }
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (e) {
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sort(); }
      });
    });
  });
})();

// The pages' way to the JSON API: the session cookie goes with the page's CSRF token; an ended
// access token is renewed once (one renewal at a time for the whole page) and the call retried.
// dcmm.api(method, path, body, headers) resolves to {status, ok, headers, body} and never
// rejects on an HTTP status; a network failure rejects.
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="csrf-token"]');
  var csrf = meta ? meta.getAttribute("content") : "";
  var renewing = null;
  function renew() {
    if (!renewing) {
      renewing = fetch("/session/renew", {
        credentials: "same-origin",
        headers: { Accept: "application/json" }
      }).then(function (r) {
        renewing = null;
        return r.status === 204;
      }, function (e) {
        renewing = null;
        throw e;
      });
    }
    return renewing;
  }
  function send(method, path, body, headers) {
    var h = { "X-CSRF-Token": csrf, Accept: "application/json" };
    Object.keys(headers || {}).forEach(function (k) { h[k] = headers[k]; });
    var init = { method: method, credentials: "same-origin", headers: h };
    if (body instanceof FormData) {
      init.body = body;
    } else if (body !== undefined && body !== null) {
      h["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    return fetch(path, init).then(function (r) {
      return r.text().then(function (text) {
        var parsed = null;
        try { parsed = text ? JSON.parse(text) : null; } catch (e) { parsed = null; }
        return { status: r.status, ok: r.ok, headers: r.headers, body: parsed };
      });
    });
  }
  function api(method, path, body, headers) {
    return send(method, path, body, headers).then(function (res) {
      if (res.status !== 401) return res;
      return renew().then(function (renewed) {
        if (!renewed) {
          window.location.href = "/login?next=" + encodeURIComponent(location.pathname + location.search);
          return res;
        }
        return send(method, path, body, headers);
      });
    });
  }
  window.dcmm = { api: api, csrf: csrf };
})();
