/*
 * The chat session: wires the socket link, the conversation state, the browser storage and the
 * window together, and holds what ties them: the session id, whether the server has confirmed
 * it (messages typed before that wait), whether the link is up, and the unread count.
 *
 * It exists so the socket.io events of Rasa's channel (addons/channels/webchat.py) are turned into
 * what the customer sees in one place: session_request / session_confirm on every connection,
 * session_history replayed over the screen, bot_uttered_rich (a bot message with who speaks)
 * shown live, user_uttered sent; the email step (follow_up_request / follow_up_confirm) and a
 * follow-up email's link (`cs_resume` in the page's address, sent in session_request; a link
 * the server refuses comes back as resume_refused).
 */

import { ASSISTANT, Conversation, WAITING } from "./conversation.js";
import { FollowUpForm } from "./follow-up.js";
import { SocketLink } from "./socket-link.js";
import { WidgetStorage } from "./storage.js";
import { ChatView } from "./view.js";

// The query parameter of the link in a follow-up email (contract/resume_links.py).
const RESUME_PARAMETER = "cs_resume";
const REFUSED_LINKS = {
  expired: "This link has expired, so it cannot open your earlier chat. "
    + "Write here and we will help you, or ask for a person again.",
  invalid: "This link is not valid (it may be cut off or changed), so it cannot open a chat. "
    + "Open the whole link from the email, or write here and we will help you.",
};

// 128 random bits in hex: the widget's id for one message (crypto.randomUUID needs https).
function newMessageId() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export class Chat {
  constructor(config) {
    this.storage = new WidgetStorage(config.socketUrl);
    this.language = config.language || "";
    this.conversation = new Conversation();
    this.sessionId = this.storage.sessionId();
    this.online = false;
    // Messages typed before the server confirmed the session and sent its history.
    this.pending = [];
    this.ready = false;
    this.unread = 0;
    this.link = new SocketLink(config.socketUrl, config.socketPath, config.token, {
      connect: () => { this.connected(); },
      disconnect: () => { this.disconnected(); },
      event: (name, data) => { this.event(name, data); },
    });
    this.view = new ChatView(config.title, config.greeting, {
      toggle: () => { this.setOpen(!this.view.isOpen()); },
      close: () => { this.setOpen(false); },
      submit: (text) => { this.send(text, text); },
      reply: (payload, title) => { this.send(payload, title); },
    });
    this.followUp = new FollowUpForm((email) => {
      this.link.emit("follow_up_request", { session_id: this.sessionId, email: email, consent: true });
    });
    this.view.attach(this.followUp.root);
    this.resumeToken = new URLSearchParams(window.location.search).get(RESUME_PARAMETER);
    this.refusal = null;
    this.showStatus();
  }

  start() {
    // An ongoing conversation connects at once, so a person's reply shows up on any page.
    if (this.sessionId) { this.link.open(); }
    // A follow-up email's link opens the chat on its conversation.
    if (this.storage.wasOpen() || this.resumeToken) { this.setOpen(true); }
  }

  setOpen(open) {
    this.view.setOpen(open);
    this.storage.rememberOpen(open);
    if (open) {
      if (!this.link.ws) { this.link.open(); }
      this.unread = 0;
      this.view.unread(this.unread);
      this.view.scrollDown();
    }
  }

  connected() {
    this.online = true;
    const request = { session_id: this.sessionId };
    if (this.resumeToken) { request.resume = this.resumeToken; }
    this.link.emit("session_request", request);
    this.showStatus();
  }

  disconnected() {
    this.online = false;
    this.ready = false;
    this.showStatus();
  }

  event(name, data) {
    if (name === "session_confirm") {
      this.sessionId = data;
      this.storage.saveSessionId(data);
      if (this.resumeToken) { this.forgetResumeToken(); }
    } else if (name === "resume_refused") {
      this.refusal = REFUSED_LINKS[(data && data.reason) || "invalid"] || REFUSED_LINKS.invalid;
    } else if (name === "follow_up_confirm") {
      if (data && data.ok) { this.followUp.saved(data.email); } else { this.followUp.refused(data && data.error); }
    } else if (name === "agent_typing") {
      // Sent by the agent desk while a person writes a reply (agent_desk/typing_signal.py).
      this.view.personWriting((data && data.agent_name) || "A person");
    } else if (name === "session_history") {
      this.replay(data);
    } else if (name === "bot_uttered_rich") {
      // The server also sends each message as Rasa's plain bot_uttered (for other widgets).
      this.botMessage(data, true);
    }
  }

  // After (re)connecting: the whole conversation as the server has it, replacing the screen.
  replay(history) {
    this.view.clear();
    this.ready = true;
    this.conversation = new Conversation();
    (history.messages || []).forEach((message) => {
      if (message.customer) {
        this.view.customerMessage(message.text, message.timestamp);
      } else {
        this.botMessage(message, false);
      }
    });
    this.conversation.settle(history.paused);
    if (this.refusal) { this.view.alert(this.refusal); this.refusal = null; }
    const pending = this.pending;
    this.pending = [];
    pending.forEach((message) => { this.send(message.message, message.shown, message.id); });
    this.showStatus();
    this.view.scrollDown();
  }

  // `message` goes to Rasa (a button's payload), `shown` is what the customer sees; `id` stays
  // with the message when it waits for a reconnection, so the server handles it once.
  send(message, shown, id = newMessageId()) {
    this.view.customerMessage(shown);
    if (this.ready) {
      this.link.emit("user_uttered", {
        message: message,
        message_id: id,
        session_id: this.sessionId,
        metadata: { display: shown, language: this.language },
      });
      // "Writing..." while the assistant answers; a person's answer may take minutes, so not then.
      this.view.expectAnswer(this.conversation.mode === ASSISTANT);
    } else {
      this.pending.push({ message: message, shown: shown, id: id });
      if (!this.link.ws) { this.link.open(); }
    }
    this.view.scrollDown();
  }

  botMessage(message, live) {
    const meta = message.metadata || {};
    const notice = this.conversation.receive(meta);
    if (notice) { this.view.notice(notice, message.timestamp); }
    if (message.text || message.attachment) {
      if (meta.event === "joined" || meta.event === "handback") {
        this.view.notice(message.text, message.timestamp);
      } else {
        this.view.bubble(message, meta);
      }
    }
    this.view.answered();
    this.showStatus();
    if (live) {
      this.view.scrollDown();
      if (!this.view.isOpen()) { this.unread += 1; this.view.unread(this.unread); }
    }
  }

  // Used once: a reload or a reconnection continues the conversation the link opened.
  forgetResumeToken() {
    this.resumeToken = null;
    const url = new URL(window.location.href);
    url.searchParams.delete(RESUME_PARAMETER);
    window.history.replaceState(window.history.state, "", url.toString());
  }

  showStatus() {
    this.followUp.show(this.conversation.mode === WAITING);
    const reconnecting = !this.online && this.link.ws;
    this.view.status(this.conversation.status() + (reconnecting ? " · reconnecting\u2026" : ""), this.conversation.mode);
  }
}
