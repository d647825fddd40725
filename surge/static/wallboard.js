// Keeps the wallboard fresh: polls /api/v1/wallboard and rewrites the table's cells in place.
// Every word comes translated from the page (#wallboard-words); text is only ever set with
// textContent, so a center's name can never become markup.
(function () {
  "use strict";
  var words = JSON.parse(document.getElementById("wallboard-words").textContent);
  var table = document.getElementById("wallboard");
  var summary = document.getElementById("wallboard-summary");
  var changes = document.getElementById("wallboard-changes");
  var updated = document.getElementById("wallboard-updated");
  var notice = document.getElementById("wallboard-notice");
  var firingBefore = {};
  var timer = null;

  function fill(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (_, key) { return String(values[key]); });
  }

  function seconds(n) {
    if (n === null || n === undefined) { return "—"; }
    if (n < 60) { return fill(words.units.s, {n: n}); }
    if (n < 3600) { return fill(words.units.min, {n: Math.floor(n / 60)}); }
    return fill(words.units.h, {h: Math.floor(n / 3600), m: Math.floor((n % 3600) / 60)});
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function setCell(row, field, nodes) {
    var cell = row.querySelector('[data-field="' + field + '"]');
    if (!cell) { return; }
    cell.replaceChildren.apply(cell, nodes);
  }

  function triggerNodes(state) {
    if (!state.active) {
      return [el("span", "state is-inactive", words.inactive[state.inactive_reason])];
    }
    if (!state.firing.length) { return [el("span", "quiet", words.phrases.none_firing)]; }
    var list = el("ul", "firing");
    state.firing.forEach(function (name) {
      list.appendChild(el("li", "", fill(words.triggers[name] || name, {n: state.triggers[name]})));
    });
    return [list];
  }

  // Calls over a window, as the page writes them: "offered / answered · abandon rate · ASA".
  function callWindow(w) {
    if (!w) { return "—"; }
    var rate = w.abandon_rate === null ? "—" : Math.round(w.abandon_rate * 100) + "%";
    var asa = w.asa_s === null ? "—" : seconds(Math.round(w.asa_s));
    return w.offered + " / " + w.answered + " · " + rate + " · " + asa;
  }

  function updateRow(row, center) {
    var load = center.load;
    setCell(row, "open", [el("span", "state " + (center.open ? "is-open" : "is-closed"), words.open[center.open_reason])]);
    setCell(row, "calls_waiting", [document.createTextNode(load ? String(load.calls_waiting) : "—")]);
    setCell(row, "longest_wait_s", [document.createTextNode(load ? seconds(load.longest_wait_s) : "—")]);
    setCell(row, "agents", [document.createTextNode(load ? load.agents_available + " / " + load.agents_staffed : "—")]);
    var status = [el("span", "state is-" + center.status, words.status[center.status])];
    if (center.status_age_s !== null) {
      status.push(document.createTextNode(" "), el("span", "age", seconds(center.status_age_s)));
    }
    setCell(row, "status", status);
    center.agreements.forEach(function (state) {
      var item = row.querySelector('[data-agreement="' + state.id + '"] .fires');
      if (item) { item.replaceChildren.apply(item, triggerNodes(state)); }
    });
    if (center.calls) {
      setCell(row, "calls_today", [document.createTextNode(callWindow(center.calls.today))]);
      setCell(row, "calls_last_hour", [document.createTextNode(callWindow(center.calls.last_hour))]);
    }
    row.classList.toggle("is-overflowing", center.overflowing);
  }

  function announce(board) {
    var totals = board.totals;
    ["open", "closed", "overflowing", "stale"].forEach(function (key) {
      var span = summary.querySelector('[data-total="' + key + '"]');
      var text = fill(words.phrases[key], {n: totals[key]});
      if (span.textContent !== text) { span.textContent = text; }
    });
    // Name the centers whose overflow started or stopped since the last poll.
    var news = [];
    board.centers.forEach(function (center) {
      var before = firingBefore[center.slug];
      if (before !== undefined && before !== center.overflowing) {
        news.push(fill(words.phrases[center.overflowing ? "now_firing" : "stopped_firing"], {name: center.name}));
      }
      firingBefore[center.slug] = center.overflowing;
    });
    // Cleared when quiet (a removal is not announced), so the same news later is heard again.
    changes.textContent = news.join(" ");
  }

  function show(message) {
    notice.textContent = message;
    notice.hidden = !message;
  }

  function apply(board) {
    var rows = {};
    table.querySelectorAll("tbody tr[data-center]").forEach(function (row) { rows[row.dataset.center] = row; });
    var changed = board.centers.length !== Object.keys(rows).length;
    board.centers.forEach(function (center) {
      if (rows[center.slug]) { updateRow(rows[center.slug], center); } else { changed = true; }
    });
    announce(board);
    var at = new Date(board.at);
    updated.textContent = fill(words.phrases.updated, {time: at.toLocaleTimeString()});
    show(changed ? words.phrases.changed : "");
  }

  function poll() {
    if (document.hidden) { return; }  // a background tab catches up when it is shown again
    fetch("/api/v1/wallboard", {headers: {accept: "application/json"}, credentials: "same-origin", cache: "no-store"})
      .then(function (response) {
        if (response.status === 401 || response.status === 403) {
          show(words.phrases.signed_out);
          clearInterval(timer);
          return null;
        }
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (board) { if (board) { apply(board); } })
      .catch(function () { show(words.phrases.failed); });
  }

  if (!table) { return; }
  table.querySelectorAll("tbody tr[data-center]").forEach(function (row) {
    firingBefore[row.dataset.center] = row.classList.contains("is-overflowing");
  });
  var period = Number(words.poll_seconds) * 1000;
  timer = setInterval(poll, period);
  document.addEventListener("visibilitychange", function () { if (!document.hidden) { poll(); } });
})();
