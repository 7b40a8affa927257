import { Redis, type RedisOptions } from 'ioredis';
import { DuskError } from '../../core/errors.js';

/**
 * Connection options from a redis:// or rediss:// (TLS) address, with the caller's ioredis
 * options on top (password, username, tls: { ca, cert, key }, …: they pass through as given).
 * The password of an address is never repeated in messages: see displayAddress.
 */
export function redisOptions(address: string, extra: RedisOptions = {}): RedisOptions {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    throw new DuskError(`'${address}' is not a Redis address: write redis://host:port (or rediss://host:port for TLS)`);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') throw new DuskError(`'${displayAddress(address)}' is not a Redis address: it must start with redis:// or rediss:// (TLS)`);
  const options: RedisOptions = { host: url.hostname || '127.0.0.1', port: url.port ? Number(url.port) : 6379 };
  if (url.username) options.username = decodeURIComponent(url.username);
  if (url.password) options.password = decodeURIComponent(url.password);
  if (url.pathname.length > 1) options.db = Number(url.pathname.slice(1));
  if (url.protocol === 'rediss:') options.tls = {};
  return { ...options, ...extra };
}

/** The address without its password, for messages. */
export function displayAddress(address: string): string {
  try {
    const url = new URL(address);
    if (url.password) url.password = '***';
    return url.toString().replace(/\/$/, '');
  } catch {
    return address;
  }
}

/**
 * A connection for Dusk's own commands (values, registrations). Commands fail after a few
 * reconnection attempts instead of waiting forever in ioredis's offline queue: the callers turn
 * that into an error naming the address.
 */
export function openRedis(options: RedisOptions, name: string): Redis {
  return new Redis({ maxRetriesPerRequest: 2, connectionName: name, ...options, lazyConnect: true });
}

/**
 * Redis must not evict keys: an evicted job or result would be a task that never finishes or an
 * input that vanished. `maxmemory-policy noeviction` makes a full Redis refuse writes instead,
 * which fails the task with Redis's own "OOM command not allowed" message.
 */
export async function checkNoEviction(redis: Redis, shown: string): Promise<void> {
  let reply: unknown;
  try {
    reply = await redis.call('CONFIG', 'GET', 'maxmemory-policy');
  } catch (err) {
    throw new DuskError(
      `cannot read the eviction policy of Redis at ${shown} (CONFIG GET maxmemory-policy: ${(err as Error).message}); ` +
        'Dusk needs maxmemory-policy noeviction. If CONFIG is disabled on this server and you know the policy is noeviction, pass { checkEviction: false }',
    );
  }
  const policy = Array.isArray(reply) ? String(reply[1]) : String(reply);
  if (policy !== 'noeviction') {
    throw new DuskError(
      `Redis at ${shown} has maxmemory-policy '${policy}': it may evict Dusk's jobs and results, and a compute would then hang or lose data. ` +
        "Set it to noeviction (redis-server --maxmemory-policy noeviction, or CONFIG SET maxmemory-policy noeviction) and connect again",
    );
  }
}

/** Connects, or fails with an error naming the address and the cause. */
export async function connectOrFail(redis: Redis, shown: string, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      redis.connect(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
  } catch (err) {
    redis.disconnect();
    throw new DuskError(`cannot connect to Redis at ${shown}: ${(err as Error).message}`);
  } finally {
    clearTimeout(timer);
  }
}
