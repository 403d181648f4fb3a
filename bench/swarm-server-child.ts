/**
 * The bench's model server in a process of its own (forked by bench/run.ts), so answering the
 * swarm's HTTP calls does not take CPU from the hive process being measured: on a two-core machine
 * one core runs hive, the other plays the GPUs. Talks to its parent over the IPC channel:
 * `{ ready: url }` once listening; `stats` → `{ stats }`; `reset` → `{ stats }` once reset; `close` → exits.
 */
import { loadScenarios } from '../src/config/scenarios.js';
import { DEFAULT_PATHS } from '../src/config/paths.js';
import { callKey, type CallMark } from './gap.js';
import { startSwarmServer } from './swarm-server.js';

export type ServerStats = { aborted: number; maxInFlight: number; inFlight: number; chatByModel: Record<string, number> };
export type ToServer = 'stats' | 'reset' | 'close' | 'calls';
export type FromServer = { ready: string } | { stats: ServerStats } | { calls: CallMark[] };

const latencyMs = Number(process.argv[2] ?? 100);
/** Every call since the last reset, for the gap breakdown (gap.ts): a few thousand per run. */
let calls: CallMark[] = [];
const server = await startSwarmServer(latencyMs, loadScenarios(DEFAULT_PATHS.scenarios).categories, (c) =>
  calls.push({ key: callKey(c.input), model: c.model, start: c.end - latencyMs, end: c.end, attacker: c.attacker }),
);
const send = (m: FromServer): void => void process.send?.(m);

const sendStats = (): void => {
  const { aborted, maxInFlight, inFlight, chatByModel } = server.stats;
  send({ stats: { aborted, maxInFlight, inFlight, chatByModel: { ...chatByModel } } });
};
process.on('message', (m: ToServer) => {
  if (m === 'stats') {
    sendStats();
  } else if (m === 'calls') {
    send({ calls });
  } else if (m === 'reset') {
    server.resetStats();
    calls = [];
    sendStats();
  } else if (m === 'close') {
    void server.close().then(() => process.exit(0));
  }
});
// The log of every request is for tests; a bench run would only grow it.
setInterval(() => void (server.stats.chatLog.length = 0), 1000).unref();
send({ ready: server.url });
