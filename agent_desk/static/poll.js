/*
 * Keeps a desk page current by polling its JSON (the queue and the conversation pages).
 *
 * It exists so both pages poll the same way: the page's <main> names the URL (data-api) and
 * the interval in ms (data-refresh, from config/desk.yml); each answer goes to the page's
 * render function; an unreachable desk says so in the page's status element and is retried;
 * a signed-out agent (401) gets the #signed-out notice with a sign-in link, and polling stops.
 */

const UNREACHABLE = "desk not reachable, retrying…";

export function startPolling(main, { render, status, signInHref }) {
  const every = Number(main.dataset.refresh);
  async function poll() {
    try {
      const response = await fetch(main.dataset.api, { headers: { Accept: "application/json" } });
      const data = await response.json();
      if (response.status === 401) {
        showSignedOut(data.error, signInHref);
        return;
      }
      if (response.ok) render(data);
    } catch (error) {
      status.textContent = UNREACHABLE;
    }
    setTimeout(poll, every);
  }
  setTimeout(poll, every);
}

function showSignedOut(message, signInHref) {
  const notice = document.getElementById("signed-out");
  notice.textContent = message + " ";
  const link = document.createElement("a");
  link.href = signInHref;
  link.textContent = "Sign in";
  notice.appendChild(link);
  notice.hidden = false;
}
