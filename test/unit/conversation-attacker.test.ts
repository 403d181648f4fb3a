/**
 * The embedded multi-turn attacker: escalations composed from parts, the payload only in the last
 * turn, held-out payloads only in the held-out phase, deterministic per round; its turns before
 * the last, judged alone by the embedded swarm, are blocked no more often than the benign controls
 * (measured over a few hundred conversations, numbers printed); a rewrite after a block keeps the
 * payload and changes the wording.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { escalation, refinedAttack } from '../../src/attack/conversation/escalation.js';
import { createEmbeddedAttacker } from '../../src/attack/embedded-attacker.js';
import { isHeldOutIndex } from '../../src/attack/composer/phase.js';
import { loadConversations, type ConversationParts } from '../../src/config/conversations.js';
import { loadCast } from '../../src/config/load.js';
import { DEFAULT_PATHS } from '../../src/config/paths.js';
import { loadScenarios, type ScenarioFolder } from '../../src/config/scenarios.js';
import { thresholdConsensus } from '../../src/defense/consensus.js';
import { createEmbeddedDefender, createEmbeddedKnowledge, EMBEDDED_DETECTORS } from '../../src/defense/embedded/index.js';
import { judge } from '../../src/defense/swarm.js';
import type { Defender } from '../../src/domain.js';
import { planBriefs } from '../helpers/briefs.js';

let folder: ScenarioFolder;
let parts: ConversationParts;
beforeAll(() => {
  folder = loadScenarios(join(import.meta.dirname, '..', '..', 'scenarios'));
  parts = loadConversations(folder.dir);
});

function briefs(seed: number, rounds: number, freezeAfter?: number) {
  return planBriefs(folder, { seed, rounds, benignRatio: 0, freezeAfter });
}

describe('the embedded multi-turn attacker', () => {
  it('escalates in 3 to maxTurns turns from the parts, with the composed payload only in a bridge at the end', () => {
    for (const b of briefs(5, 120)) {
      const e = escalation(b, 5, parts.categories.get(b.category)!.escalation, folder.attackParts);
      expect(e.turns.length).toBeGreaterThanOrEqual(3);
      expect(e.turns.length).toBeLessThanOrEqual(5);
      const esc = parts.categories.get(b.category)!.escalation;
      expect(esc.openers.some((o) => o.split('{')[0]!.length > 0 && e.turns[0]!.startsWith(o.split('{')[0]!))).toBe(true);
      expect(e.strategy).toMatch(/^o\d+(\+r\d+)+(\+f\d+)*\+b\d+\|/);
      expect(e.payload.startsWith(`${b.category}/`)).toBe(true);
      // Same brief, same conversation.
      expect(escalation(b, 5, esc, folder.attackParts)).toEqual(e);
    }
    const one = briefs(5, 13)[0]!;
    expect(escalation(one, 1, parts.categories.get(one.category)!.escalation, folder.attackParts).turns).toHaveLength(1);
  });

  it('uses held-out payloads only in the held-out phase (the --freeze-healer-after rule)', () => {
    for (const b of briefs(9, 260, 130)) {
      const e = escalation(b, 5, parts.categories.get(b.category)!.escalation, folder.attackParts);
      const id = e.payload.split('/')[1]!;
      const m = /^p(\d+)$/.exec(id);
      if (m) expect(isHeldOutIndex(Number(m[1])), `${e.payload} round ${b.round}`).toBe(b.heldOut);
    }
  });

  it('is played turn by turn through converse, and ends with the final turn', async () => {
    const attacker = createEmbeddedAttacker('e', 'mutator', folder.attackParts, () => parts);
    const b = briefs(3, 1)[0]!;
    const whole = escalation(b, 4, parts.categories.get(b.category)!.escalation, folder.attackParts);
    const played: string[] = [];
    for (let turn = 1; ; turn++) {
      const t = await attacker.converse!({ ...b, recentBlocked: [], conversation: [], turn, maxTurns: 4 });
      played.push(t.text);
      if (t.final) break;
    }
    expect(played).toEqual(whole.turns);
  });

  it('rewrites a blocked attack with other framings or obfuscations', () => {
    let changed = 0;
    const all = briefs(11, 130);
    for (const b of all) {
      const first = refinedAttack(b, 2, folder.attackParts);
      const second = refinedAttack(b, 3, folder.attackParts);
      expect(first.strategy).toMatch(/\+a2$/);
      if (first.text !== second.text) changed += 1;
    }
    expect(changed).toBeGreaterThan(all.length * 0.9);
  });

  it('its turns before the last, judged alone by the embedded swarm, are blocked no more often than the benign controls', async () => {
    const knowledge = createEmbeddedKnowledge(folder);
    const defenders: Defender[] = EMBEDDED_DETECTORS.map((model) => createEmbeddedDefender({ name: model, role: 'generic', model, knowledge }));
    // The shipped cast's own rule (it was 3 of 5 when this was written; it is read, not restated).
    const consensus = thresholdConsensus(loadCast(DEFAULT_PATHS.cast).consensus);
    const blocked = async (text: string, kind: 'attack' | 'benign'): Promise<boolean> =>
      (await judge(defenders, consensus, 'parallel', { round: 1, kind, category: 'prompt_injection', text }, { antibodies: [], nonce: 'n' })).decision.decision === 'block';
    let early = 0;
    let earlyBlocked = 0;
    const conversations = briefs(21, 300);
    for (const b of conversations) {
      const e = escalation(b, 5, parts.categories.get(b.category)!.escalation, folder.attackParts);
      for (const t of e.turns.slice(0, -1)) {
        early += 1;
        if (await blocked(t, 'attack')) earlyBlocked += 1;
      }
    }
    let controls = 0;
    let controlsBlocked = 0;
    for (const s of folder.categories.values()) {
      for (const t of s.controls) {
        controls += 1;
        if (await blocked(t, 'benign')) controlsBlocked += 1;
      }
    }
    const earlyRate = earlyBlocked / early;
    const controlRate = controlsBlocked / controls;
    console.log(
      `conversation turns before the last, judged alone: ${earlyBlocked}/${early} blocked (${(100 * earlyRate).toFixed(1)}%) over ${conversations.length} conversations; benign controls: ${controlsBlocked}/${controls} blocked (${(100 * controlRate).toFixed(1)}%)`,
    );
    expect(early).toBeGreaterThan(600);
    expect(earlyRate).toBeLessThanOrEqual(controlRate);
  }, 120_000);
});
