/* The conversation page: live transcript and chart by polling the desk's JSON. */
"use strict";
(function () {
  const main = document.querySelector("main[data-page=conversation]");
  if (!main) return;
  const initial = JSON.parse(document.getElementById("initial").textContent);
  const list = document.getElementById("transcript");
  const status = document.getElementById("live-status");
  const figure = document.getElementById("chart");
  const signedOut = document.getElementById("signed-out");
  const draft = document.getElementById("reply-text");
  let shown = "";

  function renderTranscript(entries) {
    const key = JSON.stringify(entries.map((e) => [e.ts, e.who, e.text]));
    if (key === shown) return;
    shown = key;
    const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
    list.replaceChildren(...entries.map((entry) => {
      const li = document.createElement("li");
      li.className = `msg ${entry.who}` + (entry.while_paused ? " while-paused" : "");
      const who = document.createElement("span");
      who.className = "who";
      who.textContent = entry.agent || entry.who;
      const time = document.createElement("span");
      time.className = "time";
      time.textContent = entry.time;
      const p = document.createElement("p");
      p.textContent = entry.text;
      li.append(who, time, p);
      return li;
    }));
    if (atBottom) list.scrollTop = list.scrollHeight;
  }

  function render(live) {
    renderTranscript(live.transcript);
    window.drawSentimentChart(figure, live.sentiment);
    status.textContent = live.transcript_source === "rasa"
      ? `live${live.paused ? " · assistant paused" : ""} · ${new Date().toLocaleTimeString()}`
      : `showing the handoff snapshot: ${live.problem}`;
    const changed = live.status !== initial.status || live.holder !== initial.holder;
    if (changed && !(draft && draft.value.trim())) window.location.reload();
  }

  async function poll() {
    try {
      const response = await fetch(main.dataset.api, { headers: { Accept: "application/json" } });
      const data = await response.json();
      if (response.status === 401) {
        signedOut.textContent = data.error + " ";
        const a = document.createElement("a");
        a.href = `/login?next=${encodeURIComponent(location.pathname)}`;
        a.textContent = "Sign in";
        signedOut.appendChild(a);
        signedOut.hidden = false;
        return;
      }
      if (response.ok) render(data);
    } catch (error) {
      status.textContent = "desk not reachable, retrying…";
    }
    setTimeout(poll, Number(main.dataset.refresh));
  }
  render(initial);
  list.scrollTop = list.scrollHeight;
  setTimeout(poll, Number(main.dataset.refresh));
})();
