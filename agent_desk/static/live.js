/*
 * Keeps a desk page current with server-sent events (the queue and the conversation pages).
 *
 * It exists so both pages listen the same way: the page's <main> names its event stream
 * (data-events, agent_desk/live.py) and its JSON (data-api); the server sends the page's
 * figures whenever they change, and each goes to the page's render function. The browser's
 * EventSource reconnects by itself when a stream ends; a desk with every live slot taken sends
 * `busy`, the figures once, and a later reconnect, and the page says so. When the stream is
 * refused, one request to the JSON tells why: a signed-out agent (401) gets the #signed-out
 * notice with a sign-in link and the page stops listening; an unreachable desk says so and is
 * tried again.
 */

import { word } from "./words.js";

const RETRY_MS = 3000;

export function startLive(main, { render, status, signInHref }) {
  const source = new EventSource(main.dataset.events);
  let busy = false;  // the desk had no live slot free (max_live_streams): it said so
  source.addEventListener("busy", () => { busy = true; });
  source.onmessage = (event) => { render(JSON.parse(event.data)); };
  source.onerror = () => {
    status.textContent = busy
      ? word("many desk pages are open: this one updates every 15 s")
      : word("desk not reachable, retrying…");
    busy = false;
    if (source.readyState === EventSource.CLOSED) { refused(main, { render, status, signInHref }); }
  };
}

async function refused(main, handlers) {
  try {
    const response = await fetch(main.dataset.api, { headers: { Accept: "application/json" } });
    if (response.status === 401) {
      showSignedOut((await response.json()).error, handlers.signInHref);
      return;
    }
  } catch (error) {
    // Not reachable at all: try the stream again below.
  }
  setTimeout(() => startLive(main, handlers), RETRY_MS);
}

function showSignedOut(message, signInHref) {
  const notice = document.getElementById("signed-out");
  notice.textContent = message + " ";
  const link = document.createElement("a");
  link.href = signInHref;
  link.textContent = word("Sign in");
  notice.appendChild(link);
  notice.hidden = false;
}
