import type { EventMessage } from './broker.ts';

/**
 * An event as connections send it: serialized once per instance, not once per connection, so
 * fan-out to a thousand sockets costs one JSON.stringify.
 */
export interface OutgoingEvent {
  topic: string;
  id: number | null;
  type: string;
  /** `{"type","topic","id","data"}` — the WebSocket frame, and the SSE `data:` line. */
  json: string;
}

export function outgoing(topic: string, id: number | null, type: string, data: unknown): OutgoingEvent {
  return { topic, id, type, json: JSON.stringify({ type, topic, id, data }) };
}

export function outgoingOf(message: EventMessage): OutgoingEvent {
  return outgoing(message.topic, message.id, message.type, message.data);
}

/** What the server says about the stream itself (subscribed, errors…), as opposed to events. */
export interface ControlMessage {
  type: 'welcome' | 'subscribed' | 'unsubscribed' | 'resync' | 'error' | 'pong';
  topic?: string;
  [field: string]: unknown;
}
