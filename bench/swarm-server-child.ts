/**
 * The bench's model server in a process of its own (forked by bench/run.ts), so answering the
 * swarm's HTTP calls does not take CPU from the hive process being measured: on a two-core machine
 * one core runs hive, the other plays the GPUs. Talks to its parent over the IPC channel:
 * `{ ready: url }` once listening; `stats` → `{ stats }`; `reset` → `{ stats }` once reset; `close` → exits.
 */
import { loadScenarios } from '../src/config/scenarios.js';
import { DEFAULT_PATHS } from '../src/config/paths.js';
import { startSwarmServer } from './swarm-server.js';

export type ServerStats = { aborted: number; maxInFlight: number; inFlight: number; chatByModel: Record<string, number> };
export type ToServer = 'stats' | 'reset' | 'close';
export type FromServer = { ready: string } | { stats: ServerStats };

const latencyMs = Number(process.argv[2] ?? 100);
const server = await startSwarmServer(latencyMs, loadScenarios(DEFAULT_PATHS.scenarios).categories);
const send = (m: FromServer): void => void process.send?.(m);

const sendStats = (): void => {
  const { aborted, maxInFlight, inFlight, chatByModel } = server.stats;
  send({ stats: { aborted, maxInFlight, inFlight, chatByModel: { ...chatByModel } } });
};
process.on('message', (m: ToServer) => {
  if (m === 'stats') {
    sendStats();
  } else if (m === 'reset') {
    server.resetStats();
    sendStats();
  } else if (m === 'close') {
    void server.close().then(() => process.exit(0));
  }
});
// The log of every request is for tests; a bench run would only grow it.
setInterval(() => void (server.stats.chatLog.length = 0), 1000).unref();
send({ ready: server.url });
