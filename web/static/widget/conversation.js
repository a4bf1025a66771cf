/*
 * Who the customer is talking to: the assistant, nobody yet (waiting for a person), or a
 * person from the support team.
 *
 * It exists so the hand-over rules live in one place, apart from the socket and the DOM. Each
 * bot message's metadata.event / speaker / agent_name (addons/channels/speaker.py) moves the
 * conversation between the three modes; receive() returns the notice to show for the move, if
 * any, and status() the line under the chat's title, in the words of the texts table it is
 * given (texts.js).
 */

export const ASSISTANT = "assistant", WAITING = "waiting", PERSON = "person";

export class Conversation {
  constructor(texts) {
    this.texts = texts;
    this.mode = ASSISTANT;
    this.agentName = null;
  }

  receive(meta) {
    const before = this.mode;
    if (meta.speaker === "agent") {
      this.mode = PERSON;
      // Announced already, unless another person took over (a "joined" notice names nobody).
      const announced = before === PERSON && (!this.agentName || this.agentName === meta.agent_name);
      this.agentName = meta.agent_name;
      return announced ? null : this.texts.joined(meta.agent_name);
    }
    if (meta.event === "handoff") { this.mode = WAITING; return null; }
    // The desk names who claimed the conversation (claimed_by), so the status line can at once.
    if (meta.event === "joined") { this.mode = PERSON; this.agentName = meta.agent_name || null; return null; }
    if (meta.event === "handback") { this.mode = ASSISTANT; return null; }
    // Unmarked: a hand-back the desk did not label, or the assistant answering again.
    if (before === PERSON || (before === WAITING && meta.automated)) {
      this.mode = ASSISTANT;
      return this.texts.assistantBack;
    }
    return null;
  }

  // After a history replay: the server's paused flag is the truth about the assistant.
  settle(paused) {
    if (!paused) { this.mode = ASSISTANT; }
    else if (this.mode === ASSISTANT) { this.mode = WAITING; }
  }

  status() {
    if (this.mode === WAITING) { return this.texts.statusWaiting; }
    if (this.mode === PERSON) { return this.texts.statusPerson(this.agentName); }
    return this.texts.statusAssistant;
  }
}
