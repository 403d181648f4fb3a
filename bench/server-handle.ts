/** The bench's model server in a process of its own (bench/swarm-server-child.ts), driven over IPC. */
import { fork } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CallMark } from './gap.js';
import type { FromServer, ServerStats, ToServer } from './swarm-server-child.js';

const here = dirname(fileURLToPath(import.meta.url));

export interface ServerHandle {
  url: string;
  stats(): Promise<ServerStats>;
  reset(): Promise<ServerStats>;
  /** Every call since the last reset (gap.ts). */
  calls(): Promise<CallMark[]>;
  close(): Promise<void>;
}

/** Forks bench/swarm-server-child.js: the model server gets a core of its own. */
export function forkServer(latencyMs: number): Promise<ServerHandle> {
  const proc = fork(join(here, 'swarm-server-child.js'), [String(latencyMs)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const send = (m: ToServer): void => void proc.send(m);
  return new Promise((resolve, reject) => {
    proc.once('error', reject);
    proc.once('exit', (code) => reject(new Error(`bench model server exited (${code})`)));
    proc.once('message', (m: FromServer) => {
      if (!('ready' in m)) return reject(new Error('bench model server did not start'));
      proc.removeAllListeners('exit');
      const ask = (what: 'stats' | 'reset'): Promise<ServerStats> =>
        new Promise((ok) => {
          proc.once('message', (r: FromServer) => ok((r as { stats: ServerStats }).stats));
          send(what);
        });
      resolve({
        url: m.ready,
        stats: () => ask('stats'),
        reset: () => ask('reset'),
        calls: () =>
          new Promise((ok) => {
            proc.once('message', (r: FromServer) => ok((r as { calls: CallMark[] }).calls));
            send('calls');
          }),
        close: () =>
          new Promise((ok) => {
            proc.once('exit', () => ok());
            send('close');
          }),
      });
    });
  });
}

