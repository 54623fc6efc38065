// The smarthook inspector page: plain JavaScript, no library. Everything that comes
// from a hook is put in the page as text (textContent), never as HTML.
"use strict";
(function () {
  const token = document.querySelector('meta[name="smarthook-token"]').content;
  const forwardTarget = document.querySelector('meta[name="smarthook-forward"]').content;
  const urlToken = new URLSearchParams(location.search).get("token") || "";
  const $ = (id) => document.getElementById(id);
  const tbody = document.querySelector("#list tbody");
  const rows = new Map(); // id -> row
  let next = 0, selected = 0, total = 0, listSeq = 0;
  const ticked = [];

  function api(path, opts) {
    opts = opts || {};
    opts.headers = Object.assign({ "X-Smarthook-Token": token }, opts.headers || {});
    return fetch(path, opts).then((r) => r.json().then((j) => {
      if (!r.ok) throw new Error(j.error || r.statusText);
      return j;
    }));
  }
  function withToken(path) {
    if (!urlToken) return path;
    return path + (path.includes("?") ? "&" : "?") + "token=" + encodeURIComponent(urlToken);
  }
  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function filters() {
    return {
      q: $("filter-q").value.trim(), kind: $("filter-kind").value,
      event: $("filter-event").value.trim(), account: $("filter-account").value.trim(),
      findings: $("filter-findings").checked,
    };
  }
  function query(f, before) {
    const p = new URLSearchParams();
    if (f.q) p.set("q", f.q);
    if (f.kind) p.set("kind", f.kind);
    if (f.event) p.set("event", f.event);
    if (f.account) p.set("account", f.account);
    if (f.findings) p.set("findings", "1");
    if (before) p.set("before", before);
    return p.toString();
  }
  function matches(f, r) {
    if (f.kind === "refused" ? !r.refused : f.kind && r.kind !== f.kind) return false;
    if (f.event && r.event.toLowerCase() !== f.event.toLowerCase()) return false;
    if (f.account && r.account !== f.account) return false;
    if (f.findings && !r.findings) return false;
    return true;
  }
  function sigClass(s) {
    return s === "valid" ? "ok" : (s === "invalid" || s === "changed") ? "bad" : "muted";
  }
  function size(n) {
    return n < 1024 ? n + " B" : n < 1048576 ? (n / 1024).toFixed(1) + " KiB" : (n / 1048576).toFixed(1) + " MiB";
  }
  function when(t) {
    if (!t) return "?";
    const d = new Date(t), p = (n) => String(n).padStart(2, "0");
    return d.getFullYear() + "-" + p(d.getMonth() + 1) + "-" + p(d.getDate()) + " " + p(d.getHours()) + ":" + p(d.getMinutes()) + ":" + p(d.getSeconds());
  }

  function rowElement(r) {
    const tr = el("tr");
    tr.dataset.id = r.id;
    const tick = el("input");
    tick.type = "checkbox";
    tick.className = "tick";
    tick.checked = ticked.includes(r.id);
    tick.addEventListener("click", (ev) => { ev.stopPropagation(); toggleTick(r.id, tick.checked); });
    const c0 = el("td"); c0.appendChild(tick); tr.appendChild(c0);
    tr.appendChild(el("td", "time", when(r.time)));
    tr.appendChild(el("td", "kind" + (r.refused ? " bad" : ""), r.refused ? r.kind + " · refused " + r.refused : r.kind));
    if (r.refused) tr.classList.add("refused");
    tr.appendChild(el("td", "event", r.event));
    tr.appendChild(el("td", "who", r.account + (r.chat ? "/" + r.chat : "")));
    tr.appendChild(el("td", "messages", String(r.messages)));
    tr.appendChild(el("td", "findings" + (r.errors ? " bad" : r.findings ? " warn" : ""), String(r.findings)));
    tr.appendChild(el("td", "signature " + sigClass(r.signature), r.signature || ""));
    tr.appendChild(el("td", "size", size(r.size)));
    tr.appendChild(el("td", "forward" + (r.forward === "given-up" ? " bad" : r.forward === "delivered" ? " ok" : ""), r.forward || ""));
    if (r.id === selected) tr.classList.add("selected");
    tr.addEventListener("click", () => openHook(r.id));
    return tr;
  }
  function putRow(r, atTop, fresh) {
    rows.set(r.id, r);
    const tr = rowElement(r);
    if (fresh) tr.classList.add("new");
    const old = tbody.querySelector('tr[data-id="' + r.id + '"]');
    if (old) old.replaceWith(tr);
    else if (atTop) tbody.insertBefore(tr, tbody.firstChild);
    else tbody.appendChild(tr);
  }
  function info() {
    $("list-info").textContent = tbody.children.length + " shown of " + total + " hooks";
  }

  function loadList(more) {
    const f = filters();
    const seq = ++listSeq;
    return api(withToken("/_/api/hooks?" + query(f, more ? next : 0))).then((p) => {
      if (seq !== listSeq) return; // a newer filter asked meanwhile
      if (!more) { tbody.textContent = ""; rows.clear(); }
      total = p.total;
      p.rows.forEach((r) => putRow(r, false, false));
      next = p.next || 0;
      $("more").hidden = !next;
      info();
    }).catch((e) => { $("list-info").textContent = "could not list: " + e.message; });
  }

  // reloadSoon reloads the list at most once a second, however fast hooks come.
  let reloadTimer = 0;
  function reloadSoon() {
    if (!reloadTimer) reloadTimer = setTimeout(() => { reloadTimer = 0; loadList(false); }, 1000);
  }

  function connect() {
    const es = new EventSource(withToken("/_/api/events"));
    es.onopen = () => { $("status").textContent = "live"; $("status").classList.add("live"); };
    es.onerror = () => { $("status").textContent = "reconnecting…"; $("status").classList.remove("live"); };
    es.addEventListener("hook", (ev) => {
      const r = JSON.parse(ev.data);
      total++;
      const f = filters();
      if (f.q) { reloadSoon(); return; } // the text is looked up on the server
      if (matches(f, r)) putRow(r, true, true);
      info();
    });
    es.addEventListener("forward", (ev) => {
      const r = JSON.parse(ev.data);
      if (rows.has(r.id)) putRow(r, false, false);
      if (r.id === selected) openHook(r.id);
    });
  }

  function jsonNode(n, flagged) {
    const label = (n.k !== undefined && n.k !== null) ? JSON.stringify(n.k) + ": " : "";
    if (n.t === "object" || n.t === "array") {
      const d = el("details");
      d.open = true;
      d.dataset.pointer = n.p;
      const s = el("summary");
      if (label) s.appendChild(el("span", "key", label));
      const items = n.c || [];
      s.appendChild(document.createTextNode(n.t === "object" ? "{ " + items.length + " }" : "[ " + items.length + " ]"));
      d.appendChild(s);
      items.forEach((c) => d.appendChild(jsonNode(c, flagged)));
      if (flagged.has(n.p)) s.classList.add("flagged");
      return d;
    }
    const leaf = el("div", "leaf");
    leaf.dataset.pointer = n.p;
    if (label) leaf.appendChild(el("span", "key", label));
    leaf.appendChild(el("span", n.t, n.t === "string" ? JSON.stringify(n.v) : n.v));
    if (flagged.has(n.p)) leaf.classList.add("flagged");
    return leaf;
  }
  function showPointer(p) {
    const target = Array.from($("json").querySelectorAll("[data-pointer]")).find((e) => e.dataset.pointer === p);
    if (!target) return;
    for (let d = target.parentElement; d && d.id !== "json"; d = d.parentElement) if (d.tagName === "DETAILS") d.open = true;
    target.scrollIntoView({ block: "center" });
  }

  function openHook(id) {
    selected = id;
    tbody.querySelectorAll("tr.selected").forEach((t) => t.classList.remove("selected"));
    const tr = tbody.querySelector('tr[data-id="' + id + '"]');
    if (tr) tr.classList.add("selected");
    return api(withToken("/_/api/hooks/" + id)).then(showHook).catch((e) => {
      $("empty").hidden = false;
      $("empty").textContent = "could not open hook " + id + ": " + e.message;
    });
  }
  function showHook(d) {
    const r = d.row;
    $("empty").hidden = true;
    $("diff-view").hidden = true;
    $("detail").hidden = false;
    $("detail").dataset.id = r.id;
    $("detail-title").textContent = "#" + r.id + " " + r.kind + " " + r.event + " " + r.account + (r.chat ? "/" + r.chat : "") + " · " + when(r.time);
    $("detail-origin").textContent = (r.refused ? "refused " + r.refused + " (kept on this page only) · " : d.origin + " · ") + size(r.size) + (r.error ? " · " + r.error : "");
    const sig = $("signature");
    sig.textContent = r.signature || "";
    sig.className = sigClass(r.signature);
    $("transcript").textContent = d.transcript || "(no body)";
    const flagged = new Set(d.findings.map((f) => f.pointer));
    const list = $("findings");
    list.textContent = "";
    if (!d.findings.length) list.appendChild(el("li", "ok", "no findings"));
    d.findings.forEach((f) => {
      const li = el("li", f.severity === "error" ? "bad" : "warn");
      li.dataset.pointer = f.pointer;
      li.textContent = f.line + ":" + f.column + " " + f.severity + " " + (f.pointer || "/") + " " + f.message + " [" + f.rule + "]";
      li.addEventListener("click", () => showPointer(f.pointer));
      list.appendChild(li);
    });
    const json = $("json");
    json.textContent = "";
    if (d.tree) json.appendChild(jsonNode(d.tree, flagged));
    else json.textContent = d.tree_error || "(no body)";
    const h = $("headers");
    h.textContent = "";
    if (d.meta) {
      const add = (k, v) => { const tr = el("tr"); tr.appendChild(el("td", "", k)); tr.appendChild(el("td", "", v)); h.appendChild(tr); };
      add("request", d.meta.method + " " + d.meta.path + " from " + d.meta.remote_addr + " at " + d.meta.received_at);
      Object.keys(d.meta.headers || {}).sort().forEach((k) => d.meta.headers[k].forEach((v) => add(k, v)));
    } else {
      h.appendChild(el("tr")).appendChild(el("td", "muted", "no headers were kept with this hook"));
    }
    const fw = $("forward");
    fw.textContent = "";
    if (!d.forward.length) fw.appendChild(el("p", "muted", r.forward === "queued" ? "queued for " + d.forward_target : d.forward_target ? "no attempt seen by this page" : "not forwarded (no --forward)"));
    d.forward.forEach((a) => {
      fw.appendChild(el("div", a.state === "delivered" ? "ok" : a.state === "given-up" ? "bad" : "warn",
        "attempt " + a.attempt + " at " + when(a.time) + " to " + a.target + ": " + (a.status ? a.status : a.error) + " → " + a.state));
    });
    $("resend-forward").disabled = !forwardTarget;
    $("curl").value = d.curl;
    $("download").href = withToken("/_/api/hooks/" + r.id + "/body");
    $("download").setAttribute("download", "hook-" + r.id + ".json");
  }

  function resend(url) {
    const id = Number($("detail").dataset.id);
    const out = $("resend-result");
    out.textContent = "sending…";
    out.className = "muted";
    api(withToken("/_/api/hooks/" + id + "/resend"), {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ url: url }),
    }).then((res) => {
      out.textContent = res.target + " answered " + (res.status || res.error);
      out.className = res.status >= 200 && res.status < 300 ? "ok" : "bad";
    }).catch((e) => { out.textContent = "resend failed: " + e.message; out.className = "bad"; });
  }

  function toggleTick(id, on) {
    const i = ticked.indexOf(id);
    if (on && i < 0) ticked.push(id);
    if (!on && i >= 0) ticked.splice(i, 1);
    while (ticked.length > 2) {
      const gone = ticked.shift();
      const box = tbody.querySelector('tr[data-id="' + gone + '"] .tick');
      if (box) box.checked = false;
    }
    $("compare-btn").disabled = ticked.length !== 2;
  }
  function compare() {
    const [a, b] = ticked.slice().sort((x, y) => x - y);
    api(withToken("/_/api/diff?a=" + a + "&b=" + b)).then((d) => {
      $("detail").hidden = true;
      $("empty").hidden = true;
      $("diff-view").hidden = false;
      $("diff-title").textContent = "#" + a + " → #" + b + ": " + (d.changes.length ? d.changes.length + " changes" : "the same JSON") + (d.cut ? " (cut)" : "");
      const t = $("diff");
      t.textContent = "";
      d.changes.forEach((c) => {
        const tr = el("tr", "op-" + c.op);
        tr.appendChild(el("td", "", c.op));
        tr.appendChild(el("td", "", c.pointer || "/"));
        tr.appendChild(el("td", "", c.a || ""));
        tr.appendChild(el("td", "", c.b || ""));
        t.appendChild(tr);
      });
    }).catch((e) => { $("diff-title").textContent = "could not compare: " + e.message; $("diff-view").hidden = false; });
  }

  let timer = 0;
  $("filters").addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(() => loadList(false), 200); });
  $("filters").addEventListener("submit", (ev) => ev.preventDefault());
  $("more").addEventListener("click", () => loadList(true));
  $("resend-forward").addEventListener("click", () => resend(""));
  $("resend-btn").addEventListener("click", () => resend($("resend-url").value.trim()));
  $("copy-curl").addEventListener("click", () => {
    const text = $("curl").value;
    const done = () => { $("resend-result").textContent = "curl command copied"; $("resend-result").className = "ok"; };
    if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(text).then(done, () => fallbackCopy(text, done));
    else fallbackCopy(text, done);
  });
  function fallbackCopy(text, done) {
    const ta = $("curl");
    ta.hidden = false; ta.select(); document.execCommand("copy"); ta.hidden = true; done();
  }
  $("collapse-all").addEventListener("click", () => $("json").querySelectorAll("details").forEach((d, i) => { d.open = i === 0; }));
  $("expand-all").addEventListener("click", () => $("json").querySelectorAll("details").forEach((d) => { d.open = true; }));
  $("compare-btn").addEventListener("click", compare);

  if (!forwardTarget) document.body.classList.add("no-forward");
  loadList(false).then(connect);
})();
