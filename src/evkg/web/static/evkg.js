// evkg web explorer: search-as-you-type against /api/search. Plain JavaScript, no library.
// Pages work without it: the search form submits to /search.
(function () {
  "use strict";

  function attach(input) {
    var form = input.form;
    var list = form.querySelector("ul.suggest");
    if (!list) { return; }
    var endpoint = input.getAttribute("data-autocomplete");
    var timer = null;
    var latest = 0;
    var active = -1;

    function close() { list.hidden = true; list.textContent = ""; active = -1; }

    function show(hits) {
      list.textContent = "";
      hits.forEach(function (hit) {
        var item = document.createElement("li");
        var link = document.createElement("a");
        link.href = hit.url;
        var name = document.createElement("span");
        name.textContent = hit.label;
        var kind = document.createElement("span");
        kind.className = "kind-tag";
        kind.textContent = hit.kind.replace("_", " ") + " · " + hit.n_claims + " claims";
        link.appendChild(name);
        link.appendChild(kind);
        item.appendChild(link);
        list.appendChild(item);
      });
      list.hidden = hits.length === 0;
      active = -1;
    }

    function query() {
      var text = input.value.trim();
      if (text.length < 2) { close(); return; }
      var ticket = ++latest;
      fetch(endpoint + "?limit=8&q=" + encodeURIComponent(text), { headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { hits: [] }; })
        .then(function (body) { if (ticket === latest) { show(body.hits || []); } })
        .catch(function () { close(); });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(query, 150);
    });
    input.addEventListener("keydown", function (event) {
      var links = list.querySelectorAll("a");
      if (list.hidden || links.length === 0) { return; }
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        if (active >= 0) { links[active].classList.remove("active"); }
        active = (active + (event.key === "ArrowDown" ? 1 : -1) + links.length) % links.length;
        links[active].classList.add("active");
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        window.location.href = links[active].href;
      } else if (event.key === "Escape") {
        close();
      }
    });
    document.addEventListener("click", function (event) {
      if (!form.contains(event.target)) { close(); }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-autocomplete]").forEach(attach);
    // filter selects on the disease page apply as soon as they change
    document.querySelectorAll("form.filters select").forEach(function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });
  });
})();
