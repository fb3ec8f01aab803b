import type { FastifyBaseLogger } from 'fastify';
import type { WebSocket } from 'ws';
import { Connection, type ConnectionLimits, type ConnectionUser } from './connection.ts';

// A cut-off client that does not complete the closing handshake is dropped after this long.
const CLOSE_GRACE_MS = 1_000;

export class WebSocketConnection extends Connection {
  readonly transport = 'websocket';
  readonly #socket: WebSocket;
  #alive = true;

  constructor(
    socket: WebSocket,
    instanceId: string,
    user: ConnectionUser,
    limits: ConnectionLimits,
    log: FastifyBaseLogger,
  ) {
    super(instanceId, user, limits, log);
    this.#socket = socket;
    socket.on('pong', () => {
      this.#alive = true;
    });
    socket.on('close', () => this.closedBy('client_closed'));
  }

  protected bufferedBytes(): number {
    return this.#socket.bufferedAmount;
  }

  protected write(text: string): void {
    this.#socket.send(text);
  }

  protected end(code: number, reason: string): void {
    // The close frame queues behind what is buffered; a client that stopped reading never takes
    // it, so the socket is destroyed after a grace period either way. Nothing more is queued meanwhile.
    this.#socket.close(code, reason);
    setTimeout(() => this.#socket.terminate(), CLOSE_GRACE_MS).unref();
  }

  heartbeat(): void {
    if (!this.#alive) {
      this.#socket.terminate();
      this.closedBy('heartbeat_timeout');
      return;
    }
    this.#alive = false;
    this.#socket.ping();
  }
}
