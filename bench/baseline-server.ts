import Fastify from 'fastify';
import pg from 'pg';

/**
 * The stack's own limit on this machine: a bare Fastify on the same Node, `pg` driver and
 * database as the service, with nothing of ours in between. Every scenario is reported as a ratio
 * to one of these three routes.
 */
const pool = new pg.Pool({
  connectionString: process.env.DATABASE_URL,
  max: Number(process.env.DATABASE_POOL_MAX ?? 10),
});
const app = Fastify({ logger: false });

// (a) no I/O at all
app.get('/hello', async () => ({ hello: 'world' }));

// (b) one indexed single-row select
app.get<{ Params: { key: string } }>('/row/:key', async (request) => {
  const { rows } = await pool.query(process.env.BASELINE_ROW_SQL ?? '', [request.params.key]);
  return rows[0] ?? null;
});

// (c) a 20-row page ordered by an index
app.get('/page', async () => {
  const { rows } = await pool.query(process.env.BASELINE_PAGE_SQL ?? '');
  return { items: rows };
});

app.get('/ready', async () => {
  await pool.query('select 1');
  return { ok: true };
});

app.addHook('onClose', () => pool.end());
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT ?? 0) });
