/**
 * A real redis-server for tests and the bench: on a free loopback port, persistence off, started
 * and stopped by pid. Restarting it keeps the port and loses every key (as a crashed Redis
 * without persistence does).
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import * as net from 'node:net';

export interface RedisServer {
  port: number;
  url: string;
  pid(): number;
  /** SIGKILLs the server (if running) and starts it again on the same port, empty. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** Where redis-server is, or undefined; under CI its absence is a failure, not a skip. */
export function redisServerPath(): string | undefined {
  const r = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function startRedisServer(port?: number): Promise<RedisServer> {
  const binary = redisServerPath();
  if (!binary) throw new Error('redis-server is not installed (Debian: apt-get install redis-server)');
  const at = port ?? (await freePort());
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn(binary, ['--port', String(at), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    await waitForPort(at);
  };
  const kill = async () => {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise((resolve) => c.once('exit', resolve));
    process.kill(c.pid!, 'SIGKILL');
    await exited;
  };
  await start();
  return {
    port: at,
    url: `redis://127.0.0.1:${at}`,
    pid: () => child!.pid!,
    restart: async () => (await kill(), await start()),
    stop: kill,
  };
}

/** Resolves once something accepts connections on the port (10 s at most). */
export async function waitForPort(port: number, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => (socket.end(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > until) throw new Error(`nothing listens on 127.0.0.1:${port} after ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
