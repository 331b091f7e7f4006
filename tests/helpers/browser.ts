// A real browser for the tests of the HTML page: Debian's chromium, headless, driven over
// the DevTools protocol on a pipe (--remote-debugging-pipe: file descriptors 3 and 4, no
// port), so that a test can load a page once and ask it what only a browser knows: what was
// fetched, what the console said, where the SVG's shapes are, how it prints.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';

/** The chromium binary on PATH, or null. */
export function findChromium(): string | null {
  for (const name of ['chromium', 'chromium-browser']) {
    const r = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
    if (r.status === 0 && r.stdout.trim()) return r.stdout.trim();
  }
  return null;
}

interface Pending { resolve: (v: unknown) => void; reject: (e: Error) => void }
export interface CdpEvent { method: string; params: Record<string, unknown>; sessionId?: string }

export interface Browser {
  /** A command to the browser (no session) or to the page (its session). */
  send<T = Record<string, unknown>>(method: string, params?: Record<string, unknown>, sessionId?: string): Promise<T>;
  /** Every event seen so far. */
  events: CdpEvent[];
  /** Resolves at the first event of this name (seen already or to come). */
  waitFor(method: string, sessionId?: string): Promise<CdpEvent>;
  close(): Promise<void>;
}

export async function launch(binary: string): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'rectify-chromium-'));
  const child: ChildProcess = spawn(binary, [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage', `--user-data-dir=${profile}`,
    '--remote-debugging-pipe', 'about:blank',
  ], { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => { stderr = (stderr + String(d)).slice(-4000); });
  const toBrowser = child.stdio[3] as Writable;
  const fromBrowser = child.stdio[4] as Readable;
  const pending = new Map<number, Pending>();
  const events: CdpEvent[] = [];
  const waiters: { method: string; sessionId?: string; resolve: (e: CdpEvent) => void }[] = [];
  let next = 1;
  let buf = Buffer.alloc(0);
  let exited: Error | null = null;
  fromBrowser.on('data', (chunk: Buffer) => {
    buf = Buffer.concat([buf, chunk]);
    for (let end = buf.indexOf(0); end >= 0; end = buf.indexOf(0)) {
      const msg = JSON.parse(buf.subarray(0, end).toString('utf8')) as { id?: number; result?: unknown; error?: { message: string }; method?: string; params?: Record<string, unknown>; sessionId?: string };
      buf = buf.subarray(end + 1);
      if (msg.id !== undefined) {
        const p = pending.get(msg.id);
        pending.delete(msg.id);
        if (msg.error) p?.reject(new Error(`${msg.error.message}`));
        else p?.resolve(msg.result);
      } else if (msg.method) {
        const e: CdpEvent = { method: msg.method, params: msg.params ?? {}, ...(msg.sessionId ? { sessionId: msg.sessionId } : {}) };
        events.push(e);
        for (const w of waiters.filter((x) => x.method === e.method && (x.sessionId === undefined || x.sessionId === e.sessionId))) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(e);
        }
      }
    }
  });
  const gone = new Promise<void>((resolve) => child.on('exit', (code, signal) => {
    exited = new Error(`chromium exited (${code ?? signal}): ${stderr}`);
    for (const p of pending.values()) p.reject(exited);
    pending.clear();
    resolve();
  }));
  return {
    events,
    send<T>(method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<T> {
      if (exited) return Promise.reject(exited);
      const id = next++;
      return new Promise<T>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        toBrowser.write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`);
      });
    },
    waitFor(method: string, sessionId?: string): Promise<CdpEvent> {
      const seen = events.find((e) => e.method === method && (sessionId === undefined || e.sessionId === sessionId));
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve) => waiters.push({ method, ...(sessionId ? { sessionId } : {}), resolve }));
    },
    async close() {
      if (!exited) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
        await gone;
        clearTimeout(timer);
      }
      // Chromium's helper processes (renderer, crash handler) may still be writing into the
      // profile a moment after the browser itself has gone (CI failed once with ENOTEMPTY
      // here): retried for up to two seconds, then left in the temporary folder, which is not
      // what the test is about.
      try {
        rmSync(profile, { recursive: true, force: true, maxRetries: 20, retryDelay: 100 });
      } catch {
        /* left for the system's temporary-file cleaning */
      }
    },
  };
}

/** A page of the browser: a tab attached in flattened mode, with what it reports switched on. */
export async function openPage(b: Browser, url: string): Promise<{ session: string; evaluate: <T>(expr: string) => Promise<T> }> {
  const { targetId } = await b.send<{ targetId: string }>('Target.createTarget', { url: 'about:blank' });
  const { sessionId } = await b.send<{ sessionId: string }>('Target.attachToTarget', { targetId, flatten: true });
  for (const domain of ['Page', 'Runtime', 'Log', 'Network']) await b.send(`${domain}.enable`, {}, sessionId);
  const loaded = b.waitFor('Page.loadEventFired', sessionId);
  await b.send('Page.navigate', { url }, sessionId);
  await loaded;
  return {
    session: sessionId,
    async evaluate<T>(expression: string): Promise<T> {
      const r = await b.send<{ result: { value: T }; exceptionDetails?: { text: string } }>(
        'Runtime.evaluate', { expression, returnByValue: true }, sessionId);
      if (r.exceptionDetails) throw new Error(`in the page: ${r.exceptionDetails.text}`);
      return r.result.value;
    },
  };
}
