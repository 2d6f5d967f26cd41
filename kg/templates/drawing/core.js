// What every drawing shares, whatever draws it: the data, the details panel, search, filters, the controls.
// A renderer (sigma.js for the whole graph, vis-network for focused views) draws; it gets the core
// and gives back: highlight() after the selection changed, frame(i) to bring a node and its
// neighbours into view, filtered() after the filters changed, zoom(factor), fit(), pan(dx, dy) in
// fractions of the drawing, and order (how many nodes it draws).
function kgCore(D) {
  "use strict";
  var N = D.n, count = N.local.length, E = D.e, edgeCount = E.length / 3;
  N.kind = N.kind.map(function (k) { return D.kinds[k]; });
  N.tax = N.tax.map(function (t) { return D.taxa[t]; });
  var rel = D.rel;
  var outEdges = [], inEdges = [];
  var i, k;
  for (i = 0; i < count; i++) { outEdges.push([]); inEdges.push([]); }
  for (k = 0; k < edgeCount; k++) { outEdges[E[3 * k]].push(k); inEdges[E[3 * k + 1]].push(k); }
  var state = { selected: -1, near: null, hidden: {} };
  var details = document.getElementById("details");
  var hint = details.firstElementChild;
  var status = document.getElementById("search-status");
  var view = null;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }
  function iri(i) { return D.prefixes[N.ns[i]] + N.local[i]; }
  function normalise(text) { return text.toLowerCase().replace(/\s+/g, " ").trim(); }
  function percent(share) { return share > 0 && share < 0.005 ? "<1%" : Math.round(share * 100) + "%"; }
  function number(value) { return value.toLocaleString("en-US"); }
  function shareOf(part, total) { return total > 0 ? percent(part / total) + " (" + number(part) + " of " + number(total) + ")" : ""; }
  function plural(n, one, many) { return number(n) + " " + (n === 1 ? one : many); }
  function colourOf(i) {
    if (N.sec[i]) { return D.colours.secondary; }
    if (N.tax[i]) { return D.colours.taxonomies[N.tax[i]] || D.colours.other; }
    return D.colours.kinds[N.kind[i]] || D.colours.other;
  }
  function filterKey(i) { return N.sec[i] ? "secondary" : (N.tax[i] || N.kind[i]); }
  function hidden(i) { return !!state.hidden[filterKey(i)]; }
  function neighbours(i) {
    var near = {};
    near[i] = true;
    outEdges[i].forEach(function (k) { near[E[3 * k + 1]] = true; });
    inEdges[i].forEach(function (k) { near[E[3 * k]] = true; });
    return near;
  }

  // ---------------------------------------------------------------- details
  function figures(k) {
    var link = D.links[String(k)];
    if (!link) { return ""; }
    var parts = [];
    if (link[2]) { parts.push(link[2]); }
    if (link[1] !== null && link[3]) { parts.push(shareOf(link[0], link[3])); }
    else if (link[1] !== null) { parts.push(percent(link[1]) + " of its postings"); }
    if (link[0] && !(link[1] !== null && link[3])) { parts.push(plural(link[0], "posting", "postings")); }
    return parts.join(" · ");
  }
  function thinFlag() {
    var flag = el("span", "thin", "few postings");
    flag.title = "Fewer than " + D.thin + " postings: read this figure with care";
    return flag;
  }
  function group(title, rows) {
    var box = document.createDocumentFragment();
    box.appendChild(el("h4", "", title + " (" + number(rows.length) + ")"));
    var list = el("ul");
    var limit = 25;
    rows.forEach(function (row, n) {
      var item = el("li");
      var link = el("button", "nb", N.label[row.node]);
      link.type = "button";
      link.setAttribute("data-node", iri(row.node));
      link.addEventListener("click", function () { select(row.node, true); });
      item.appendChild(link);
      if (row.text) { item.appendChild(document.createTextNode(" ")); item.appendChild(el("span", "fig", row.text)); }
      if (n >= limit) { item.hidden = true; }
      list.appendChild(item);
    });
    box.appendChild(list);
    if (rows.length > limit) {
      var more = el("button", "more", "Show all " + number(rows.length));
      more.type = "button";
      more.addEventListener("click", function () {
        Array.prototype.forEach.call(list.children, function (item) { item.hidden = false; });
        more.remove();
      });
      box.appendChild(more);
    }
    return box;
  }
  function summary(i) {
    var kind = D.kindNames[N.kind[i]] || N.kind[i];
    var bits = [N.tax[i] ? N.tax[i] + " " + kind.toLowerCase() : kind];
    var domains = D.domains[String(i)];
    if (domains) { bits.push("in " + domains.join(", ")); }
    return bits.join(" · ");
  }
  function postingsLine(i) {
    var n = N.postings[i];
    var kind = N.kind[i];
    var text = kind === "Skill" ? plural(n, "posting asks", "postings ask") + " for it"
      : kind === "Domain" ? plural(n, "posting asks", "postings ask") + " for its skills"
      : kind === "Company" ? plural(n, "posting", "postings") + " by it"
      : plural(n, "posting", "postings") + " for it";
    var line = el("p", "", text + " ");
    if (n > 0 && n < D.thin) { line.appendChild(thinFlag()); }
    return line;
  }
  function scoped(i) {
    // on a company's page, the company's own figure for this node comes first
    var company = N.label[D.scope];
    var found = null;
    outEdges[D.scope].forEach(function (k) { if (E[3 * k + 1] === i && D.links[String(k)]) { found = D.links[String(k)]; } });
    if (!found) {
      return N.kind[i] === "Skill" ? el("p", "", "No posting of " + company + " asks for it (it is in the profile of a role " + company + " hires)") : null;
    }
    var line = el("p", "", company + ": " + found[2] + " in " + shareOf(found[0], found[3]) + " of its postings ");
    if (found[3] < D.thin) { line.appendChild(thinFlag()); }
    return line;
  }
  function showDetails(i) {
    var card = document.createDocumentFragment();
    card.appendChild(el("h3", "", N.label[i]));
    card.appendChild(el("p", "kind", summary(i)));
    var aliases = D.aliases[String(i)];
    if (aliases) { card.appendChild(el("p", "fig", "Also called " + aliases.join(", "))); }
    if (D.scope >= 0 && i !== D.scope) { var own = scoped(i); if (own) { card.appendChild(own); } }
    if (D.counted && N.kind[i] !== "JobPosting" && !N.tax[i]) {
      var all = postingsLine(i);
      if (D.scope >= 0 && i !== D.scope) { all.insertBefore(document.createTextNode("In all: "), all.firstChild); }
      card.appendChild(all);
    }
    var groups = {};
    var order = [];
    function add(title, node, k) {
      if (!groups[title]) { groups[title] = []; order.push(title); }
      groups[title].push({ node: node, text: figures(k), weight: (D.links[String(k)] || [0])[0] });
    }
    rel.forEach(function (relation, r) {
      outEdges[i].forEach(function (k) { if (E[3 * k + 2] === r) { add(relation.out, E[3 * k + 1], k); } });
    });
    rel.forEach(function (relation, r) {
      inEdges[i].forEach(function (k) { if (E[3 * k + 2] === r) { add(relation["in"], E[3 * k], k); } });
    });
    order.forEach(function (title) {
      var rows = groups[title];
      rows.sort(function (a, b) { return b.weight - a.weight || N.rank[b.node] - N.rank[a.node] || (N.label[a.node] < N.label[b.node] ? -1 : 1); });
      card.appendChild(group(title, rows));
    });
    var sources = D.src[String(i)];
    if (sources) {
      var box = el("details", "sources");
      box.appendChild(el("summary", "", "Sources: " + plural(sources.length / 2, "posting", "postings")));
      var list = el("ol");
      for (var s = 0; s < sources.length; s += 2) {
        list.appendChild(el("li", "", D.files[sources[s]] + (sources[s + 1] ? ", line " + sources[s + 1] : "")));
      }
      box.appendChild(list);
      card.appendChild(box);
    }
    details.replaceChildren(card);
  }
  function select(i, move) {
    state.selected = i;
    state.near = neighbours(i);
    showDetails(i);
    if (view) {
      view.highlight();
      if (move) { view.frame(i); }
    }
    status.textContent = N.label[i] + " selected";
  }
  function unselect() {
    state.selected = -1;
    state.near = null;
    details.replaceChildren(hint);
    if (view) { view.highlight(); }
  }

  // ---------------------------------------------------------------- labels: which are tried, and where they fit
  var atRest = D.focus.concat(D.byRank.filter(function (i) { return D.focus.indexOf(i) < 0; }));
  function labelOrder() {
    // most important first: the selection and its neighbours, else the focus and every other node in the order
    // the page was written with (D.byRank), so that the first few hundred tries are the ones that matter
    if (state.selected < 0) { return atRest; }
    var near = Object.keys(state.near).map(Number).filter(function (i) { return i !== state.selected; });
    near.sort(function (a, b) { return N.rank[b] - N.rank[a] || a - b; });
    return [state.selected].concat(near);
  }
  function labelGrid(cell) {
    // boxes [left, top, width, height] on screen, bucketed by cell: free(box) says whether box overlaps none
    // taken so far (with a pixel or two to spare), take(box) keeps it
    var grid = {};
    function visit(box, add) {
      for (var cx = Math.floor(box[0] / cell); cx <= Math.floor((box[0] + box[2]) / cell); cx++) {
        for (var cy = Math.floor(box[1] / cell); cy <= Math.floor((box[1] + box[3]) / cell); cy++) {
          var key = cx + "," + cy, list = grid[key];
          if (add) { (grid[key] = list || []).push(box); continue; }
          if (list) {
            for (var n = 0; n < list.length; n++) {
              var other = list[n];
              if (box[0] < other[0] + other[2] + 2 && other[0] < box[0] + box[2] + 2 &&
                  box[1] < other[1] + other[3] + 1 && other[1] < box[1] + box[3] + 1) { return true; }
            }
          }
        }
      }
      return false;
    }
    return { free: function (box) { return !visit(box, false); }, take: function (box) { visit(box, true); } };
  }

  // ---------------------------------------------------------------- search: labels and aliases
  var keys = null;
  function searchKeys() {
    if (keys) { return keys; }
    keys = [];
    for (var i = 0; i < count; i++) {
      keys.push([normalise(N.label[i]), i, ""]);
      (D.aliases[String(i)] || []).forEach(function (alias) { keys.push([normalise(alias), i, alias]); });
    }
    return keys;
  }
  function find(text) {
    var wanted = normalise(text);
    if (!wanted) { return []; }
    var best = {};
    searchKeys().forEach(function (entry) {
      var key = entry[0], node = entry[1];
      if (hidden(node)) { return; }
      var score = key === wanted ? 3 : key.indexOf(wanted) === 0 ? 2 : key.indexOf(wanted) >= 0 ? 1 : 0;
      if (!score) { return; }
      var previous = best[node];
      if (!previous || score > previous.score) { best[node] = { node: node, score: score, alias: entry[2] }; }
    });
    return Object.keys(best).map(function (key) { return best[key]; }).sort(function (a, b) {
      return b.score - a.score || N.rank[b.node] - N.rank[a.node] || a.node - b.node;
    });
  }
  function choose(match, suggestions) {
    suggestions.replaceChildren();
    select(match.node, true);
    status.textContent = N.label[match.node] + (match.alias ? " (also called " + match.alias + ")" : "");
  }

  // ---------------------------------------------------------------- the controls, once a renderer draws
  function start(renderer) {
    view = renderer;
    var input = document.getElementById("search");
    var suggestions = document.getElementById("suggestions");
    input.addEventListener("input", function () {
      var found = find(input.value).slice(0, 8);
      suggestions.replaceChildren();
      found.forEach(function (match) {
        var item = el("li");
        var button = el("button", "", N.label[match.node]);
        button.type = "button";
        button.addEventListener("click", function () { choose(match, suggestions); });
        item.appendChild(button);
        var also = (D.kindNames[N.kind[match.node]] || "") + (match.alias && match.score >= 2 ? ", also called " + match.alias : "");
        item.appendChild(el("span", "also", " " + also));
        suggestions.appendChild(item);
      });
    });
    document.getElementById("search-form").addEventListener("submit", function (event) {
      event.preventDefault();
      var found = find(input.value);
      if (!found.length) {
        suggestions.replaceChildren();
        status.textContent = input.value.trim() ? "Nothing shown is called “" + input.value.trim() + "”." : "";
        return;
      }
      choose(found[0], suggestions);
    });
    document.querySelectorAll("input.kg-filter").forEach(function (box) {
      box.addEventListener("change", function () {
        state.hidden[box.value] = !box.checked;
        if (state.selected >= 0 && hidden(state.selected)) { unselect(); }
        view.filtered();
      });
    });
    document.getElementById("zoom-in").addEventListener("click", function () { view.zoom(1 / 1.6); });
    document.getElementById("zoom-out").addEventListener("click", function () { view.zoom(1.6); });
    document.getElementById("fit").addEventListener("click", function () { unselect(); view.fit(); });
    document.getElementById("graph").addEventListener("keydown", function (event) {
      var moves = { ArrowLeft: [-0.12, 0], ArrowRight: [0.12, 0], ArrowUp: [0, -0.12], ArrowDown: [0, 0.12] };
      if (moves[event.key]) { view.pan(moves[event.key][0], moves[event.key][1]); }
      else if (event.key === "+" || event.key === "=") { view.zoom(1 / 1.4); }
      else if (event.key === "-" || event.key === "_") { view.zoom(1.4); }
      else if (event.key === "Escape") { unselect(); }
      else { return; }
      event.preventDefault();
    });
    var toggle = document.getElementById("panel-toggle");
    toggle.addEventListener("click", function () {
      var collapsed = document.body.classList.toggle("collapsed");
      toggle.setAttribute("aria-expanded", String(!collapsed));
      toggle.textContent = collapsed ? "Show panel" : "Hide panel";
    });
  }
  function ready() {
    if (D.focus.length) { showDetails(D.focus[0]); }  // the whole view stays in sight; a click narrows it
    window.kgReady = true;
    window.kgReadyAt = performance.now();
    document.body.setAttribute("data-ready", "true");
  }

  return { D: D, N: N, E: E, rel: rel, count: count, edgeCount: edgeCount, outEdges: outEdges, inEdges: inEdges,
           state: state, el: el, iri: iri, colourOf: colourOf, hidden: hidden, select: select, unselect: unselect,
           find: find, labelOrder: labelOrder, labelGrid: labelGrid, start: start, ready: ready };
}
