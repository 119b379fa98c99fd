/**
 * The host instances the chaos clients spread their requests over: the in-process stack, and one in a
 * child process (chaos-host-process.ts) that is killed with SIGKILL and started again. A started-again
 * instance listens on another port with another dev signing key, so a token always goes with the URL of
 * the instance that signed it (`generation`).
 */
import type { ChildProcess } from 'node:child_process';
import { fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../server/local/azurite.js';
import type { DemoUser } from '../../server/local/demo-users.js';
import type { LocalStack } from '../../server/local/stack.js';
import type { ChaosHostMessage, ChaosHostRequest } from './chaos-host-process.js';

const START_ATTEMPTS = 10;
const HOST_SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'chaos-host-process.ts');

export interface HostInstance {
  name: string;
  /** Changes when the instance is started again; `url` and tokens of one generation go together. */
  generation: number;
  url: string;
  /** A dev token of this generation's identity; rejects once that generation is gone. */
  sign(user: DemoUser, generation: number): Promise<string>;
}

export function inProcessHost(name: string, stack: LocalStack): HostInstance {
  return { name, generation: 1, url: stack.apiUrl, sign: (user) => stack.dev.sign(user) };
}

/** A host in its own process: start, kill -9, start again. */
export class ChildHost implements HostInstance {
  generation = 0;
  url = '';
  private child: ChildProcess | undefined;
  private readonly waiting = new Map<number, { resolve(tokens: string[]): void; reject(error: Error): void }>();
  private nextId = 0;
  private stderr = '';

  constructor(
    readonly name: string,
    /** `more`: further variables for the start of generation `generation` (the connector lane's host). */
    private readonly env: { storage: string; graphUrl: string; more?: (generation: number) => Record<string, string> },
  ) {}

  /**
   * Starts the process and waits until it answers /api/healthz. Its start-up reads storage through the
   * faulty proxy and may fail, as a Functions host's may: it is started again, as the platform would.
   */
  async start(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.startOnce();
      } catch (error) {
        await this.kill();
        if (attempt >= START_ATTEMPTS) throw error;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }

  private async startOnce(): Promise<void> {
    let port = await freePort();
    // Never the port of the last generation: a token it signed must not reach the new one.
    while (this.url.endsWith(`:${port}`)) port = await freePort();
    const child = fork(HOST_SCRIPT, [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, ...this.env.more?.(this.generation + 1), CHAOS_STORAGE: this.env.storage, CHAOS_GRAPH_URL: this.env.graphUrl, CHAOS_PORT: String(port) },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    this.child = child;
    child.stderr?.on('data', (chunk: Buffer) => (this.stderr = (this.stderr + chunk.toString()).slice(-4000)));
    const apiUrl = await new Promise<string>((resolve, reject) => {
      child.on('message', (raw) => {
        const message = raw as ChaosHostMessage;
        if (message.type === 'ready') resolve(message.apiUrl);
        else if (message.type === 'error') reject(new Error(`${this.name}: ${message.message}`));
        else this.waiting.get(message.id)?.resolve(message.tokens);
        if (message.type === 'tokens') this.waiting.delete(message.id);
      });
      child.once('exit', (code, signal) => {
        reject(new Error(`${this.name} exited (${code ?? signal}) before it was ready: ${this.stderr}`));
        for (const w of this.waiting.values()) w.reject(new Error(`${this.name} is gone`));
        this.waiting.clear();
      });
    });
    await healthy(apiUrl);
    this.generation++;
    this.url = apiUrl;
  }

  sign(user: DemoUser, generation: number): Promise<string> {
    const child = this.child;
    if (!child || generation !== this.generation || child.exitCode !== null || child.signalCode !== null) return Promise.reject(new Error(`${this.name} generation ${generation} is gone`));
    const id = ++this.nextId;
    return new Promise<string[]>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      child.send({ type: 'sign', id, users: [user] } satisfies ChaosHostRequest);
    }).then((tokens) => tokens[0]!);
  }

  /** SIGKILL: no clean-up of any kind, the way a crashed or recycled instance goes. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
  }

  stop(): Promise<void> {
    return this.kill();
  }
}

/** Polls /api/healthz until it answers 200 (faults through the proxy fail some pings); gives up after 60 s. */
async function healthy(apiUrl: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const status = await fetch(`${apiUrl}/api/healthz`, { signal: AbortSignal.timeout(10_000) }).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${apiUrl} did not become healthy within 60 s.`);
}
