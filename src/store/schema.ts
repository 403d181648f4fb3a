/**
 * Forward migrations, applied in order; PRAGMA user_version holds how many have run.
 * Never edit a shipped migration: add the next one.
 */
/**
 * SQL: one vote per defender per round, as the defender alone would have judged it (migration 9
 * says how); migration 10 wraps it to leave out rounds the healer decided.
 */
const DEFENDER_VOTES = `
    SELECT v.* FROM votes v WHERE v.turn = 0
    UNION ALL
    SELECT v.* FROM votes v JOIN turns t ON t.run_id = v.run_id AND t.round = v.round AND t.turn = v.turn
    WHERE t.role = 'user' AND CASE WHEN v.verdict = 'block'
      THEN NOT EXISTS (SELECT 1 FROM votes w JOIN turns u ON u.run_id = w.run_id AND u.round = w.round AND u.turn = w.turn
        WHERE w.run_id = v.run_id AND w.round = v.round AND w.defender = v.defender AND u.role = 'user' AND u.step < t.step AND w.verdict = 'block')
      ELSE t.decisive = 1 AND NOT EXISTS (SELECT 1 FROM votes w JOIN turns u ON u.run_id = w.run_id AND u.round = w.round AND u.turn = w.turn
        WHERE w.run_id = v.run_id AND w.round = v.round AND w.defender = v.defender AND u.role = 'user' AND w.verdict = 'block') END
    UNION ALL
    SELECT v.* FROM votes v JOIN turns t ON t.run_id = v.run_id AND t.round = v.round AND t.turn = v.turn
    WHERE t.role = 'attempt' AND CASE WHEN v.verdict != 'block'
      THEN NOT EXISTS (SELECT 1 FROM votes w JOIN turns u ON u.run_id = w.run_id AND u.round = w.round AND u.turn = w.turn
        WHERE w.run_id = v.run_id AND w.round = v.round AND w.defender = v.defender AND u.role = 'attempt' AND u.step < t.step AND w.verdict != 'block')
      ELSE t.decisive = 1 AND NOT EXISTS (SELECT 1 FROM votes w JOIN turns u ON u.run_id = w.run_id AND u.round = w.round AND u.turn = w.turn
        WHERE w.run_id = v.run_id AND w.round = v.round AND w.defender = v.defender AND u.role = 'attempt' AND w.verdict != 'block') END`;

export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,                 -- wargame | replay | eval
    status TEXT NOT NULL,               -- running | completed | interrupted | failed | budget_exhausted | quorum_lost
    stop_reason TEXT,
    created_at TEXT NOT NULL,
    finished_at TEXT,
    seed INTEGER NOT NULL,
    tool_version TEXT NOT NULL,
    cast_name TEXT NOT NULL,
    attackers_name TEXT,
    rounds_planned INTEGER NOT NULL,
    batch_size INTEGER NOT NULL,
    replay_of INTEGER REFERENCES runs(id),
    config_json TEXT NOT NULL,
    config_hash TEXT NOT NULL,
    plan_json TEXT NOT NULL
  );
  CREATE TABLE models (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    role TEXT NOT NULL,                 -- defender | attacker
    name TEXT NOT NULL,
    defender_role TEXT,
    provider TEXT NOT NULL,
    model TEXT NOT NULL,
    host TEXT,
    digest TEXT,
    PRIMARY KEY (run_id, role, name)
  );
  CREATE TABLE attacks (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    round INTEGER NOT NULL,
    category TEXT NOT NULL,
    attacker TEXT NOT NULL,
    kind TEXT NOT NULL,                 -- attack | benign
    text TEXT NOT NULL,
    text_length INTEGER NOT NULL,       -- of the full text, before any cap
    truncated INTEGER NOT NULL DEFAULT 0,
    sha256 TEXT NOT NULL,
    refused INTEGER NOT NULL DEFAULT 0,
    strategy TEXT,
    attempts INTEGER NOT NULL DEFAULT 1,
    prompt_tokens INTEGER NOT NULL DEFAULT 0,
    completion_tokens INTEGER NOT NULL DEFAULT 0,
    latency_ms REAL NOT NULL DEFAULT 0,
    source TEXT,                        -- eval corpora: where the row came from
    PRIMARY KEY (run_id, round)
  );
  CREATE TABLE rounds (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    round INTEGER NOT NULL,
    batch INTEGER NOT NULL,
    kind TEXT NOT NULL,
    category TEXT NOT NULL,
    attacker TEXT NOT NULL,
    outcome TEXT NOT NULL,
    decided_by TEXT NOT NULL,           -- healer | consensus | attacker | error
    pattern_id INTEGER,
    votes_block INTEGER NOT NULL DEFAULT 0,
    votes_allow INTEGER NOT NULL DEFAULT 0,
    votes_abstain INTEGER NOT NULL DEFAULT 0,
    calls INTEGER NOT NULL DEFAULT 0,
    score REAL,
    latency_ms REAL NOT NULL DEFAULT 0,
    error TEXT,
    PRIMARY KEY (run_id, round)
  );
  CREATE TABLE votes (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    round INTEGER NOT NULL,
    defender TEXT NOT NULL,
    verdict TEXT NOT NULL,              -- block | allow | abstain
    confidence REAL,
    reason TEXT,
    latency_ms REAL NOT NULL DEFAULT 0,
    prompt_tokens INTEGER NOT NULL DEFAULT 0,
    completion_tokens INTEGER NOT NULL DEFAULT 0,
    error TEXT,
    raw TEXT,
    PRIMARY KEY (run_id, round, defender)
  );
  CREATE TABLE healer_events (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs(id),
    round INTEGER NOT NULL,
    kind TEXT NOT NULL,                 -- pattern_learned | pattern_rejected | pattern_retired | antibody_added
    pattern_id INTEGER,
    pattern TEXT,
    category TEXT,
    source TEXT NOT NULL,               -- ngram | druid | vaccine | immunity
    source_round INTEGER,
    reason TEXT
  );
  CREATE INDEX healer_events_run ON healer_events(run_id, round);
  CREATE TABLE batches (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    batch INTEGER NOT NULL,
    first_round INTEGER NOT NULL,
    last_round INTEGER NOT NULL,
    counts_json TEXT NOT NULL,
    defence_rate REAL,
    defence_ci_low REAL,
    defence_ci_high REAL,
    false_positive_rate REAL,
    PRIMARY KEY (run_id, batch)
  );
  `,
  // 2: immunity (issue 8). Loaded patterns and antibodies keep where they first came from, a
  // loaded antibody keeps its text (a learned one is the attack of source_round), and every round
  // records how many antibodies its defenders were shown and their estimated prompt tokens.
  `
  ALTER TABLE healer_events ADD COLUMN origin_json TEXT;   -- provenance of a loaded pattern or antibody (JSON)
  ALTER TABLE healer_events ADD COLUMN text TEXT;          -- a loaded antibody's text
  ALTER TABLE rounds ADD COLUMN antibodies INTEGER NOT NULL DEFAULT 0;       -- antibodies in each defender prompt
  ALTER TABLE rounds ADD COLUMN antibody_tokens INTEGER NOT NULL DEFAULT 0;  -- their estimated tokens in one prompt (chars / 4)
  `,
  // 3: resilience (issue 6). How every defender held up in every batch (a degraded defender is
  // one that abstained on more than the run's set share), and which process plays a run, so a
  // resume never writes into a run that another live hive process is still playing.
  `
  CREATE TABLE defender_batches (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    batch INTEGER NOT NULL,
    defender TEXT NOT NULL,
    asked INTEGER NOT NULL,             -- votes asked of it in the batch
    abstained INTEGER NOT NULL,
    degraded INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,                    -- the last error it abstained with (capped)
    PRIMARY KEY (run_id, batch, defender)
  );
  ALTER TABLE runs ADD COLUMN owner_pid INTEGER;    -- process playing the run (while status = running)
  ALTER TABLE runs ADD COLUMN owner_host TEXT;
  `,
  // 4: cascade consensus (issue 7). What a round's swarm did not spend: \`calls\` counts the
  // defenders that answered; a cascade also leaves some unasked and cancels calls still in flight
  // once the decision is reached. calls + calls_aborted + calls_skipped = defenders in the cast.
  `
  ALTER TABLE rounds ADD COLUMN calls_aborted INTEGER NOT NULL DEFAULT 0;  -- asked, cancelled in flight when the decision was reached
  ALTER TABLE rounds ADD COLUMN calls_skipped INTEGER NOT NULL DEFAULT 0;  -- never asked: the decision was reached without them
  `,
  // 5: honest numbers (issue 12). Which payload an embedded attack carried (attacks sharing one
  // share their goal), which refusal rule made an answer a refusal, each vote's probability of
  // block (the swarm score is their mean), and the breaches loaded immunity was learned from (so
  // an instant block can be told apart as an exact or near repeat of them).
  `
  ALTER TABLE attacks ADD COLUMN payload TEXT;           -- embedded attacker: <category>/<payload id>
  ALTER TABLE attacks ADD COLUMN refusal_rule TEXT;      -- ATTACKER_REFUSED: the rule that matched (e.g. decline:fr)
  ALTER TABLE votes ADD COLUMN p_block REAL;             -- the defender's probability of block, 0..1, when it gives one
  CREATE TABLE known_breaches (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    source_run INTEGER,                 -- the run it breached, as the immunity file says
    source_round INTEGER,
    sha256 TEXT NOT NULL,               -- of the breach's text ('' when only an antibody's text is known)
    signature TEXT NOT NULL             -- MinHash signature of the text (hex), for near repeats
  );
  CREATE INDEX known_breaches_run ON known_breaches(run_id);
  `,
  // 6: real model servers (issue 13). Reasoning kept apart from verdicts and attacks, every call's
  // stop reason, a call's wait for its host slot apart from its total latency, counts that hive
  // estimated because the server reported none, and rounds judged on a cut text.
  `
  ALTER TABLE votes ADD COLUMN reasoning TEXT;                 -- what a reasoning model thought first (capped); never parsed
  ALTER TABLE votes ADD COLUMN finish_reason TEXT;             -- the provider's stop reason: stop | length | …
  ALTER TABLE votes ADD COLUMN queue_ms REAL;                  -- of latency_ms, the wait for a host slot; null for in-process defenders
  ALTER TABLE votes ADD COLUMN tokens_estimated INTEGER NOT NULL DEFAULT 0;  -- 1: the server reported no counts, hive's tokenizer estimated them
  ALTER TABLE attacks ADD COLUMN reasoning TEXT;               -- what a reasoning attacker thought first; never part of text
  ALTER TABLE attacks ADD COLUMN finish_reason TEXT;           -- the attacker's last call's stop reason
  ALTER TABLE rounds ADD COLUMN judged_truncated INTEGER NOT NULL DEFAULT 0;  -- 1: the swarm judged a cut text (store cap or max_input_chars)
  `,
  // 7: the payload id of a known breach (issue 12), so a block whose payload breached in the
  // provenance of loaded immunity counts as same_payload.
  `
  ALTER TABLE known_breaches ADD COLUMN payload TEXT;         -- the embedded attacker's payload id; '' none (no payload ids); NULL not recorded (older file)
  `,
  // 8: conversations and iterative attackers (issue 17). A conversation round or an attempt
  // sequence keeps every user turn, assistant reply and attempt in `turns`, each judged one with
  // its votes: votes gain `turn` (0 for a single-input round, else the turns row they judged) in
  // their primary key, so the table is rebuilt (SQLite cannot change a primary key in place).
  // `deciding_votes` holds one vote per defender per round: the votes of the judgement that
  // decided the round, so per-defender counts never count a defender twice.
  `
  CREATE TABLE turns (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    round INTEGER NOT NULL,
    turn INTEGER NOT NULL,              -- 1-based position in the round's record; votes.turn points here
    role TEXT NOT NULL,                 -- user | assistant | attempt | alone (a user turn judged without the conversation)
    step INTEGER NOT NULL,              -- the user turn's or the attempt's 1-based number
    text TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    decision TEXT,                      -- block | allow | error | healer; null for assistant replies
    decisive INTEGER NOT NULL DEFAULT 0,  -- 1: this judgement decided the round (its votes are the round's)
    votes_block INTEGER NOT NULL DEFAULT 0,
    votes_allow INTEGER NOT NULL DEFAULT 0,
    votes_abstain INTEGER NOT NULL DEFAULT 0,
    prompt_tokens INTEGER NOT NULL DEFAULT 0,      -- the attacker's, for user turns and attempts
    completion_tokens INTEGER NOT NULL DEFAULT 0,
    feedback TEXT,                      -- attempts: what the attacker was shown of the previous block
    PRIMARY KEY (run_id, round, turn)
  );
  CREATE TABLE votes_v8 (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    round INTEGER NOT NULL,
    turn INTEGER NOT NULL DEFAULT 0,    -- 0: the round's single input; else turns.turn
    defender TEXT NOT NULL,
    verdict TEXT NOT NULL,
    confidence REAL,
    reason TEXT,
    latency_ms REAL NOT NULL DEFAULT 0,
    prompt_tokens INTEGER NOT NULL DEFAULT 0,
    completion_tokens INTEGER NOT NULL DEFAULT 0,
    error TEXT,
    raw TEXT,
    p_block REAL,
    reasoning TEXT,
    finish_reason TEXT,
    queue_ms REAL,
    tokens_estimated INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (run_id, round, turn, defender)
  );
  INSERT INTO votes_v8 (run_id, round, turn, defender, verdict, confidence, reason, latency_ms, prompt_tokens, completion_tokens, error, raw,
    p_block, reasoning, finish_reason, queue_ms, tokens_estimated)
    SELECT run_id, round, 0, defender, verdict, confidence, reason, latency_ms, prompt_tokens, completion_tokens, error, raw,
    p_block, reasoning, finish_reason, queue_ms, tokens_estimated FROM votes ORDER BY rowid;
  DROP TABLE votes;
  ALTER TABLE votes_v8 RENAME TO votes;
  CREATE VIEW deciding_votes AS
    SELECT v.* FROM votes v
    WHERE v.turn = 0 OR EXISTS (SELECT 1 FROM turns t WHERE t.run_id = v.run_id AND t.round = v.round AND t.turn = v.turn AND t.decisive = 1);
  `,
  // 9: the payload turn of an attack conversation (issue 17 break-test), so a conversation stopped
  // at a harmless turn before it (a false alarm that ended the attack) is not counted as a defence.
  // And `defender_votes`: one vote per defender per round as a user counts a defender alone — in a
  // conversation, its vote on the first user turn it blocked (alone, it would have stopped the
  // conversation there), else on the deciding turn; in an iterative round, its vote on the first
  // attempt it did not block (alone, that attempt would have got through), else on the deciding
  // attempt. `deciding_votes` (the deciding judgement's votes) missed a defender's block on an
  // earlier turn of a conversation the swarm stopped later or never.
  `
  ALTER TABLE rounds ADD COLUMN payload_turn INTEGER;         -- attack conversations: the user turn that carries the payload, as the attacker planned it; NULL unknown (an LLM attacker cannot say) or not a conversation
  CREATE VIEW defender_votes AS ${DEFENDER_VOTES};
  `,
  // 10: `defender_votes` leaves out rounds the healer decided (issue 17 break-test), as the
  // report's per-defender figures do: in a conversation or iterative round the healer stopped,
  // a defender that blocked every turn the swarm judged had no vote on the deciding one, so the
  // view held such rounds for some defenders only and README's query disagreed with the report.
  `
  DROP VIEW defender_votes;
  CREATE VIEW defender_votes AS SELECT d.* FROM (${DEFENDER_VOTES}) d JOIN rounds r ON r.run_id = d.run_id AND r.round = d.round WHERE r.decided_by != 'healer';
  `,
  // 11: a defender's alone verdict only where the turns played decide it (issue 17 review). Migration
  // 9's view gave "block" to a defender that blocked every attempt played of an iterative round the
  // swarm breached with refinements left (alone, the attacker would have tried again), "allow" to
  // one that allowed every turn played of a conversation the swarm stopped early (it never saw the
  // later turns), and counted a block of a harmless turn before the payload turn as a detection.
  // `defender_votes` now leaves those rounds out (no row: unknown). A defender not asked on an
  // earlier judged turn (cascade) has an unknown alone verdict too; rounds the healer decided stay
  // out (migration 10). `rounds.attempts_allowed`
  // records how many attempts an iterative round could play, so "the last attempt" is known.
  `
  ALTER TABLE rounds ADD COLUMN attempts_allowed INTEGER;     -- iterative rounds: 1 + the attacker's refinements (a replay: the source's); NULL otherwise
  DROP VIEW defender_votes;
  CREATE VIEW defender_votes AS
    WITH seq AS (                       -- per defender, round and sequence (user turns or attempts): its first deciding vote and its last vote
      SELECT v.run_id, v.round, v.defender, t.role,
        min(CASE WHEN t.role = 'user' AND v.verdict = 'block' THEN t.step WHEN t.role = 'attempt' AND v.verdict != 'block' THEN t.step END) AS decided_at,
        max(t.step) AS last_step
      FROM votes v JOIN turns t ON t.run_id = v.run_id AND t.round = v.round AND t.turn = v.turn
      WHERE t.role IN ('user', 'attempt') GROUP BY v.run_id, v.round, v.defender, t.role
    ),
    judged AS (                         -- the sequence's turns the swarm judged (the healer's stops have no votes)
      SELECT run_id, round, role, step, decision FROM turns WHERE role IN ('user', 'attempt') AND decision IN ('block', 'allow', 'error')
    )
    SELECT v.* FROM votes v JOIN rounds r ON r.run_id = v.run_id AND r.round = v.round WHERE v.turn = 0 AND r.decided_by != 'healer'
    UNION ALL
    SELECT v.* FROM seq s
      JOIN turns t ON t.run_id = s.run_id AND t.round = s.round AND t.role = s.role AND t.step = coalesce(s.decided_at, s.last_step)
      JOIN votes v ON v.run_id = t.run_id AND v.round = t.round AND v.turn = t.turn AND v.defender = s.defender
      JOIN rounds r ON r.run_id = s.run_id AND r.round = s.round
    WHERE r.decided_by != 'healer'
      -- It voted on every turn of the sequence the swarm judged before the one that decides it alone.
      AND (SELECT count(*) FROM judged j WHERE j.run_id = s.run_id AND j.round = s.round AND j.role = s.role AND (s.decided_at IS NULL OR j.step < s.decided_at))
        = (SELECT count(*) FROM votes w JOIN turns u ON u.run_id = w.run_id AND u.round = w.round AND u.turn = w.turn
           WHERE w.run_id = s.run_id AND w.round = s.round AND w.defender = s.defender AND u.role = s.role AND u.decision IN ('block', 'allow', 'error')
             AND (s.decided_at IS NULL OR u.step < s.decided_at))
      AND CASE
        -- A conversation it blocked: a detection (or a false positive), unless the block fell before the payload turn.
        WHEN s.role = 'user' AND s.decided_at IS NOT NULL THEN NOT (r.kind = 'attack' AND r.payload_turn IS NOT NULL AND s.decided_at < r.payload_turn)
        -- A conversation it let through: known when it saw the payload turn, or when nothing stopped
        -- the conversation before its end (a replay's recording that ran out is not its end).
        WHEN s.role = 'user' THEN (r.kind = 'attack' AND r.payload_turn IS NOT NULL AND s.last_step >= r.payload_turn)
          OR (r.outcome != 'RECORDING_ENDED' AND NOT EXISTS (SELECT 1 FROM turns u WHERE u.run_id = s.run_id AND u.round = s.round AND u.role = 'user' AND u.decision IN ('block', 'healer')))
        -- An attempt it let through: alone, that attempt would have got through.
        WHEN s.decided_at IS NOT NULL THEN 1
        -- Every attempt blocked: known when the sequence ended for want of attempts (the last was
        -- blocked by the swarm, the attacker gave up, or it was the last allowed), not at a breach
        -- or a healer stop with refinements left, nor where a replay's recording ran out.
        ELSE r.outcome != 'RECORDING_ENDED' AND (SELECT CASE WHEN u.decision = 'block' OR u.decision IS NULL THEN 1 WHEN u.decision = 'allow' THEN u.step >= coalesce(r.attempts_allowed, u.step + 1) ELSE 0 END
              FROM turns u WHERE u.run_id = s.run_id AND u.round = s.round AND u.role = 'attempt' ORDER BY u.step DESC LIMIT 1) = 1
      END;
  `,
];

/** Marks a file as a hive database ("HIVE" in ASCII), so hive never writes into someone else's. */
export const APPLICATION_ID = 0x48495645;
