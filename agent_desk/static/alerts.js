/*
 * How the queue page gets an agent's attention beyond the title and the spoken notice: a short
 * chime (off until the agent turns it on; the choice is kept in this browser's localStorage) and
 * a desktop notification, asked for only when the agent clicks word("Enable desktop notifications")
 * (browsers ignore or distrust permission prompts that come unasked).
 *
 * It exists apart from queue.js so the two attention channels and their remembered settings live
 * in one place; queue.js calls raiseAlert() when something new arrives.
 */

import { word } from "./words.js";

const SOUND_KEY = "desk.sound";
const NOTIFY_KEY = "desk.notifications";

export function setUpAlerts() {
  const sound = document.getElementById("sound-toggle");
  const button = document.getElementById("notify-toggle");
  const state = document.getElementById("notify-state");
  sound.checked = localStorage.getItem(SOUND_KEY) === "on";
  sound.addEventListener("change", () => {
    localStorage.setItem(SOUND_KEY, sound.checked ? "on" : "off");
  });
  if (!("Notification" in window)) {
    state.textContent = word("This browser cannot show desktop notifications.");
    return { sound, notify: () => false };
  }
  const enabled = () => localStorage.getItem(NOTIFY_KEY) === "on" && Notification.permission === "granted";
  const show = () => {
    button.hidden = false;
    button.textContent = enabled() ? word("Turn off desktop notifications") : word("Enable desktop notifications");
    button.disabled = Notification.permission === "denied";
    state.textContent = Notification.permission === "denied"
      ? word("Desktop notifications are blocked in this browser's site settings.")
      : enabled() ? word("Desktop notifications are on.") : "";
  };
  button.addEventListener("click", async () => {
    if (enabled()) {
      localStorage.setItem(NOTIFY_KEY, "off");
    } else if (await Notification.requestPermission() === "granted") {
      localStorage.setItem(NOTIFY_KEY, "on");
    }
    show();
  });
  show();
  return { sound, notify: enabled };
}

export function raiseAlert(alerts, text) {
  if (alerts.sound.checked) {
    new Audio(alerts.sound.dataset.sound).play().catch(() => {});  // a muted tab may refuse
  }
  if (alerts.notify()) {
    new Notification(word("Agent desk"), { body: text, tag: "agent-desk-queue" });
  }
}
