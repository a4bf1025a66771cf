/*
 * Customer-service chat widget for the Rasa socket.io channel (addons/channels/webchat.py): the entry
 * a shop page loads, with one tag (addons/channels/README.md):
 *   <script type="module" src="https://HOST/widget/widget.js" data-socket-url="https://RASA"></script>
 *
 * It exists to read the tag's settings, load widget.css from beside itself and start the chat
 * once the page is there. The work is in modules beside it, one concern each, plain ES modules
 * with no build step and nothing from a CDN:
 *   socket-link.js   the socket.io protocol (Engine.IO 4 / Socket.IO 5 over a WebSocket)
 *   conversation.js  who is talking: the assistant, nobody yet, or a person
 *   storage.js       the session id and the open panel, kept in the browser
 *   view.js          the chat window in the DOM
 *   texts.js         the window's own words, in English and Korean
 *   chat.js          the session that wires them together
 */

import { Chat } from "./chat.js";
import { textsFor } from "./texts.js";

// A module has no document.currentScript: its own tag is the one whose src is this module.
function ownTag() {
  const tags = Array.from(document.querySelectorAll("script[src]"));
  return tags.find((tag) => tag.src === import.meta.url)
    || tags.find((tag) => /\/widget\.js([?#]|$)/.test(tag.src))
    || document.createElement("script");
}

function readConfig(tag) {
  // The page's language ("ko", "en-GB"), sent with every message: the assistant answers in it
  // until the customer's own words show another (contract/language.py). The window's own
  // words follow it from the start.
  const language = tag.getAttribute("data-language") || document.documentElement.lang || "";
  const texts = textsFor(language);
  return {
    socketUrl: (tag.getAttribute("data-socket-url") || window.location.origin).replace(/\/+$/, ""),
    socketPath: tag.getAttribute("data-socket-path") || "/socket.io",
    title: tag.getAttribute("data-title") || texts.title,
    // Shown when the chat opens, before anyone writes; said by the widget, so always honest.
    greeting: tag.getAttribute("data-greeting") || texts.greeting,
    // A JWT, when the channel is configured with jwt_key (sent as socket.io auth).
    token: tag.getAttribute("data-token"),
    language: language,
    texts: texts,
  };
}

const config = readConfig(ownTag());
const stylesheet = document.createElement("link");
stylesheet.rel = "stylesheet";
stylesheet.href = new URL("widget.css", import.meta.url).href;
document.head.appendChild(stylesheet);

function boot() { new Chat(config).start(); }
if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", boot); } else { boot(); }
