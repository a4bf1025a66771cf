/*
 * The queue page: redraws the table of open tickets whenever the desk sends a change,
 * and says when new tickets arrive: a count of waiting tickets in the tab's title, a spoken
 * notice (live region), and a desktop notification when the agent has allowed them.
 *
 * It exists for the rows: each cell as the server-side template (queue.html) draws it, so a
 * refreshed table looks like a freshly loaded one. Listening for changes is live.js.
 */
import { startLive } from "./live.js";

const TITLE = document.title;

const main = document.querySelector("main[data-page=queue]");
if (main) {
  const body = document.getElementById("queue-rows");
  const empty = document.getElementById("queue-empty");
  const updated = document.getElementById("updated");
  const seen = new Set([...body.querySelectorAll("tr")].map((tr) => tr.dataset.reference));
  const announce = document.getElementById("new-tickets");
  showWaiting(body.querySelectorAll("tr.status-waiting").length);
  startLive(main, {
    status: updated,
    signInHref: "/login",
    render(data) {
      renderRows(body, empty, data.tickets);
      announceNew(data.tickets, seen, announce);
      showWaiting(data.tickets.filter((t) => t.status === "waiting").length);
      updated.textContent = `updated ${new Date().toLocaleTimeString()}`;
    },
  });
}

function showWaiting(count) {
  document.title = count ? `(${count}) ${TITLE}` : TITLE;
}

function announceNew(tickets, seen, announce) {
  const fresh = tickets.filter((t) => !seen.has(t.reference));
  fresh.forEach((t) => seen.add(t.reference));
  if (!fresh.length) return;
  const text = fresh.map((t) => `New ticket ${t.reference}: ${t.reason_label}`).join(". ");
  announce.textContent = text;
  if ("Notification" in window && Notification.permission === "granted") {
    new Notification("Agent desk", { body: text });
  }
}

function cell(text, cls) {
  const td = document.createElement("td");
  if (cls) td.className = cls;
  td.textContent = text;
  return td;
}

function row(ticket) {
  const tr = document.createElement("tr");
  tr.className = `status-${ticket.status}`;
  tr.dataset.reference = ticket.reference;
  tr.appendChild(cell(ticket.position || ""));
  const ref = document.createElement("td");
  const link = document.createElement("a");
  link.href = `/tickets/${encodeURIComponent(ticket.reference)}`;
  link.textContent = ticket.reference;
  ref.appendChild(link);
  tr.appendChild(ref);
  tr.appendChild(cell(ticket.customer));
  tr.appendChild(cell(ticket.reason_label, "reason"));
  const mood = document.createElement("td");
  const badge = document.createElement("span");
  badge.className = `level level-${ticket.level}`;
  badge.textContent = ticket.level;
  mood.appendChild(badge);
  tr.appendChild(mood);
  tr.appendChild(cell(ticket.waited));
  tr.appendChild(cell(ticket.wants));
  tr.appendChild(cell(ticket.channel));
  tr.appendChild(cell(ticket.holder_name || "unclaimed", "holder"));
  return tr;
}

function renderRows(body, empty, tickets) {
  body.replaceChildren(...tickets.map(row));
  empty.hidden = tickets.length > 0;
}
