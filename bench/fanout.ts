import { setTimeout as sleep } from 'node:timers/promises';
import WebSocket from 'ws';
import { rssBytes, type Server } from './processes.ts';
import { benchUserId } from './seed.ts';

/**
 * The realtime fan-out scenario: 1,000 WebSocket clients on one instance following 100 group
 * conversations (10 connections each), and messages posted through the REST API. Latency is from
 * just before the POST is sent to each receipt on a socket, so it includes the insert, the commit,
 * the broker and the delivery. Memory is the service's resident set before the clients connect
 * and once all are subscribed, divided by the connections.
 *
 * Users 1..100 of the seed take part (log-ins are argon2 verifications, so 100 of them, not
 * 1,000): conversation k has users k..k+9 (mod 100), and each user keeps one connection per
 * conversation it is in — ten each, under the per-user limit.
 */

export interface FanoutResult {
  clients: number;
  conversations: number;
  messages: number;
  deliveries: number;
  expectedDeliveries: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  rssBeforeMb: number;
  rssAfterMb: number;
  rssPerConnectionKb: number;
}

const USERS = 100;
const CONVERSATIONS = 100;
const MEMBERS = 10;

type Login = (i: number) => Promise<string>;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function api(url: string, token: string, path: string, body: unknown): Promise<{ id: string }> {
  const res = await fetch(url + path, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as { id: string };
}

function connect(wsUrl: string, token: string, topic: string, onEvent: (text: string) => void): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(wsUrl, { headers: { authorization: `Bearer ${token}` } });
    socket.on('error', reject);
    socket.on('message', (data) => {
      const text = String(data);
      if (text.startsWith('{"type":"subscribed"')) resolve(socket);
      else if (text.startsWith('{"type":"welcome"')) socket.send(JSON.stringify({ type: 'subscribe', topic }));
      else onEvent(text);
    });
  });
}

export async function measureFanout(server: Server, login: Login, messages: number): Promise<FanoutResult> {
  const tokens: string[] = [];
  for (let u = 1; u <= USERS; u++) tokens.push(await login(u));
  const tokenOf = (u: number) => tokens[(u - 1) % USERS] as string;
  const member = (k: number, j: number) => ((k + j) % USERS) + 1;

  const conversations: string[] = [];
  for (let k = 0; k < CONVERSATIONS; k++) {
    const others = Array.from({ length: MEMBERS - 1 }, (_, j) => benchUserId(member(k, j + 1)));
    const { id } = await api(server.url, tokenOf(member(k, 0)), '/api/conversations', {
      kind: 'group',
      title: `fan-out ${k}`,
      memberIds: others,
    });
    conversations.push(id);
  }

  await sleep(1000);
  const rssBefore = rssBytes(server.pid);
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  const onEvent = (text: string) => {
    const at = performance.now();
    const event = JSON.parse(text) as { type: string; data?: { message?: { body: string } } };
    const sent = event.type === 'message.created' ? sentAt.get(event.data?.message?.body ?? '') : undefined;
    if (sent !== undefined) latencies.push(at - sent);
  };
  const wsUrl = `${server.url.replace(/^http/, 'ws')}/api/realtime`;
  const sockets: WebSocket[] = [];
  for (let k = 0; k < CONVERSATIONS; k++) {
    const batch = Array.from({ length: MEMBERS }, (_, j) =>
      connect(wsUrl, tokenOf(member(k, j)), `conversation:${conversations[k]}`, onEvent),
    );
    sockets.push(...(await Promise.all(batch)));
  }
  await sleep(1000);
  const rssAfter = rssBytes(server.pid);

  // Posts from the conversations' first members, a few in flight at a time.
  let next = 0;
  const poster = async () => {
    while (next < messages) {
      const n = next++;
      const k = n % CONVERSATIONS;
      const body = `fan-out message ${n}`;
      sentAt.set(body, performance.now());
      await api(server.url, tokenOf(member(k, 0)), `/api/conversations/${conversations[k]}/messages`, { body });
    }
  };
  await Promise.all(Array.from({ length: 4 }, poster));
  const expected = messages * MEMBERS;
  for (let waited = 0; latencies.length < expected && waited < 10_000; waited += 50) await sleep(50);
  for (const socket of sockets) socket.terminate();

  const sorted = latencies.sort((a, b) => a - b);
  return {
    clients: sockets.length,
    conversations: CONVERSATIONS,
    messages,
    deliveries: latencies.length,
    expectedDeliveries: expected,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    maxMs: sorted.at(-1) ?? 0,
    rssBeforeMb: rssBefore / 2 ** 20,
    rssAfterMb: rssAfter / 2 ** 20,
    rssPerConnectionKb: (rssAfter - rssBefore) / sockets.length / 1024,
  };
}
