/* Keeps the queue table current by polling the desk's JSON every few seconds. */
"use strict";
(function () {
  const main = document.querySelector("main[data-page=queue]");
  if (!main) return;
  const body = document.getElementById("queue-rows");
  const empty = document.getElementById("queue-empty");
  const updated = document.getElementById("updated");
  const signedOut = document.getElementById("signed-out");
  const cell = (text, cls) => {
    const td = document.createElement("td");
    if (cls) td.className = cls;
    td.textContent = text;
    return td;
  };
  function render(rows) {
    body.replaceChildren(...rows.map((row) => {
      const tr = document.createElement("tr");
      tr.className = `status-${row.status}`;
      tr.dataset.reference = row.reference;
      tr.appendChild(cell(row.position || ""));
      const ref = document.createElement("td");
      const link = document.createElement("a");
      link.href = `/tickets/${encodeURIComponent(row.reference)}`;
      link.textContent = row.reference;
      ref.appendChild(link);
      tr.appendChild(ref);
      tr.appendChild(cell(row.customer));
      tr.appendChild(cell(row.reason_label, "reason"));
      const mood = document.createElement("td");
      const badge = document.createElement("span");
      badge.className = `level level-${row.level}`;
      badge.textContent = row.level;
      mood.appendChild(badge);
      tr.appendChild(mood);
      tr.appendChild(cell(row.waited));
      tr.appendChild(cell(row.wants));
      tr.appendChild(cell(row.channel));
      tr.appendChild(cell(row.holder_name || "unclaimed", "holder"));
      return tr;
    }));
    empty.hidden = rows.length > 0;
  }
  async function poll() {
    try {
      const response = await fetch(main.dataset.api, { headers: { Accept: "application/json" } });
      const data = await response.json();
      if (response.status === 401) {
        signedOut.textContent = data.error + " ";
        const a = document.createElement("a"); a.href = "/login"; a.textContent = "Sign in";
        signedOut.appendChild(a);
        signedOut.hidden = false;
        return;
      }
      render(data.tickets);
      updated.textContent = `updated ${new Date().toLocaleTimeString()}`;
    } catch (error) {
      updated.textContent = "desk not reachable, retrying…";
    }
    setTimeout(poll, Number(main.dataset.refresh));
  }
  setTimeout(poll, Number(main.dataset.refresh));
})();
