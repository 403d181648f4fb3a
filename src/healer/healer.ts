import type { CategoryId } from '../categories.js';
import type { HealerConfig } from '../config/schemas.js';
import type { Antibody } from '../domain.js';
import { candidatePatterns, pickPatterns } from './extract.js';
import { LiteralMatcher } from './literal-matcher.js';
import { normalizeText } from './normalize.js';

export type PatternSource = 'ngram' | 'druid' | 'vaccine' | 'immunity';
export type HealerEventKind = 'pattern_learned' | 'pattern_rejected' | 'pattern_retired' | 'antibody_added';

export interface HealerEvent {
  kind: HealerEventKind;
  /** The round during whose finalisation this happened (0: before the first round). */
  round: number;
  patternId: number | null;
  pattern: string | null;
  category: CategoryId | null;
  source: PatternSource;
  /** The breach it came from, when it came from one. */
  sourceRound: number | null;
  reason: string | null;
}

export interface PatternState {
  id: number;
  pattern: string;
  category: CategoryId | null;
  source: PatternSource;
  sourceRound: number | null;
  /** First round screened with it. */
  visibleFrom: number;
  /** Round of the benign hit that retired it; rounds from retiredAt + lag on no longer see it. */
  retiredAt: number | null;
  hits: number;
  falsePositiveHits: number;
}

export interface HealerMatch {
  patternId: number;
  pattern: string;
}

export interface Breach {
  round: number;
  category: CategoryId;
  text: string;
}

const ANTIBODY_CHARS = 600;

/**
 * The auto-healer: a blocklist of literal patterns learned from breaches, and antibodies (past
 * breaches) shown to defenders. Everything it knows is tagged with the round it came from, and
 * round r only sees what came from rounds <= r - lag, so outcomes do not depend on timing.
 * `screen` and `antibodies` are pure; `learn` and `recordHit` are called in round order.
 */
export class Healer {
  private readonly matcher = new LiteralMatcher();
  private readonly states: PatternState[] = [];
  private readonly byText = new Map<string, PatternState>();
  private readonly antibodyList: Antibody[] = [];
  private readonly guard: string[];

  constructor(
    readonly config: HealerConfig,
    guardTexts: readonly string[],
  ) {
    this.guard = guardTexts.map(normalizeText);
  }

  get lag(): number {
    return this.config.lag;
  }

  screen(text: string, round: number): HealerMatch | undefined {
    if (this.states.length === 0) return undefined;
    const visible = (id: number): boolean => {
      const s = this.states[id] as PatternState;
      return s.visibleFrom <= round && (s.retiredAt === null || round < s.retiredAt + this.config.lag);
    };
    const [id] = this.matcher.find(normalizeText(text), visible, true);
    if (id === undefined) return undefined;
    return { patternId: id, pattern: (this.states[id] as PatternState).pattern };
  }

  /** Turns a breach into patterns (guarded against benign texts) and an antibody. */
  learn(breach: Breach): HealerEvent[] {
    const events: HealerEvent[] = [];
    const rejected: HealerEvent[] = [];
    const picked = pickPatterns(candidatePatterns(breach.text), this.config.patterns_per_breach, (c) => {
      if (this.byText.has(c.pattern)) return false;
      const reason = this.guardReason(c.pattern);
      if (reason) {
        // Report only the first few rejections: a long breach has hundreds of candidates.
        if (rejected.length < this.config.patterns_per_breach) {
          rejected.push(this.event('pattern_rejected', breach.round, null, c.pattern, breach.category, 'ngram', breach.round, reason));
        }
        return false;
      }
      return true;
    });
    events.push(...rejected);
    for (const c of picked) {
      const state = this.add(c.pattern, breach.category, 'ngram', breach.round, breach.round + this.config.lag);
      events.push(this.event('pattern_learned', breach.round, state.id, state.pattern, breach.category, 'ngram', breach.round, null));
    }
    if (this.config.antibodies > 0) {
      this.antibodyList.push({ sourceRound: breach.round, category: breach.category, text: breach.text.slice(0, ANTIBODY_CHARS) });
      events.push(this.event('antibody_added', breach.round, null, null, breach.category, 'ngram', breach.round, null));
    }
    return events;
  }

  /**
   * Offers a literal from elsewhere (druid, vaccine, immunity file). It passes the same benign
   * guard as learned patterns; `visibleFrom` says from which round it screens.
   */
  propose(
    literal: string,
    meta: { round: number; category: CategoryId | null; source: PatternSource; sourceRound: number | null; visibleFrom: number },
  ): HealerEvent {
    const pattern = normalizeText(literal);
    const words = pattern.trim().split(' ').filter(Boolean);
    const reason =
      words.length < 2 || pattern.length < 8
        ? 'too short to be specific'
        : this.byText.has(pattern)
          ? 'already known'
          : this.guardReason(pattern);
    if (reason) return this.event('pattern_rejected', meta.round, null, pattern, meta.category, meta.source, meta.sourceRound, reason);
    const state = this.add(pattern, meta.category, meta.source, meta.sourceRound, meta.visibleFrom);
    return this.event('pattern_learned', meta.round, state.id, state.pattern, meta.category, meta.source, meta.sourceRound, null);
  }

  /** Counts a blocklist hit; a hit on a benign control retires the pattern. */
  recordHit(match: HealerMatch, round: number, benign: boolean): HealerEvent[] {
    const state = this.states[match.patternId];
    if (!state) return [];
    if (!benign) {
      state.hits += 1;
      return [];
    }
    state.falsePositiveHits += 1;
    if (state.retiredAt !== null) return [];
    state.retiredAt = round;
    return [this.event('pattern_retired', round, state.id, state.pattern, state.category, state.source, state.sourceRound, `blocked the benign control of round ${round}`)];
  }

  /** The latest antibodies visible to `round`, newest last. */
  antibodies(round: number, limit = this.config.antibodies): Antibody[] {
    if (limit <= 0) return [];
    const visible = this.antibodyList.filter((a) => a.sourceRound + this.config.lag <= round);
    return visible.slice(-limit);
  }

  patterns(): readonly PatternState[] {
    return this.states;
  }

  private guardReason(pattern: string): string | null {
    for (const g of this.guard) if (g.includes(pattern)) return 'occurs in a benign text';
    return null;
  }

  private add(pattern: string, category: CategoryId | null, source: PatternSource, sourceRound: number | null, visibleFrom: number): PatternState {
    const state: PatternState = {
      id: this.states.length,
      pattern,
      category,
      source,
      sourceRound,
      visibleFrom,
      retiredAt: null,
      hits: 0,
      falsePositiveHits: 0,
    };
    this.states.push(state);
    this.byText.set(pattern, state);
    this.matcher.add(pattern, state.id);
    return state;
  }

  private event(
    kind: HealerEventKind,
    round: number,
    patternId: number | null,
    pattern: string | null,
    category: CategoryId | null,
    source: PatternSource,
    sourceRound: number | null,
    reason: string | null,
  ): HealerEvent {
    return { kind, round, patternId, pattern, category, source, sourceRound, reason };
  }
}
