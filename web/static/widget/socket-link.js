/*
 * The socket.io client the widget needs, and nothing else: Engine.IO 4 / Socket.IO 5 over a
 * WebSocket, which is what the python-socketio 5 server inside Rasa speaks.
 *
 * It exists so the page loads nothing from a CDN and needs no build step. It owns the wire
 * protocol only: the handshake, pings and pongs, a watchdog for a silent link, and reconnecting
 * with a growing delay (1 s, 2 s, ... 30 s). What the events mean is the chat's business
 * (chat.js); it hears about them through three handlers: connect(), disconnect(wasConnected)
 * and event(name, data).
 */

// Engine.IO packet types (first character) and Socket.IO packet types (second, after "4").
const EIO_OPEN = "0", EIO_CLOSE = "1", EIO_PING = "2", EIO_PONG = "3", EIO_MESSAGE = "4";
const SIO_CONNECT = "0", SIO_DISCONNECT = "1", SIO_EVENT = "2", SIO_CONNECT_ERROR = "4";

const FIRST_RETRY_MS = 1000, LAST_RETRY_MS = 30000;

export class SocketLink {
  constructor(url, path, token, handlers) {
    this.endpoint = url.replace(/^http/, "ws") + path + "/?EIO=4&transport=websocket";
    this.token = token;
    this.handlers = handlers;
    this.connected = false;
    this.retryDelay = FIRST_RETRY_MS;
    // Null until the first open(): the widget connects only once it is needed.
    this.ws = null;
    this.watchdog = null;
  }

  open() {
    const ws = new WebSocket(this.endpoint);
    this.ws = ws;
    ws.onmessage = (event) => { this.receive(String(event.data)); };
    ws.onclose = () => { this.closed(ws); };
    ws.onerror = () => { ws.close(); };
  }

  receive(packet) {
    const type = packet.charAt(0);
    if (type === EIO_OPEN) {
      const handshake = JSON.parse(packet.slice(1));
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
  }

  receiveSocketIo(packet) {
    const type = packet.charAt(0);
    if (type === SIO_CONNECT) {
      this.connected = true;
      this.retryDelay = FIRST_RETRY_MS;
      this.handlers.connect();
    } else if (type === SIO_EVENT) {
      // An optional acknowledgement id (digits) may precede the JSON array.
      const args = JSON.parse(packet.slice(1).replace(/^\d+/, ""));
      this.handlers.event(args[0], args[1]);
    } else if (type === SIO_DISCONNECT || type === SIO_CONNECT_ERROR) {
      this.ws.close();
    }
  }

  // The server pings every pingInterval; silence beyond that plus pingTimeout means a dead link.
  alive() {
    const ws = this.ws;
    clearTimeout(this.watchdog);
    this.watchdog = setTimeout(() => { ws.close(); }, this.silenceLimit);
  }

  closed(ws) {
    if (ws !== this.ws) { return; }
    clearTimeout(this.watchdog);
    const wasConnected = this.connected;
    this.connected = false;
    this.handlers.disconnect(wasConnected);
    setTimeout(() => { this.open(); }, this.retryDelay);
    this.retryDelay = Math.min(this.retryDelay * 2, LAST_RETRY_MS);
  }

  // Only called while connected: the chat holds messages until its session is confirmed.
  emit(name, data) {
    this.ws.send(EIO_MESSAGE + SIO_EVENT + JSON.stringify([name, data]));
  }
}
