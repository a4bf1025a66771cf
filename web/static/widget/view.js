/*
 * The chat window in the page's DOM: launcher with unread badge, panel, greeting, message log
 * with times, notices, status line, "writing..." line and the message form.
 *
 * It exists so every element, class name and data-cs hook (the browser tests and widget.css rely
 * on them) is made in one place. It draws what it is told and reports what the customer does
 * through the actions it was given: toggle(), close(), submit(text), reply(payload, title). It
 * knows nothing of sockets or of who is talking; chat.js decides.
 */

const TYPING_TIMEOUT_MS = 15000;
// The desk repeats "is writing" every few seconds while a person types; silence ends it.
const PERSON_TYPING_MS = 6000;
const LAUNCHER_LABEL = "Chat with us";

// "14:05" in the customer's own clock format; `seconds` since the epoch, or now.
function clockTime(seconds) {
  const date = seconds ? new Date(seconds * 1000) : new Date();
  return { text: date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }), iso: date.toISOString() };
}

function timeElement(seconds) {
  const time = clockTime(seconds);
  const node = element("time", "cs-time", { datetime: time.iso });
  node.textContent = time.text;
  return node;
}

export function element(tag, className, attrs) {
  const node = document.createElement(tag);
  if (className) { node.className = className; }
  Object.keys(attrs || {}).forEach((name) => { node.setAttribute(name, attrs[name]); });
  return node;
}

export class ChatView {
  constructor(title, greeting, actions) {
    this.actions = actions;
    this.greetingText = greeting;
    const root = element("div", "cs-widget", { "data-cs": "widget" });
    root.appendChild(this.buildPanel(title));
    root.appendChild(this.buildLauncher());
    document.body.appendChild(root);
    this.clear();
  }

  buildLauncher() {
    this.launcher = element("button", "cs-launcher", {
      type: "button", "data-cs": "launcher", "aria-expanded": "false", "aria-controls": "cs-panel",
    });
    this.launcher.textContent = LAUNCHER_LABEL;
    // The count is in the button's name (unread()); the badge only shows it.
    this.badge = element("span", "cs-badge", { "data-cs": "unread", "aria-hidden": "true", hidden: "" });
    this.launcher.appendChild(this.badge);
    this.launcher.addEventListener("click", () => { this.actions.toggle(); });
    return this.launcher;
  }

  buildPanel(title) {
    this.panel = element("section", "cs-panel", {
      id: "cs-panel", role: "dialog", "aria-label": title, "data-cs": "panel", hidden: "",
    });
    this.panel.addEventListener("keydown", (event) => {
      if (event.key === "Escape") { event.preventDefault(); this.actions.close(); }
    });
    this.log = element("ol", "cs-log", {
      "data-cs": "log", "aria-live": "polite", "aria-label": "Conversation", tabindex: "0",
    });
    this.typing = element("div", "cs-typing", { "data-cs": "typing", hidden: "" });
    this.typing.textContent = "The assistant is writing\u2026";
    this.panel.appendChild(this.buildHeader(title));
    this.panel.appendChild(this.log);
    this.panel.appendChild(this.typing);
    this.panel.appendChild(this.buildForm());
    return this.panel;
  }

  buildHeader(title) {
    const header = element("header", "cs-header");
    const titles = element("div");
    const heading = element("strong", "cs-title");
    heading.textContent = title;
    this.statusLine = element("div", "cs-status", { "data-cs": "status", "aria-live": "polite" });
    titles.appendChild(heading);
    titles.appendChild(this.statusLine);
    const close = element("button", "cs-close", { type: "button", "aria-label": "Close the chat" });
    close.textContent = "\u00d7";
    close.addEventListener("click", () => { this.actions.close(); });
    header.appendChild(titles);
    header.appendChild(close);
    return header;
  }

  buildForm() {
    const form = element("form", "cs-form");
    this.input = element("input", "cs-input", {
      type: "text", "data-cs": "input", "aria-label": "Your message", autocomplete: "off",
      maxlength: "1000", placeholder: "Write a message",
    });
    const send = element("button", "cs-send", { type: "submit", "data-cs": "send" });
    send.textContent = "Send";
    form.appendChild(this.input);
    form.appendChild(send);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const text = this.input.value.trim();
      if (text) { this.actions.submit(text); this.input.value = ""; }
    });
    return form;
  }

  // A part of the window another module owns (the email step), above the message form.
  attach(node) { this.panel.insertBefore(node, this.typing); }

  isOpen() { return !this.panel.hidden; }

  // Closing moves focus back to the launcher, when it was inside the panel (Escape, ×).
  setOpen(open) {
    const hadFocus = this.panel.contains(document.activeElement);
    this.panel.hidden = !open;
    this.launcher.setAttribute("aria-expanded", String(open));
    if (open) { this.input.focus(); } else if (hadFocus) { this.launcher.focus(); }
  }

  // An empty conversation: only the greeting, which the widget says itself (not Rasa).
  clear() {
    this.log.textContent = "";
    const item = element("li", "cs-message cs-assistant cs-greeting", { "data-cs": "greeting" });
    item.textContent = this.greetingText;
    this.log.appendChild(item);
  }

  customerMessage(text, seconds) {
    this.closeHandoffCard();
    const item = element("li", "cs-message cs-customer", { "data-cs": "message", "data-from": "customer" });
    const body = element("span", "cs-text");
    body.textContent = text;
    item.appendChild(body);
    item.appendChild(timeElement(seconds));
    this.log.appendChild(item);
    this.disableOldButtons();
  }

  // An assistant's or a person's message; `meta` is the message's metadata (speaker, agent_name,
  // event). The assistant's handover message is a system card, apart from its usual answers.
  bubble(message, meta) {
    const fromAgent = meta.speaker === "agent";
    const handoff = !fromAgent && meta.event === "handoff";
    // One handover is one card: the assistant says why and then what happens next (two
    // messages); the second joins the card the first opened.
    const last = this.log.lastElementChild;
    if (handoff && last && last.dataset.handoff === "open") {
      const more = element("span", "cs-text");
      more.textContent = message.text;
      last.insertBefore(more, last.querySelector("time"));
      return;
    }
    if (last && last.dataset.handoff === "open") { last.dataset.handoff = "done"; }
    const kind = fromAgent ? "cs-agent" : (handoff ? "cs-assistant cs-system" : "cs-assistant");
    const item = element("li", "cs-message " + kind, {
      "data-cs": "message", "data-from": fromAgent ? "agent" : "assistant",
    });
    if (handoff) { item.dataset.handoff = "open"; }
    if (fromAgent || handoff) {
      const label = element("span", "cs-label");
      label.textContent = fromAgent ? (meta.agent_name || "Support team") + " \u00b7 support team" : "Handing over to a person";
      item.appendChild(label);
    }
    const text = element("span", "cs-text");
    text.textContent = message.text;
    item.appendChild(text);
    item.appendChild(timeElement(message.timestamp));
    const attachment = message.attachment || {};
    if (attachment.type === "image" && attachment.payload && attachment.payload.src) {
      item.appendChild(element("img", "cs-image", { src: attachment.payload.src, alt: "" }));
    }
    const buttons = message.quick_replies || [];
    if (buttons.length) {
      this.disableOldButtons();
      item.appendChild(this.buttonRow(buttons));
    }
    this.log.appendChild(item);
  }

  buttonRow(buttons) {
    const row = element("div", "cs-buttons");
    buttons.forEach((button) => {
      const node = element("button", "cs-button", { type: "button", "data-cs": "reply-button" });
      node.textContent = button.title;
      node.addEventListener("click", () => { this.actions.reply(button.payload, button.title); });
      row.appendChild(node);
    });
    return row;
  }

  // A change of who is talking (joined, back): centred, apart from anyone's messages.
  notice(text, seconds) {
    this.closeHandoffCard();
    const item = element("li", "cs-notice", { "data-cs": "notice" });
    const body = element("span", "cs-text");
    body.textContent = text;
    item.appendChild(body);
    item.appendChild(timeElement(seconds));
    this.log.appendChild(item);
  }

  // Something the customer must read before going on (a refused link): red, announced at once.
  alert(text) {
    const item = element("li", "cs-notice cs-error", { "data-cs": "alert", role: "alert" });
    item.textContent = text;
    this.log.appendChild(item);
  }

  // Anything said after a handover card ends it: a later handover gets a card of its own.
  closeHandoffCard() {
    const last = this.log.lastElementChild;
    if (last && last.dataset.handoff === "open") { last.dataset.handoff = "done"; }
  }

  // Buttons answer the message they came with; once the conversation moves on they are stale.
  disableOldButtons() {
    Array.prototype.forEach.call(this.log.querySelectorAll(".cs-button"), (button) => {
      button.disabled = true;
    });
  }

  // "Writing..." for a while (or hidden at once when `show` is false), cleared by the answer.
  expectAnswer(show) { this.showTyping("The assistant is writing\u2026", show, TYPING_TIMEOUT_MS); }

  personWriting(name) { this.showTyping(name + " is writing\u2026", true, PERSON_TYPING_MS); }

  showTyping(text, show, forMs) {
    const typing = this.typing;
    typing.textContent = text;
    typing.hidden = !show;
    clearTimeout(this.typingTimer);
    this.typingTimer = setTimeout(() => { typing.hidden = true; }, forMs);
  }

  answered() { this.typing.hidden = true; }

  status(text, mode) {
    this.statusLine.textContent = text;
    this.panel.setAttribute("data-mode", mode);
  }

  unread(count) {
    this.badge.hidden = count === 0;
    this.badge.textContent = String(count);
    this.launcher.setAttribute("aria-label", count
      ? LAUNCHER_LABEL + ", " + count + (count === 1 ? " new message" : " new messages")
      : LAUNCHER_LABEL);
  }

  scrollDown() { this.log.scrollTop = this.log.scrollHeight; }
}
