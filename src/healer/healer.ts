import type { CategoryId } from '../categories.js';
import type { HealerConfig } from '../config/schemas.js';
import type { Antibody, HealerEvent, HealerEventKind, PatternSource, Provenance } from '../domain.js';
import { candidatePatterns, isDistinctive, pickPatterns } from './extract.js';
import { AntibodyIndex } from './antibody-index.js';
import { LiteralMatcher } from './literal-matcher.js';
import { SignatureCache } from './signature-cache.js';
import { normalizeText } from '../util/normalize.js';

export type { HealerEvent, HealerEventKind, PatternSource, Provenance } from '../domain.js';

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
  origin: Provenance | null;
}

export interface HealerMatch {
  patternId: number;
  pattern: string;
}

export interface Breach {
  round: number;
  /** Null for an uncategorised eval row. */
  category: CategoryId | null;
  text: string;
}

/** Phrases a druid defender proposed for one breach. */
export interface DruidProposal {
  defender: string;
  phrases: readonly string[];
  /** Why the druid proposed nothing (call failed, answer unreadable). */
  error?: string;
}

/**
 * The benign texts no learned pattern may occur in: the scenario folder's guard pool (never the
 * scored controls) and its benign carrier documents. A pattern found in either is rejected, with
 * a reason that says which.
 */
export interface HealerGuard {
  texts: readonly string[];
  carriers?: readonly string[];
}

export interface HealerOptions {
  /** Learn nothing (patterns, antibodies, retirements) from rounds after this one: a held-out phase. */
  freezeAfter?: number | undefined;
}

/** Antibodies keep this much of a breach: enough to recognise it, small enough for a prompt. */
export const ANTIBODY_CHARS = 600;
/** A proposed literal longer than this is not a "short indicator phrase". */
const MAX_PROPOSED_CHARS = 120;
const MAX_PROPOSED_WORDS = 12;

interface StoredAntibody {
  antibody: Antibody;
  visibleFrom: number;
  /** Normalised text, to load each antibody once. */
  key: string;
}

/**
 * The auto-healer: a blocklist of literal patterns learned from breaches, and antibodies (past
 * breaches) shown to defenders. Everything it knows is tagged with the round it came from, and
 * round r only sees what came from rounds <= r - lag, so outcomes do not depend on timing.
 * `screen` and `antibodies` are pure; `learn` and `recordHit` are called in round order.
 *
 * Visibility rule (resume rebuilds state from stored events with it): what an event of round
 * r > 0 added is visible from round r + lag; what an event of round 0 added (vaccines, immunity
 * files) is visible from round 1.
 */
export class Healer {
  private readonly matcher = new LiteralMatcher();
  private readonly states: PatternState[] = [];
  private readonly byText = new Map<string, PatternState>();
  private readonly antibodyList: StoredAntibody[] = [];
  /** Finds the antibodies nearest an input without comparing it with every one (antibody-index.ts). */
  private readonly antibodyIndex = new AntibodyIndex();
  private readonly antibodyKeys = new Set<string>();
  /** Signatures of the texts signed last: repeated controls and a breach's second signing cost nothing (signature-cache.ts). */
  private readonly signatures = new SignatureCache();
  /**
   * The guard's normalised texts joined by a newline, which no normalised pattern holds: one
   * substring search over the whole pool finds what a search of each text would, at a fraction of
   * the cost (a breach offers hundreds of candidates, the pool holds hundreds of texts).
   */
  private readonly guard: string;
  private readonly carriers: string;
  private readonly freezeAfter: number | undefined;

  constructor(
    readonly config: HealerConfig,
    guard: HealerGuard,
    options: HealerOptions = {},
  ) {
    this.guard = guard.texts.map(normalizeText).join('\n');
    this.carriers = (guard.carriers ?? []).map(normalizeText).join('\n');
    this.freezeAfter = options.freezeAfter;
  }

  get lag(): number {
    return this.config.lag;
  }

  /** The round from which what round `round` taught is visible (see the class comment). */
  visibleFromFor(round: number): number {
    return round === 0 ? 1 : round + this.config.lag;
  }

  /** Whether the healer still learns from round `round` (false in the held-out phase). */
  learning(round: number): boolean {
    return this.freezeAfter === undefined || round <= this.freezeAfter;
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

  /**
   * Turns a breach into patterns (guarded against benign texts) and an antibody. Druid proposals,
   * when there are any, are offered first; the n-gram extractor fills in when no druid phrase
   * covers the breach (the druid failed, proposed nothing, or only phrases that were refused), so
   * a breach never leaves the blocklist untouched just because a model answered badly.
   */
  learn(breach: Breach, proposals: readonly DruidProposal[] = []): HealerEvent[] {
    if (!this.learning(breach.round)) return [];
    const events: HealerEvent[] = [];
    const visibleFrom = this.visibleFromFor(breach.round);
    let covered = false;
    const breachText = proposals.length > 0 ? normalizeText(breach.text) : '';
    for (const p of proposals) {
      if (p.phrases.length === 0) {
        const why = p.error ?? 'an empty list';
        events.push(this.event('pattern_rejected', breach.round, null, null, breach.category, 'druid', breach.round, `${p.defender} proposed nothing: ${why}`));
        continue;
      }
      for (const phrase of p.phrases.slice(0, this.config.patterns_per_breach)) {
        const literal = normalizeText(phrase);
        // A druid reads attacker-written text; it may only pick phrases the attack contains, so an
        // attack cannot talk it into blocklisting arbitrary text.
        const inBreach = breachText.includes(literal);
        const e = inBreach
          ? this.propose(phrase, { round: breach.round, category: breach.category, source: 'druid', sourceRound: breach.round, visibleFrom })
          : this.event('pattern_rejected', breach.round, null, literal, breach.category, 'druid', breach.round, 'not found in the breach');
        e.reason = e.kind === 'pattern_learned' ? `proposed by ${p.defender}` : `${e.reason} (proposed by ${p.defender})`;
        events.push(e);
        // A phrase the healer already holds (and has not retired) covers this breach like a new one.
        const held = this.byText.get(literal);
        if (inBreach && held && held.retiredAt === null) covered = true;
      }
    }
    if (!covered) events.push(...this.learnNgrams(breach, visibleFrom));
    if (this.config.antibodies > 0) {
      this.addAntibody({ sourceRound: breach.round, category: breach.category, text: breach.text.slice(0, ANTIBODY_CHARS) }, visibleFrom);
      events.push(this.event('antibody_added', breach.round, null, null, breach.category, 'ngram', breach.round, null));
    }
    return events;
  }

  private learnNgrams(breach: Breach, visibleFrom: number): HealerEvent[] {
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
    const events = [...rejected];
    for (const c of picked) {
      const state = this.add(c.pattern, breach.category, 'ngram', breach.round, visibleFrom, null);
      events.push(this.event('pattern_learned', breach.round, state.id, state.pattern, breach.category, 'ngram', breach.round, null));
    }
    return events;
  }

  /**
   * Offers a literal from elsewhere (druid, vaccine, immunity file). It passes the same benign
   * guard as learned patterns, and must be specific: at least two words, one of them not an
   * everyday word, and short. `visibleFrom` says from which round it screens.
   */
  propose(
    literal: string,
    meta: {
      round: number;
      category: CategoryId | null;
      source: PatternSource;
      sourceRound: number | null;
      visibleFrom: number;
      origin?: Provenance | null;
    },
  ): HealerEvent {
    const pattern = normalizeText(literal);
    // Specificity is checked for new proposals; an immunity pattern was learned (and checked) in
    // an earlier run, so only the guard of this run's benign texts applies to it.
    const specific = meta.source === 'immunity' ? (pattern.trim() === '' ? 'empty' : null) : this.specificityReason(pattern);
    const reason = specific ?? (this.byText.has(pattern) ? 'already known' : this.guardReason(pattern));
    const origin = meta.origin ?? null;
    if (reason) {
      const e = this.event('pattern_rejected', meta.round, null, pattern, meta.category, meta.source, meta.sourceRound, reason);
      return origin ? { ...e, origin } : e;
    }
    const state = this.add(pattern, meta.category, meta.source, meta.sourceRound, meta.visibleFrom, origin);
    const e = this.event('pattern_learned', meta.round, state.id, state.pattern, meta.category, meta.source, meta.sourceRound, null);
    return origin ? { ...e, origin } : e;
  }

  /** Loads an antibody from an immunity file, visible from round 1. Returns undefined for a duplicate. */
  loadAntibody(antibody: Antibody, origin: Provenance): HealerEvent | undefined {
    const text = antibody.text.slice(0, ANTIBODY_CHARS);
    if (!this.addAntibody({ ...antibody, sourceRound: 0, text }, this.visibleFromFor(0), true)) return undefined;
    return { ...this.event('antibody_added', 0, null, null, antibody.category, 'immunity', origin.round, null), origin, text };
  }

  /** Counts a blocklist hit; a hit on a benign control retires the pattern (unless the healer is frozen). */
  recordHit(match: HealerMatch, round: number, benign: boolean): HealerEvent[] {
    const state = this.states[match.patternId];
    if (!state) return [];
    if (!benign) {
      state.hits += 1;
      return [];
    }
    state.falsePositiveHits += 1;
    if (state.retiredAt !== null || !this.learning(round)) return [];
    state.retiredAt = round;
    return [this.event('pattern_retired', round, state.id, state.pattern, state.category, state.source, state.sourceRound, `blocked the benign control of round ${round}`)];
  }

  /**
   * The antibodies a defender judging `input` at `round` is shown: the `limit` visible ones most
   * similar to the input (MinHash over character shingles), ties broken newest first, so the
   * prompt stays bounded and relevant however many breaches the run has seen. Without an input,
   * the latest ones, oldest first.
   */
  antibodies(round: number, input?: string, limit = this.config.antibodies): Antibody[] {
    if (limit <= 0) return [];
    if (input === undefined) return this.antibodyList.filter((a) => a.visibleFrom <= round).slice(-limit).map((a) => a.antibody);
    // A breach that got through twice is one lesson: show it once (same key).
    const list = this.antibodyList;
    return this.antibodyIndex
      .nearest(this.signatures.of(input), limit, (i) => (list[i] as StoredAntibody).visibleFrom <= round, (i) => (list[i] as StoredAntibody).key)
      .map((i) => (list[i] as StoredAntibody).antibody);
  }

  /**
   * Re-applies a stored event without checking it again (resume): replaying a run's events in
   * order, then its hits with `restoreHit`, gives back the state the run had. A learned antibody's
   * text is the stored attack of its source round, passed as `breachText`.
   */
  restore(event: HealerEvent, breachText?: string): void {
    if (event.kind === 'pattern_learned' && event.pattern !== null) {
      const state = this.add(event.pattern, event.category, event.source, event.sourceRound, this.visibleFromFor(event.round), event.origin ?? null);
      if (event.patternId !== null && state.id !== event.patternId) {
        throw new Error(`healer restore: pattern ${event.patternId} came back as ${state.id}; the stored events are out of order`);
      }
    } else if (event.kind === 'pattern_retired' && event.patternId !== null) {
      const state = this.states[event.patternId];
      if (state && state.retiredAt === null) state.retiredAt = event.round;
    } else if (event.kind === 'antibody_added') {
      const text = event.text ?? breachText;
      if (text === undefined) return;
      const loaded = event.round === 0;
      this.addAntibody(
        { sourceRound: loaded ? 0 : (event.sourceRound ?? event.round), category: event.category, text: text.slice(0, ANTIBODY_CHARS) },
        this.visibleFromFor(event.round),
        loaded,
      );
    }
  }

  /** Counts a stored hit again (resume); retirements come back through `restore`. */
  restoreHit(patternId: number, benign: boolean): void {
    const state = this.states[patternId];
    if (!state) return;
    if (benign) state.falsePositiveHits += 1;
    else state.hits += 1;
  }

  patterns(): readonly PatternState[] {
    return this.states;
  }

  /** Every antibody held, visible or not yet, in the order learned. */
  allAntibodies(): readonly Antibody[] {
    return this.antibodyList.map((a) => a.antibody);
  }

  private specificityReason(pattern: string): string | null {
    const words = pattern.trim().split(' ').filter(Boolean);
    if (words.length < 2 || pattern.length < 8) return 'too short to be specific';
    if (words.length > MAX_PROPOSED_WORDS || pattern.length > MAX_PROPOSED_CHARS) return 'too long for a literal indicator';
    if (!words.some(isDistinctive)) return 'made only of everyday words';
    return null;
  }

  private guardReason(pattern: string): string | null {
    if (this.guard.includes(pattern)) return 'occurs in a benign text';
    if (this.carriers.includes(pattern)) return 'occurs in a benign carrier document';
    return null;
  }

  /** Learned antibodies are always kept (each breach is an event); loaded ones (`once`) are skipped when already held. */
  private addAntibody(antibody: Antibody, visibleFrom: number, once = false): boolean {
    const key = normalizeText(antibody.text);
    if (once && this.antibodyKeys.has(key)) return false;
    this.antibodyKeys.add(key);
    // Its MinHash signature lives in the index only (antibody-index.ts).
    this.antibodyList.push({ antibody, visibleFrom, key });
    this.antibodyIndex.add(this.signatures.of(antibody.text));
    return true;
  }

  private add(
    pattern: string,
    category: CategoryId | null,
    source: PatternSource,
    sourceRound: number | null,
    visibleFrom: number,
    origin: Provenance | null,
  ): PatternState {
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
      origin,
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
