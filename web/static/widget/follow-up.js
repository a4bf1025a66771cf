/*
 * "Can't wait? Get the reply by email": the part of the chat window that asks a waiting
 * customer for an email address, with an explicit yes, so a person's later reply reaches them
 * after they close the page (contract/follow_up.py, agent_desk/follow_up_mail.py).
 *
 * It exists so the email step's elements, its wording and its checks live in one place. It is
 * shown only while the conversation waits for a person (chat.js decides), starts folded
 * (a <details>), and sends nothing without the ticked box. It reports the customer's request
 * through leave(email) and is told the server's answer through saved() / refused().
 */

import { element } from "./view.js";

const ERRORS = {
  consent: "Tick the box to agree that we email you the reply.",
  email: "That does not look like an email address. Check it and try again.",
  unavailable: "Your email could not be saved just now. Try again in a minute.",
};

export class FollowUpForm {
  constructor(leave) {
    this.root = element("details", "cs-follow-up", { "data-cs": "follow-up", hidden: "" });
    const summary = element("summary", "", { "data-cs": "follow-up-open" });
    summary.textContent = "Can't wait? Get the reply by email";
    this.form = element("form", "cs-follow-up-form", { novalidate: "" });
    const label = element("label", "", { for: "cs-follow-up-email" });
    label.textContent = "Your email";
    this.email = element("input", "cs-input", {
      id: "cs-follow-up-email", type: "email", autocomplete: "email", "data-cs": "follow-up-email",
      maxlength: "254", required: "",
    });
    const consent = element("label", "cs-consent");
    this.consent = element("input", "", { type: "checkbox", "data-cs": "follow-up-consent" });
    consent.appendChild(this.consent);
    consent.appendChild(document.createTextNode(
      " Email me the person's reply to this chat, with a link back to it. "
      + "My address is used for this conversation only."));
    const send = element("button", "cs-send", { type: "submit", "data-cs": "follow-up-send" });
    send.textContent = "Email me the reply";
    this.message = element("p", "cs-follow-up-message", { "data-cs": "follow-up-message", role: "status" });
    [label, this.email, consent, send].forEach((node) => { this.form.appendChild(node); });
    this.root.appendChild(summary);
    this.root.appendChild(this.form);
    this.root.appendChild(this.message);
    // A fixed mistake takes its message away.
    const clear = () => { this.message.textContent = ""; };
    this.consent.addEventListener("change", clear);
    this.email.addEventListener("input", clear);
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      const email = this.email.value.trim();
      if (!this.consent.checked) { this.refused("consent"); return; }
      if (!this.email.checkValidity() || !email) { this.refused("email"); return; }
      leave(email);
    });
  }

  // Shown while a person is awaited, unless the customer already left an address.
  show(waiting) { this.root.hidden = !waiting && !this.done; }

  saved(email) {
    this.done = true;
    this.form.hidden = true;
    this.message.className = "cs-follow-up-message";
    this.message.textContent = "Thank you. We will email the reply to " + email
      + ". You can close this page; the email has a link back to this chat.";
  }

  refused(reason) {
    this.message.className = "cs-follow-up-message cs-error";
    this.message.textContent = ERRORS[reason] || ERRORS.unavailable;
  }
}
