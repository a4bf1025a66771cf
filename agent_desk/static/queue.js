/*
 * The queue page: redraws the table of open tickets whenever the desk sends a change,
 * and says when new tickets arrive or a colleague passes one to this agent: a count of waiting
 * tickets in the tab's title, a spoken notice (live region), and the chime and desktop
 * notification the agent turned on (alerts.js). Conversations passed to this agent are also
 * listed on screen above the queue while they hold them.
 *
 * It exists for the rows: each cell as the server-side template (queue.html) draws it, so a
 * refreshed table looks like a freshly loaded one. Listening for changes is live.js.
 */
import { raiseAlert, setUpAlerts } from "./alerts.js";
import { clockTime, serverNow, serverSaid, tickWaits } from "./clock.js";
import { startLive } from "./live.js";
import { word } from "./words.js";

const TITLE = document.title;

const main = document.querySelector("main[data-page=queue]");
if (main) {
  const body = document.getElementById("queue-rows");
  const empty = document.getElementById("queue-empty");
  const updated = document.getElementById("updated");
  const seen = new Set([...body.querySelectorAll("tr")].map((tr) => tr.dataset.reference));
  const announce = document.getElementById("new-tickets");
  const passedList = document.getElementById("passed-to-you");
  const alerts = setUpAlerts();
  const passed = new Set(
    [...body.querySelectorAll("tr.passed-to-me")].map((tr) => tr.dataset.reference),
  );
  showWaiting(body.querySelectorAll("tr.status-waiting").length);
  tickWaits(body);
  startLive(main, {
    status: updated,
    signInHref: "/login",
    render(data) {
      serverSaid(data.now);
      renderRows(body, empty, data.tickets, main.dataset.me);
      showPassed(passedList, data.tickets, main.dataset.me);
      const news = [...newTickets(data.tickets, seen), ...passedToMe(data.tickets, passed, main.dataset.me)];
      if (news.length) {
        announce.textContent = news.join(". ");
        raiseAlert(alerts, announce.textContent);
      }
      showWaiting(data.tickets.filter((t) => t.status === "waiting").length);
      updated.textContent = word("updated %(time)s", { time: clockTime(serverNow()) });
    },
  });
}

function showWaiting(count) {
  document.title = count ? `(${count}) ${TITLE}` : TITLE;
}

function newTickets(tickets, seen) {
  const fresh = tickets.filter((t) => !seen.has(t.reference));
  fresh.forEach((t) => seen.add(t.reference));
  return fresh.map((t) => word("New ticket %(reference)s: %(reason)s", { reference: t.reference, reason: t.reason_label }));
}

// Tickets a colleague has just passed to this agent (each told once per page).
function passedToMe(tickets, passed, me) {
  const fresh = tickets.filter((t) => isPassedTo(t, me) && !passed.has(t.reference));
  fresh.forEach((t) => passed.add(t.reference));
  return fresh.map((t) => passedText(t) + (t.transfer_note ? `: ${t.transfer_note}` : ""));
}

// The on-screen list of conversations passed to this agent, as queue.html draws it.
function showPassed(list, tickets, me) {
  const items = tickets.filter((t) => isPassedTo(t, me)).map((t) => {
    const li = document.createElement("li");
    const link = document.createElement("a");
    link.href = `/tickets/${encodeURIComponent(t.reference)}`;
    link.textContent = passedText(t);
    li.append(link, t.transfer_note ? `: “${t.transfer_note}”` : "");
    return li;
  });
  list.replaceChildren(...items);
  list.hidden = items.length === 0;
}

function passedText(ticket) {
  return word("%(colleague)s passed %(reference)s to you", {
    colleague: ticket.transferred_from, reference: ticket.reference,
  });
}

function isPassedTo(ticket, me) {
  return ticket.holder === me && Boolean(ticket.transferred_from);
}

function cell(text, cls) {
  const td = document.createElement("td");
  if (cls) td.className = cls;
  td.textContent = text;
  return td;
}

function row(ticket, me) {
  const tr = document.createElement("tr");
  tr.className = `status-${ticket.status}` + (isPassedTo(ticket, me) ? " passed-to-me" : "");
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
  badge.textContent = ticket.level_label;
  mood.appendChild(badge);
  tr.appendChild(mood);
  const wait = cell(ticket.waited, "waited");
  wait.dataset.since = String(ticket.created_at);
  tr.appendChild(wait);
  tr.appendChild(cell(ticket.wants));
  tr.appendChild(cell(ticket.channel));
  const holder = ticket.holder_name || word("unclaimed");
  tr.appendChild(cell(ticket.transferred_from
    ? word("%(holder)s (from %(colleague)s)", { holder, colleague: ticket.transferred_from })
    : holder, "holder"));
  return tr;
}

function renderRows(body, empty, tickets, me) {
  body.replaceChildren(...tickets.map((t) => row(t, me)));
  empty.hidden = tickets.length > 0;
}
