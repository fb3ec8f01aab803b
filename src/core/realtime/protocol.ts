import { type Static, Type } from 'typebox';
import { Compile } from 'typebox/compile';

/** What a WebSocket client may send (docs/realtime.md). Every frame is one JSON object. */

const Topic = Type.String({ minLength: 1, maxLength: 100 });

export const AuthMessage = Type.Object({ type: Type.Literal('auth'), token: Type.String({ maxLength: 4096 }) });
export const SubscribeMessage = Type.Object({
  type: Type.Literal('subscribe'),
  topic: Topic,
  /** The id of the last event of this topic the client has; omitted: only what happens from now. */
  after: Type.Optional(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER })),
});
export const UnsubscribeMessage = Type.Object({ type: Type.Literal('unsubscribe'), topic: Topic });
export const PingMessage = Type.Object({ type: Type.Literal('ping') });
/** An ephemeral event the topic's kind allows clients to send (e.g. `typing`). */
export const ClientEventMessage = Type.Object({
  type: Type.String({ pattern: '^[a-z][a-z_.]{0,49}$' }),
  topic: Topic,
});

const ClientMessage = Type.Union([AuthMessage, SubscribeMessage, UnsubscribeMessage, PingMessage, ClientEventMessage]);
export type ClientMessage = Static<typeof ClientMessage>;

const validator = Compile(ClientMessage);

/** The frame as a client message, or null when it is not one (not JSON, or not a known shape). */
export function parseClientMessage(text: string): ClientMessage | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  return validator.Check(value) ? value : null;
}
