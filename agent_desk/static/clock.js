/*
 * The desk's one clock in the browser: times in the desk's time zone and format (config/desk.yml
 * desk.time_format, set on <body> by base.html), the same as the server draws them, and "now"
 * as the server counts it (the page's and each live update's server timestamp), so a timer
 * started from a server timestamp ticks right even when this computer's clock is off.
 */
import { word } from "./words.js";

const body = document.body;
const zone = body.dataset.timezone || undefined;
const hour12 = body.dataset.timeFormat === "12h";
let offsetS = Number(body.dataset.serverNow || 0) ? Number(body.dataset.serverNow) - Date.now() / 1000 : 0;

const formatter = new Intl.DateTimeFormat("en-GB", {
  timeZone: zone, hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: hour12 ? "h12" : "h23",
});

// A server timestamp (seconds) that came with a live update: keeps "now" in step.
export function serverSaid(seconds) {
  if (Number.isFinite(seconds) && seconds > 0) offsetS = seconds - Date.now() / 1000;
}

export function serverNow() {
  return Date.now() / 1000 + offsetS;
}

// "22:12:44" or "10:12:44 PM", as agent_desk/presenting.py clock_time writes it.
export function clockTime(seconds) {
  const parts = Object.fromEntries(formatter.formatToParts(new Date(seconds * 1000)).map((p) => [p.type, p.value]));
  const time = `${parts.hour}:${parts.minute}:${parts.second}`;
  return hour12 ? `${time} ${(parts.dayPeriod || "").toUpperCase()}` : time;
}

// "45 s", "12 min", "3 h 05 min", "2 d 4 h" (in Korean "12분" ...), as presenting.py waited()
// writes it, from the same catalog entries.
export function waited(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return word("%(seconds)s s", { seconds: s });
  const minutes = Math.floor(s / 60);
  if (minutes < 60) return word("%(minutes)s min", { minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return word("%(hours)s h %(minutes)s min", { hours, minutes: String(minutes % 60).padStart(2, "0") });
  return word("%(days)s d %(hours)s h", { days: Math.floor(hours / 24), hours: hours % 24 });
}

// Every element with data-since (a server timestamp) shows how long ago it was, each second.
export function tickWaits(root) {
  const draw = () => {
    const now = serverNow();
    for (const cell of root.querySelectorAll("[data-since]")) {
      const text = waited(now - Number(cell.dataset.since));
      if (cell.textContent !== text) cell.textContent = text;
    }
  };
  draw();
  return setInterval(draw, 1000);
}
