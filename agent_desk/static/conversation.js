/*
 * The conversation page: the live transcript, the sentiment chart and the status line, redrawn
 * from the desk's JSON (/api/tickets/<reference>/live); the page reloads when the ticket's
 * status or holder changed, unless the agent is typing a reply.
 *
 * It exists for what this page shows; listening for changes is live.js, the chart chart.js.
 */
import { drawSentimentChart } from "./chart.js";
import { clockTime, serverNow, serverSaid } from "./clock.js";
import { startLive } from "./live.js";
import { word } from "./words.js";

const main = document.querySelector("main[data-page=conversation]");
if (main) {
  const initial = JSON.parse(document.getElementById("initial").textContent);
  const page = {
    initial,
    list: document.getElementById("transcript"),
    status: document.getElementById("live-status"),
    figure: document.getElementById("chart"),
    draft: document.getElementById("reply-text"),
    shown: "",
    leaving: false,
  };
  // The agent's own action (claim, transfer, hand back ...) changes the ticket too: its page
  // comes with the result's notice, which a reload racing it would lose.
  window.addEventListener("submit", (event) => {
    if (!event.defaultPrevented) page.leaving = true;
  });
  render(page, initial);
  sendWithKeyboard(page.draft);
  sendWithKeyboard(document.getElementById("note-text"));
  composerTabs(document.getElementById("composer"));
  foldOnPhones(document.querySelectorAll("details.fold"));
  signalTyping(page.draft);
  insertSavedReplies(document.getElementById("canned"), page.draft);
  confirmBeforeSubmit();
  page.list.scrollTop = page.list.scrollHeight;
  startLive(main, {
    status: page.status,
    signInHref: `/login?next=${encodeURIComponent(location.pathname)}`,
    render: (live) => render(page, live),
  });
}

// On a phone the summary and the chart start folded (one tap opens each), so the conversation
// and the composer are what the agent sees first; on wide screens they stand beside it, open.
// (The width is desk.css's phone breakpoint; a const here would not exist yet when this runs.)
function foldOnPhones(folds) {
  if (!window.matchMedia("(max-width: 600px)").matches) return;
  for (const fold of folds) fold.open = false;
}

// One composer, two tabs: Reply (to the customer) and Note (for the team). Arrow keys move
// between the tabs as in any tab list; the saved replies belong to the Reply tab.
function composerTabs(composer) {
  if (!composer) return;
  const tabs = Array.from(composer.querySelectorAll("[role=tab]"));
  const canned = document.getElementById("canned-row");
  const choose = (tab) => {
    for (const other of tabs) {
      const chosen = other === tab;
      other.setAttribute("aria-selected", String(chosen));
      other.tabIndex = chosen ? 0 : -1;
      document.getElementById(other.getAttribute("aria-controls")).hidden = !chosen;
    }
    if (canned) canned.hidden = tab.id !== "tab-reply";
  };
  tabs.forEach((tab, i) => {
    tab.addEventListener("click", () => {
      choose(tab);
      document.getElementById(tab.getAttribute("aria-controls")).querySelector("textarea").focus();
    });
    tab.addEventListener("keydown", (event) => {
      const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
      if (!step) return;
      const next = tabs[(i + step + tabs.length) % tabs.length];
      choose(next);
      next.focus();
    });
  });
}

// Ctrl+Enter (Cmd+Enter on a Mac) sends the reply or saves the note; Enter alone adds lines.
function sendWithKeyboard(draft) {
  if (!draft) return;
  draft.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && draft.value.trim()) {
      event.preventDefault();
      draft.form.requestSubmit();
    }
  });
}

// While the agent writes, the web-chat customer sees "<name> is writing..." (once per few s).
const TYPING_EVERY_MS = 3000;
function signalTyping(draft) {
  if (!draft) return;
  let last = 0;
  draft.addEventListener("input", () => {
    if (!draft.value.trim() || Date.now() - last < TYPING_EVERY_MS) return;
    last = Date.now();
    const body = new FormData();
    body.append("csrf_token", draft.form.elements.csrf_token.value);
    fetch(draft.dataset.typing, { method: "POST", body }).catch(() => {});
  });
}

// A saved reply goes into the reply box (after what is there), to read and edit before sending.
function insertSavedReplies(list, draft) {
  if (!list || !draft) return;
  list.addEventListener("change", () => {
    if (!list.value) return;
    draft.value = draft.value.trim() ? `${draft.value.trimEnd()}\n${list.value}` : list.value;
    list.value = "";
    draft.focus();
    draft.dispatchEvent(new Event("input"));
  });
}

// Forms with data-confirm (closing a ticket) ask first: it cannot be undone.
function confirmBeforeSubmit() {
  for (const form of document.querySelectorAll("form[data-confirm]")) {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  }
}

function messageItem(entry) {
  const li = document.createElement("li");
  li.className = `msg ${entry.who}` + (entry.while_paused ? " while-paused" : "");
  const who = document.createElement("span");
  who.className = "who";
  who.textContent = (entry.agent || word(entry.who))
    + (entry.who === "internal" ? ` · ${word("internal note, the customer never sees it")}` : "");
  const time = document.createElement("span");
  time.className = "time";
  time.textContent = entry.time;
  const p = document.createElement("p");
  if (entry.pressed) {
    const pressed = document.createElement("span");
    pressed.className = "pressed";
    pressed.textContent = word("pressed");
    p.append(pressed, " ");
  }
  p.append(entry.text);
  li.append(who, time, p);
  return li;
}

// Redrawn only when it changed, so the agent's scroll position and selection survive an update.
function renderTranscript(page, entries) {
  const key = JSON.stringify(entries.map((e) => [e.ts, e.who, e.text, Boolean(e.pressed)]));
  if (key === page.shown) return;
  page.shown = key;
  const list = page.list;
  const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  list.replaceChildren(...entries.map(messageItem));
  if (atBottom) list.scrollTop = list.scrollHeight;
}

function render(page, live) {
  serverSaid(live.now);
  renderTranscript(page, live.transcript);
  drawSentimentChart(page.figure, live.sentiment);
  page.status.textContent = live.transcript_source === "rasa"
    ? word(live.paused ? "live · assistant paused · %(time)s" : "live · %(time)s", { time: clockTime(serverNow()) })
    : word("showing the handoff snapshot: %(problem)s", { problem: live.problem });
  const changed = live.status !== page.initial.status || live.holder !== page.initial.holder;
  const typing = page.draft && page.draft.value.trim();
  if (changed && !page.leaving && !typing) window.location.reload();
}
