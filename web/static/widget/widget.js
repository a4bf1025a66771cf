/*
 * Customer-service chat widget for the Rasa socket.io channel (channels/webchat.py).
 *
 * One script tag embeds it (channels/README.md):
 *   <script src="https://HOST/widget/widget.js" data-socket-url="https://RASA" defer></script>
 * It loads widget.css from beside itself, keeps the conversation's session id in localStorage
 * (a reload or a second tab continues the same conversation, its history replayed by the
 * server), shows the assistant's buttons, a person's replies pushed at any time, and says when
 * a person has joined and when the assistant is back.
 *
 * The socket.io client is the small subset the widget needs (Engine.IO 4 / Socket.IO 5 over
 * a WebSocket), so the page loads nothing from a CDN and needs no build step.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var config = {
    socketUrl: (script.getAttribute("data-socket-url") || window.location.origin).replace(/\/+$/, ""),
    socketPath: script.getAttribute("data-socket-path") || "/socket.io",
    title: script.getAttribute("data-title") || "Assistant",
    // A JWT, when the channel is configured with jwt_key (sent as socket.io auth).
    token: script.getAttribute("data-token"),
  };
  var assetBase = script.src.replace(/[^/]*$/, "");
  var storageKey = "cs-widget:" + config.socketUrl + ":session";
  var openKey = "cs-widget:open";

  /* ---------- socket.io over a WebSocket ---------- */

  // Engine.IO packet types (first character) and Socket.IO packet types (second, after "4").
  var EIO_OPEN = "0", EIO_CLOSE = "1", EIO_PING = "2", EIO_PONG = "3", EIO_MESSAGE = "4";
  var SIO_CONNECT = "0", SIO_DISCONNECT = "1", SIO_EVENT = "2", SIO_CONNECT_ERROR = "4";

  function SocketLink(url, path, token, handlers) {
    this.endpoint = url.replace(/^http/, "ws") + path + "/?EIO=4&transport=websocket";
    this.token = token;
    this.handlers = handlers;
    this.connected = false;
    this.retryDelay = 1000;
    this.ws = null;
    this.watchdog = null;
  }

  SocketLink.prototype.open = function () {
    var link = this;
    var ws = new WebSocket(this.endpoint);
    this.ws = ws;
    ws.onmessage = function (event) { link.receive(String(event.data)); };
    ws.onclose = function () { link.closed(ws); };
    ws.onerror = function () { ws.close(); };
  };

  SocketLink.prototype.receive = function (packet) {
    var type = packet.charAt(0);
    if (type === EIO_OPEN) {
      var handshake = JSON.parse(packet.slice(1));
      this.silenceLimit = handshake.pingInterval + handshake.pingTimeout;
      this.alive();
      this.ws.send(EIO_MESSAGE + SIO_CONNECT + (this.token ? JSON.stringify({ token: this.token }) : ""));
    } else if (type === EIO_PING) {
      this.alive();
      this.ws.send(EIO_PONG);
    } else if (type === EIO_CLOSE) {
      this.ws.close();
    } else if (type === EIO_MESSAGE) {
      this.receiveSocketIo(packet.slice(1));
    }
  };

  SocketLink.prototype.receiveSocketIo = function (packet) {
    var type = packet.charAt(0);
    if (type === SIO_CONNECT) {
      this.connected = true;
      this.retryDelay = 1000;
      this.handlers.connect();
    } else if (type === SIO_EVENT) {
      // An optional acknowledgement id (digits) may precede the JSON array.
      var args = JSON.parse(packet.slice(1).replace(/^\d+/, ""));
      this.handlers.event(args[0], args[1]);
    } else if (type === SIO_DISCONNECT || type === SIO_CONNECT_ERROR) {
      this.ws.close();
    }
  };

  // The server pings every pingInterval; silence beyond that plus pingTimeout means a dead link.
  SocketLink.prototype.alive = function () {
    var ws = this.ws;
    clearTimeout(this.watchdog);
    this.watchdog = setTimeout(function () { ws.close(); }, this.silenceLimit);
  };

  SocketLink.prototype.closed = function (ws) {
    if (ws !== this.ws) { return; }
    clearTimeout(this.watchdog);
    var wasConnected = this.connected;
    this.connected = false;
    this.handlers.disconnect(wasConnected);
    var link = this;
    setTimeout(function () { link.open(); }, this.retryDelay);
    this.retryDelay = Math.min(this.retryDelay * 2, 30000);
  };

  // Only called while connected: the widget holds messages until its session is confirmed.
  SocketLink.prototype.emit = function (name, data) {
    this.ws.send(EIO_MESSAGE + SIO_EVENT + JSON.stringify([name, data]));
  };

  /* ---------- conversation state: who is talking ---------- */

  var ASSISTANT = "assistant", WAITING = "waiting", PERSON = "person";

  // Each bot message's metadata.event/speaker (channels/speaker.py) moves the conversation
  // between assistant, waiting for a person, and person. Returns what to show for the move.
  function Conversation() {
    this.mode = ASSISTANT;
    this.agentName = null;
  }

  Conversation.prototype.receive = function (meta) {
    var before = this.mode;
    if (meta.speaker === "agent") {
      this.mode = PERSON;
      // Announced already, unless another person took over (a "joined" notice names nobody).
      var announced = before === PERSON && (!this.agentName || this.agentName === meta.agent_name);
      this.agentName = meta.agent_name;
      return announced ? null : (meta.agent_name || "A person") + " from the support team has joined the chat.";
    }
    if (meta.event === "handoff") { this.mode = WAITING; return null; }
    if (meta.event === "joined") { this.mode = PERSON; return null; }
    if (meta.event === "handback") { this.mode = ASSISTANT; return null; }
    // Unmarked: a hand-back the desk did not label, or the assistant answering again.
    if (before === PERSON || (before === WAITING && meta.automated)) {
      this.mode = ASSISTANT;
      return "The automated assistant is back.";
    }
    return null;
  };

  Conversation.prototype.status = function () {
    if (this.mode === WAITING) { return "Waiting for a person · the assistant is paused"; }
    if (this.mode === PERSON) {
      return this.agentName ? this.agentName + " from the support team" : "A person from the support team";
    }
    return "Automated assistant · ask for a person at any time";
  };

  /* ---------- the widget ---------- */

  function element(tag, className, attrs) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    Object.keys(attrs || {}).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    return node;
  }

  function Widget() {
    this.conversation = new Conversation();
    this.sessionId = window.localStorage.getItem(storageKey);
    this.online = false;
    // Messages typed before the server confirmed the session and sent its history.
    this.pending = [];
    this.ready = false;
    this.unread = 0;
    this.build();
    this.link = new SocketLink(config.socketUrl, config.socketPath, config.token, {
      connect: this.connected.bind(this),
      disconnect: this.disconnected.bind(this),
      event: this.event.bind(this),
    });
  }

  Widget.prototype.build = function () {
    var root = element("div", "cs-widget", { "data-cs": "widget" });
    this.launcher = element("button", "cs-launcher", {
      type: "button", "data-cs": "launcher", "aria-expanded": "false", "aria-controls": "cs-panel",
    });
    this.launcher.textContent = "Chat with us";
    this.badge = element("span", "cs-badge", { "data-cs": "unread", hidden: "" });
    this.launcher.appendChild(this.badge);

    this.panel = element("section", "cs-panel", {
      id: "cs-panel", role: "dialog", "aria-label": config.title, "data-cs": "panel", hidden: "",
    });
    var header = element("header", "cs-header");
    var titles = element("div");
    var title = element("strong", "cs-title");
    title.textContent = config.title;
    this.statusLine = element("div", "cs-status", { "data-cs": "status", "aria-live": "polite" });
    titles.appendChild(title);
    titles.appendChild(this.statusLine);
    var close = element("button", "cs-close", { type: "button", "aria-label": "Close the chat" });
    close.textContent = "\u00d7";
    header.appendChild(titles);
    header.appendChild(close);

    this.log = element("ol", "cs-log", { "data-cs": "log", "aria-live": "polite" });
    this.typing = element("div", "cs-typing", { "data-cs": "typing", hidden: "" });
    this.typing.textContent = "The assistant is writing\u2026";
    var form = element("form", "cs-form");
    this.input = element("input", "cs-input", {
      type: "text", "data-cs": "input", "aria-label": "Your message", autocomplete: "off",
      maxlength: "1000", placeholder: "Write a message",
    });
    var send = element("button", "cs-send", { type: "submit", "data-cs": "send" });
    send.textContent = "Send";
    form.appendChild(this.input);
    form.appendChild(send);

    this.panel.appendChild(header);
    this.panel.appendChild(this.log);
    this.panel.appendChild(this.typing);
    this.panel.appendChild(form);
    root.appendChild(this.panel);
    root.appendChild(this.launcher);
    document.body.appendChild(root);

    var widget = this;
    this.launcher.addEventListener("click", function () { widget.setOpen(widget.panel.hidden); });
    close.addEventListener("click", function () { widget.setOpen(false); });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = widget.input.value.trim();
      if (text) { widget.send(text, text); widget.input.value = ""; }
    });
    this.showStatus();
  };

  Widget.prototype.start = function () {
    // An ongoing conversation connects at once, so a person's reply shows up on any page.
    if (this.sessionId) { this.link.open(); }
    if (window.sessionStorage.getItem(openKey) === "1") { this.setOpen(true); }
  };

  Widget.prototype.setOpen = function (open) {
    this.panel.hidden = !open;
    this.launcher.setAttribute("aria-expanded", String(open));
    window.sessionStorage.setItem(openKey, open ? "1" : "0");
    if (open) {
      if (!this.link.ws) { this.link.open(); }
      this.unread = 0;
      this.showUnread();
      this.input.focus();
      this.scrollDown();
    }
  };

  Widget.prototype.connected = function () {
    this.online = true;
    this.link.emit("session_request", { session_id: this.sessionId });
    this.showStatus();
  };

  Widget.prototype.disconnected = function () {
    this.online = false;
    this.ready = false;
    this.showStatus();
  };

  Widget.prototype.event = function (name, data) {
    if (name === "session_confirm") {
      this.sessionId = data;
      window.localStorage.setItem(storageKey, data);
    } else if (name === "session_history") {
      this.replay(data);
    } else if (name === "bot_uttered") {
      this.botMessage(data, true);
    }
  };

  // After (re)connecting: the whole conversation as the server has it, replacing the screen.
  Widget.prototype.replay = function (history) {
    this.log.textContent = "";
    this.ready = true;
    this.conversation = new Conversation();
    var widget = this;
    (history.messages || []).forEach(function (message) {
      if (message.customer) { widget.customerMessage(message.text); } else { widget.botMessage(message, false); }
    });
    if (!history.paused) { this.conversation.mode = ASSISTANT; }
    else if (this.conversation.mode === ASSISTANT) { this.conversation.mode = WAITING; }
    var pending = this.pending;
    this.pending = [];
    pending.forEach(function (message) { widget.send(message.message, message.shown); });
    this.showStatus();
    this.scrollDown();
  };

  Widget.prototype.send = function (message, shown) {
    this.customerMessage(shown);
    if (this.ready) {
      this.link.emit("user_uttered", {
        message: message, session_id: this.sessionId, metadata: { display: shown },
      });
      this.expectAnswer();
    } else {
      this.pending.push({ message: message, shown: shown });
      if (!this.link.ws) { this.link.open(); }
    }
    this.scrollDown();
  };

  // "Writing..." while the assistant answers; a person's answer may take minutes, so not then.
  Widget.prototype.expectAnswer = function () {
    var typing = this.typing;
    typing.hidden = this.conversation.mode !== ASSISTANT;
    clearTimeout(this.typingTimer);
    this.typingTimer = setTimeout(function () { typing.hidden = true; }, 15000);
  };

  Widget.prototype.customerMessage = function (text) {
    var item = element("li", "cs-message cs-customer", { "data-cs": "message", "data-from": "customer" });
    item.textContent = text;
    this.log.appendChild(item);
    this.disableOldButtons();
  };

  Widget.prototype.botMessage = function (message, live) {
    var meta = message.metadata || {};
    var notice = this.conversation.receive(meta);
    if (notice) { this.notice(notice); }
    if (message.text || message.attachment) {
      if (meta.event === "joined" || meta.event === "handback") {
        this.notice(message.text);
      } else {
        this.bubble(message, meta);
      }
    }
    this.typing.hidden = true;
    this.showStatus();
    if (live) {
      this.scrollDown();
      if (this.panel.hidden) { this.unread += 1; this.showUnread(); }
    }
  };

  Widget.prototype.bubble = function (message, meta) {
    var fromAgent = meta.speaker === "agent";
    var item = element("li", "cs-message " + (fromAgent ? "cs-agent" : "cs-assistant"), {
      "data-cs": "message", "data-from": fromAgent ? "agent" : "assistant",
    });
    if (fromAgent) {
      var label = element("span", "cs-label");
      label.textContent = (meta.agent_name || "Support team") + " \u00b7 support team";
      item.appendChild(label);
    }
    var text = element("span", "cs-text");
    text.textContent = message.text;
    item.appendChild(text);
    var attachment = message.attachment || {};
    if (attachment.type === "image" && attachment.payload && attachment.payload.src) {
      item.appendChild(element("img", "cs-image", { src: attachment.payload.src, alt: "" }));
    }
    var buttons = message.quick_replies || [];
    if (buttons.length) {
      this.disableOldButtons();
      var row = element("div", "cs-buttons");
      var widget = this;
      buttons.forEach(function (button) {
        var node = element("button", "cs-button", { type: "button", "data-cs": "reply-button" });
        node.textContent = button.title;
        node.addEventListener("click", function () { widget.send(button.payload, button.title); });
        row.appendChild(node);
      });
      item.appendChild(row);
    }
    this.log.appendChild(item);
  };

  Widget.prototype.notice = function (text) {
    var item = element("li", "cs-notice", { "data-cs": "notice" });
    item.textContent = text;
    this.log.appendChild(item);
  };

  // Buttons answer the message they came with; once the conversation moves on they are stale.
  Widget.prototype.disableOldButtons = function () {
    Array.prototype.forEach.call(this.log.querySelectorAll(".cs-button"), function (button) {
      button.disabled = true;
    });
  };

  Widget.prototype.showStatus = function () {
    this.statusLine.textContent = this.conversation.status() + (this.online || !this.link || !this.link.ws ? "" : " · reconnecting\u2026");
    this.panel.setAttribute("data-mode", this.conversation.mode);
  };

  Widget.prototype.showUnread = function () {
    this.badge.hidden = this.unread === 0;
    this.badge.textContent = String(this.unread);
  };

  Widget.prototype.scrollDown = function () {
    this.log.scrollTop = this.log.scrollHeight;
  };

  var stylesheet = element("link", null, { rel: "stylesheet", href: assetBase + "widget.css" });
  document.head.appendChild(stylesheet);

  function boot() { new Widget().start(); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", boot); } else { boot(); }
})();
