/*
 * Keeps an available agent available while they work: a key press or click on any desk page
 * tells the desk (at most once a minute), so only an agent who really walked away turns idle
 * after `availability.idle_minutes` (config/desk.yml). Pages reading by themselves (live
 * streams) do not count. An agent who is away or idle stays so until they press the button.
 */
const form = document.querySelector("form.availability");
const EVERY_MS = 60000;
let last = 0;

function active() {
  const now = Date.now();
  if (!form || now - last < EVERY_MS) return;
  last = now;
  const body = new FormData();
  body.append("csrf_token", form.elements.csrf_token.value);
  fetch(form.dataset.activity, { method: "POST", body }).catch(() => {});
}

["keydown", "pointerdown"].forEach((type) => document.addEventListener(type, active, { passive: true }));
