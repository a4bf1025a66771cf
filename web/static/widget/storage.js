/*
 * What the widget remembers in the browser, and under which keys.
 *
 * It exists so the keys are spelled once (tests/addons/channels/test_widget.py reads the session key).
 * The session id (Rasa's sender id) lives in localStorage, per Rasa server, so a reload, another
 * page or a second tab continues the same conversation. Whether the panel was open lives in
 * sessionStorage, so it stays open across the pages of one visit only.
 */

const OPEN_KEY = "cs-widget:open";

export class WidgetStorage {
  constructor(socketUrl) {
    this.sessionKey = "cs-widget:" + socketUrl + ":session";
  }

  sessionId() { return window.localStorage.getItem(this.sessionKey); }

  saveSessionId(id) { window.localStorage.setItem(this.sessionKey, id); }

  wasOpen() { return window.sessionStorage.getItem(OPEN_KEY) === "1"; }

  rememberOpen(open) { window.sessionStorage.setItem(OPEN_KEY, open ? "1" : "0"); }
}
