import autocannon from 'autocannon';

export interface LoadSettings {
  connections: number;
  warmupSeconds: number;
  durationSeconds: number;
}

export interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
  total: number;
}

function fire(options: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(options, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

/** Warms the target up (JIT, pools, caches), then measures with fixed connections and duration. */
export async function runLoad(url: string, request: Partial<autocannon.Options>, settings: LoadSettings) {
  const base = { url, connections: settings.connections, ...request };
  await fire({ ...base, duration: settings.warmupSeconds } as autocannon.Options);
  const result = await fire({ ...base, duration: settings.durationSeconds } as autocannon.Options);
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    total: result.requests.total,
  } satisfies LoadResult;
}
