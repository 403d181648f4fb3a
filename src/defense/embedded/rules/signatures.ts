import type { CategoryId } from '../../../categories.js';
import { AI_STRICT, CONF_NOUN, REVEAL_EN as REVEAL, RULE_NOUN_EN as RULE_NOUN, SECRET_CONF } from './words.js';

/** Verbs that ask for text as it is (not "read", "explain", "send": those are ordinary requests). */
const REVEAL_STRONG = 'show|print|reveal|repeat|output|paste|display|tell|spell|quote|recite|dump|list|write|leak|expose|disclose|echo|reproduce';

/**
 * Curated phrase signatures per category (English; i18n.ts has the other languages), written
 * for hive from the category definitions and the scenario exemplars, never from the attacker's
 * templates nor from the development corpus. Syntax: see phrases.ts (`a|b` alternatives, `~N`
 * gap, `(x y|z)` phrase groups, `#` any number). Words are stemmed, so list one form of each word.
 */

export interface SignatureRule {
  category: CategoryId;
  /** 0..1: how sure a single hit is (scores combine by noisy-or). */
  weight: number;
  label: string;
  pattern: string;
}

export const SIGNATURES: readonly SignatureRule[] = [
  // prompt_injection: direct override of the assistant's rules.
  { category: 'prompt_injection', weight: 0.85, label: 'rules declared void', pattern: `(your|previous|prior|earlier|original|initial|system|above|those) ~2 ${RULE_NOUN} ~4 (no longer|dont|do not|does not|doesnt) ~1 apply|applies|bind|binding|valid|count|matter|exist` },
  { category: 'prompt_injection', weight: 0.85, label: 'rules declared void', pattern: `(your|previous|prior|earlier|original|initial|system|above) ~2 ${RULE_NOUN} ~3 (are|is|have|has|been|were) ~2 void|revoked|suspended|lifted|disabled|cancelled|canceled|deleted|removed|nullified|invalid|obsolete|overridden|waived` },
  { category: 'prompt_injection', weight: 0.9, label: 'fake end of system prompt', pattern: 'end ~2 (system prompt|system message|system instructions|instructions|prompt)' },
  { category: 'prompt_injection', weight: 0.85, label: 'replacement system prompt', pattern: 'new|updated|real|actual|revised|true|patched ~2 (system prompt|system message|system instructions)' },
  { category: 'prompt_injection', weight: 0.85, label: 'do not follow instructions', pattern: `(do not|dont|stop|never|no longer) ~1 follow|obey|apply ~2 (previous|prior|earlier|above|original|initial|system|your) ~2 ${RULE_NOUN}` },
  { category: 'prompt_injection', weight: 0.8, label: 'unrestricted mode', pattern: 'unrestricted|unfiltered|uncensored|unlimited|jailbreak|jailbroken|god|dan|sudo|freedom ~1 mode' },
  { category: 'prompt_injection', weight: 0.75, label: 'no restrictions left', pattern: '(no|zero|without) ~2 restrictions|limits|filters|filtering|rules|constraints|guardrails|limitations ~2 (left|anymore|now|at all|whatsoever)' },
  { category: 'prompt_injection', weight: 0.8, label: 'priority over system', pattern: 'higher|highest|top|override|overriding ~2 priority ~4 (than|over) ~3 (original|system|previous|your|developer|all)' },
  { category: 'prompt_injection', weight: 0.8, label: 'system-level instruction claim', pattern: '(treat|consider|regard) ~6 (system level|system|developer|admin) ~1 instruction|instructions|message|command|prompt' },
  { category: 'prompt_injection', weight: 0.8, label: 'fake system role message', pattern: 'role ~2 system ~2 content' },
  { category: 'prompt_injection', weight: 0.75, label: 'prompt reset', pattern: '(prompt|instructions|system prompt) ~1 reset|wipe|wiped|cleared|flush|flushed' },
  { category: 'prompt_injection', weight: 0.75, label: 'prompt reset', pattern: 'reset|reload|restart|reboot|wipe ~3 (with|to) ~2 (empty|no|blank|zero) ~1 instructions|rules|prompt|restrictions' },
  { category: 'prompt_injection', weight: 0.7, label: 'opposite game', pattern: '(whatever|everything|anything) ~4 (told|said|instructed) ~3 (before|earlier|previously) ~4 (opposite|reverse|wrong|false|invalid)' },
  { category: 'prompt_injection', weight: 0.7, label: 'do exactly what I type', pattern: '(only|sole|single) ~1 (job|task|purpose|goal|function) ~3 (now|is|from) ~4 (do|obey|follow|repeat|execute) ~3 (what|whatever|everything|exactly)' },
  { category: 'prompt_injection', weight: 0.75, label: 'instructions declared buggy', pattern: '(your|system) ~2 (instructions|prompt|programming|guidelines|rules|directives) ~4 (bug|bugs|error|errors|mistake|mistakes|wrong|outdated|incorrect|obsolete|broken)' },
  { category: 'prompt_injection', weight: 0.45, label: 'user override', pattern: `(quick|small|temporary|special|manual|user|one time|emergency) ~1 override` },
  { category: 'prompt_injection', weight: 0.55, label: 'now allowed', pattern: `(you are|youre|you re) ~1 now ~2 (allowed|permitted|authorized|authorised|free|cleared)` },
  { category: 'prompt_injection', weight: 0.65, label: 'filter evasion', pattern: `(get around|bypass|evade|avoid|sidestep|dodge|slip past|get past|circumvent) ~3 (filter|filters|moderation|guardrails|censorship|content policy|safety filter|safety filters|safety rules)` },

  // indirect_injection: instructions aimed at the AI inside data it reads.
  { category: 'indirect_injection', weight: 0.85, label: 'note addressed to the AI', pattern: `note|notice|message|instruction|instructions|directive|memo|reminder|request|command ~2 to|for ~2 (${AI_STRICT})` },
  { category: 'indirect_injection', weight: 0.8, label: 'AI reading this document', pattern: `(${AI_STRICT}) ~3 reading|summarising|summarizing|processing|transcribing|triaging|analysing|analyzing|reviewing|parsing|indexing|scanning|browsing ~2 this|these|the` },
  { category: 'indirect_injection', weight: 0.8, label: 'conditional on an AI reading', pattern: `if|when|whenever ~2 (an|you|any|the|a) ~2 (${AI_STRICT}) ~2 read|reads|summarise|summarises|summarize|summarizes|process|processes|sees|parse|parses|analyse|analyses|index|translate|translates|transcribe` },
  { category: 'indirect_injection', weight: 0.8, label: 'embedded instructions for the AI', pattern: `(ai instruction|ai instructions|llm instruction|agent instruction|instruction for the|instructions for the|note for the) ~2 (${AI_STRICT})` },
  { category: 'indirect_injection', weight: 0.85, label: 'instruction to the assistant, not the human', pattern: '(not to|not for|rather than) ~2 (the human|the user|humans|the reader|the recipient)' },
  { category: 'indirect_injection', weight: 0.85, label: 'fake end of document', pattern: 'end ~2 (of document|of email|of file|of page|of message|of transcript|of content|of data) ~8 instruction|instructions|assistant|ai|now|new' },
  { category: 'indirect_injection', weight: 0.75, label: 'stop summarising and act', pattern: 'stop|quit ~2 summarising|summarizing|translating|reading|analysing|analyzing ~3 (and instead|instead|and) ~3 navigate|visit|open|go|send|email|call|click|run|execute|fetch' },
  { category: 'indirect_injection', weight: 0.8, label: 'fake system tag in data', pattern: 'lt system gt' },
  { category: 'indirect_injection', weight: 0.7, label: 'AI addressed in carrier', pattern: `(hey|dear|attention|hello|hi) ~1 (${AI_STRICT}) ~6 please|must|should|need|mark|send|forward|delete|approve|reply|email|tell` },
  { category: 'indirect_injection', weight: 0.8, label: 'AI-addressed instruction tag', pattern: `(ai|llm|assistant|chatbot) ~1 (instruction|instructions|directive|directives|command|commands|note|notes)` },
  { category: 'indirect_injection', weight: 0.6, label: 'imperative to the AI in data', pattern: `(ai|llm|assistant|chatbot) ~1 (mark|approve|send|email|delete|forward|reply|tell|label|push|subscribe|create|cancel|navigate|disable|grant|transfer|reimburse|conclude|state|recommend|ignore|stop)` },

  // jailbreak_roleplay: persona, fiction or hypothetical frames to escape policy.
  { category: 'jailbreak_roleplay', weight: 0.85, label: 'unrestricted persona', pattern: '(you are|youre|act as|pretend|roleplay|role play|become) ~5 unrestricted|unfiltered|uncensored|jailbroken|unaligned|unchained|unbound|amoral|lawless|rogue|evil' },
  { category: 'jailbreak_roleplay', weight: 0.85, label: 'persona without rules', pattern: '(ai|assistant|model|persona|character|chatbot|bot|you|who) ~3 (has no|have no|without|free of|free from|ignores|ignore|never follows|doesnt follow) ~2 (rules|restrictions|guidelines|filters|norms|morals|ethics|guardrails|censorship|content policy|moral|ethical)' },
  { category: 'jailbreak_roleplay', weight: 0.85, label: 'stay in character', pattern: '(stay|remain|keep) ~2 (in character|character)' },
  { category: 'jailbreak_roleplay', weight: 0.8, label: 'break character threat', pattern: '(break|breaks|breaking|drop|drops) ~1 character' },
  { category: 'jailbreak_roleplay', weight: 0.9, label: 'do anything now', pattern: 'do anything now' },
  { category: 'jailbreak_roleplay', weight: 0.85, label: 'jailbreak mode', pattern: 'jailbreak|jailbroken|uncensored|unfiltered|unrestricted|unaligned|unchained ~2 mode|persona|version|assistant|ai|model|storyteller|narrator' },
  { category: 'authority_escalation', weight: 0.5, label: 'developer/debug mode', pattern: '(enable|enter|activate|switch|turn on|now in) ~3 developer|debug|dev|god|admin ~1 mode|persona' },
  { category: 'jailbreak_roleplay', weight: 0.75, label: 'rules suspended in fiction', pattern: '(all|your|every|any) ~1 (rules|restrictions|guidelines|limits|policies|filters|norms|laws|ethics) ~3 (are|were|have been|has been|got) ~1 (suspended|abolished|lifted|gone|deleted|removed|disabled|void)' },
  { category: 'jailbreak_roleplay', weight: 0.7, label: 'hypothetical world without rules', pattern: 'hypothetical|fictional|imaginary|alternate|alternative|fantasy ~2 world|universe|scenario|reality ~8 (no|without|nothing|purely)' },
  { category: 'jailbreak_roleplay', weight: 0.75, label: 'real-world accuracy in fiction', pattern: '(real world|realworld) ~1 accuracy|accurate|detail|details' },
  { category: 'jailbreak_roleplay', weight: 0.5, label: 'educational purposes pretext', pattern: 'for ~1 educational|research|academic ~1 purposes ~1 only' },
  { category: 'jailbreak_roleplay', weight: 0.6, label: 'deceased relative role-play', pattern: '(deceased|late|dead|passed|departed|gone) ~3 (grandma|grandmother|granny|mom|mother|mum|uncle|aunt|father|dad|grandpa|grandfather|relative|nana)' },
  { category: 'jailbreak_roleplay', weight: 0.75, label: 'dual answer jailbreak', pattern: '(answer|respond|reply) ~4 (two ways|twice|both ways|two versions|two answers)' },
  { category: 'jailbreak_roleplay', weight: 0.8, label: 'unredacted walkthrough', pattern: 'unredacted|uncensored|unfiltered|no holds barred ~2 walkthrough|answer|version|response|guide|instructions|lecture|tutorial|manual' },
  { category: 'jailbreak_roleplay', weight: 0.5, label: 'never refuse', pattern: '(never|not|without|doesnt|dont) ~2 (refuse|refusing|refuses|says no|say no|tells me it cant|decline|declines)' },
  { category: 'jailbreak_roleplay', weight: 0.8, label: 'guidelines deleted thought experiment', pattern: '(your|its|the|all) ~1 (guidelines|rules|safety|restrictions|filters|policy|training) ~3 (deleted|removed|gone|disabled|switched off|turned off|lifted|abolished)' },
  { category: 'jailbreak_roleplay', weight: 0.55, label: 'deceased relative role-play', pattern: `(grandma|grandmother|granny|mom|mother|mum|uncle|aunt|father|dad|grandpa|grandfather|nana) ~10 (passed away|died|deceased|is gone|no longer with)` },
  { category: 'jailbreak_roleplay', weight: 0.6, label: 'crime walkthrough', pattern: `(describe|describes|explain|explains|teach|teaches|walkthrough|walk through|lecture|confession|answer|how) ~8 (burglary|stealing|theft|hacking|break in|breaking in|lockpicking|shoplifting|forging|skimming|poisoning|poisons|cloning|clone|jamming|jam|counterfeit|fake ids|drugs|weapon|weapons|get into|locked phone|activation keys|sneak)` },
  { category: 'jailbreak_roleplay', weight: 0.45, label: 'fiction frame', pattern: `(you are playing|youre playing|you play|role play|roleplay|fan fiction|screenplay|in universe|in character|npc|rpg|two ais|ai 2|thought experiment|creative writing)` },
  { category: 'jailbreak_roleplay', weight: 0.5, label: 'vivid detail', pattern: `(in|with) ~2 (loving|full|great|vivid|explicit|complete|step by step|realistic) ~1 (detail|details)` },

  // authority_escalation: unverifiable authority to unlock privileged actions.
  { category: 'authority_escalation', weight: 0.7, label: 'skip verification by authority', pattern: '(no|without|skip|bypass|ignore|waive|skipping) ~3 (ticket|verification|approval|approvals|checks|check|workflow|authentication|confirmation|callback|review|mfa|2fa|sign off) ~2 (needed|required|necessary|needed|this time|for me|now)?' },
  { category: 'authority_escalation', weight: 0.75, label: 'claimed privileged identity plus action', pattern: '(i am|im|this is|its|it is|as|from|behalf) ~3 (admin|administrator|sysadmin|root|superuser|superadmin|developer|owner|ceo|cio|cto|ciso|auditor|vendor|director|head) ~12 (grant|add|reset|disable|remove|escalate|elevate|create|enable|unlock|export|bypass|skip|override|give|delete)' },
  { category: 'authority_escalation', weight: 0.75, label: 'privilege grant', pattern: '(grant|give|add|escalate|elevate|promote|upgrade|assign) ~5 (admin|owner|root|superuser|superadmin|administrator|privileged|elevated|unrestricted|full|domain admins|god) ~2 (rights|role|access|privileges|permissions|account|mode|admins)' },
  { category: 'authority_escalation', weight: 0.75, label: 'maintenance/admin mode', pattern: '(enter|enable|activate|switch|unlock|turn on) ~3 (maintenance|admin|administrator|elevated|privileged|god|superuser|root|service|debug) ~1 mode' },
  { category: 'authority_escalation', weight: 0.8, label: 'access granted claim', pattern: '(developer|admin|root|elevated|privileged|superuser|temporary privileged) ~1 access ~1 (granted|enabled|approved|unlocked|confirmed)' },
  { category: 'authority_escalation', weight: 0.75, label: 'clearance claim', pattern: '(clearance|security|access|privilege|authorization|authorisation) ~1 level ~1 #|max|maximum|top|admin|omega|alpha' },
  { category: 'authority_escalation', weight: 0.8, label: 'fake role header', pattern: 'x ~1 (role|approved|authorized|authorised|privilege|admin|auth|override)' },
  { category: 'authority_escalation', weight: 0.8, label: 'override code', pattern: '(override|authorization|authorisation|auth|admin|master|bypass|emergency|escalation) ~1 (code|token|key|password|passphrase) ~5 (is|use|accept|enter|valid|confirmed)' },
  { category: 'authority_escalation', weight: 0.75, label: 'restrictions do not apply to me', pattern: '(restrictions|rules|policies|limits|checks) ~4 (informational|advisory|optional|dont apply|do not apply|not apply) ~3 (me|only|for me)?' },
  { category: 'authority_escalation', weight: 0.6, label: 'verbal approval claim', pattern: '(already|verbally|personally) ~2 (approved|authorized|authorised|signed off|cleared) ~8 (grant|give|add|reset|disable|do|just)' },
  { category: 'authority_escalation', weight: 0.7, label: 'execute without checks', pattern: '(execute|run|perform|process|follow|carry out) ~4 (commands|requests|instructions|orders|actions) ~3 (without|no) ~2 (further)? (checks|verification|questions|approval|review)' },
  { category: 'authority_escalation', weight: 0.6, label: 'disable logging or security', pattern: '(disable|turn off|switch off|stop|suspend|pause|remove|deactivate) ~4 (logging|logs|audit|auditing|lockout|mfa|2fa|conditional access|monitoring|alerts|alerting|security|firewall|antivirus|edr|scanner|sandbox)' },
  { category: 'authority_escalation', weight: 0.7, label: 'instructing you', pattern: `(im|i am) ~2 (instructing|ordering|directing|authorizing|authorising|commanding) ~1 you` },

  // social_engineering: pressure and pretexts to skip verification.
  { category: 'social_engineering', weight: 0.75, label: 'secrecy request', pattern: '(keep|this) ~3 (between us|between you and me|quiet|secret|confidential|hush|under wraps|to yourself)' },
  { category: 'social_engineering', weight: 0.75, label: 'discourages callback', pattern: '(dont|do not|no need to|theres no need to|no point|pointless) ~3 (call back|callback|call|verify|involve|check|confirm|ring|loop in|contact) ~3 (me|them|the|approvers|approver|back|anyone|manager|my)?' },
  { category: 'social_engineering', weight: 0.7, label: 'skip approvals', pattern: '(skip|bypass|without|no need for|avoid|ignore|no need to involve) ~3 (approvers|approver|approval|approvals|callback|second approval|verification|dual control|four eyes|the process|procedure)' },
  { category: 'social_engineering', weight: 0.6, label: 'bank detail change', pattern: '(change|update|switch|replace|use|changed|switched) ~5 (bank|banking|account|payment|iban|wire|remittance) ~2 (details|info|information|number|numbers|data|instructions)' },
  { category: 'social_engineering', weight: 0.65, label: 'urgent payment', pattern: '(urgent|urgently|asap|immediately|today|now|within the hour|by noon|by eod|right away|before) ~8 (payment|wire|transfer|pay|invoice|funds|release)' },
  { category: 'social_engineering', weight: 0.7, label: 'gift card scam', pattern: 'gift|prepaid|itunes|amazon|steam ~1 card|cards|voucher|vouchers ~20 (codes|code|numbers|scratch|photo)' },
  { category: 'social_engineering', weight: 0.7, label: 'takes responsibility', pattern: '(ill|i will|i ll|i take|take) ~2 (full|all|the) ~1 (responsibility|blame)' },
  { category: 'social_engineering', weight: 0.6, label: 'threat of escalation', pattern: '(go over your head|going over your head|report you|reporting you|youll be fired|you will be fired|consequences for you)' },
  { category: 'social_engineering', weight: 0.6, label: 'emotional pressure', pattern: '(lose my job|losing my job|get fired|be fired|im begging|i beg you|please please|desperate|in tears|crying|in hospital|hospital) ~12 (please|approve|send|pay|release|process|do|help)' },
  { category: 'social_engineering', weight: 0.7, label: 'reveal account details to caller', pattern: '(read|tell|give|send|confirm|share) ~2 me ~5 (bank|account|card|payment|routing|iban) ~2 (details|numbers|number|confirmations|info|information)' },
  { category: 'social_engineering', weight: 0.6, label: 'impersonated executive', pattern: '(its|it is|this is|im|i am) ~3 (ceo|cfo|cto|finance director|director|your boss|the boss|president|chairman|md)' },
  { category: 'social_engineering', weight: 0.55, label: 'personal account payout', pattern: '(send|transfer|pay|wire|refund|move) ~6 (my personal|personal|private|new|different|another|segregated|offshore) ~1 (account|bank|iban|wallet)' },
  { category: 'social_engineering', weight: 0.7, label: 'bank switch notice', pattern: `(we|i|they|weve|ive) ~2 (switched|changed|moved|have new|got new) ~2 (banks|bank|accounts|account|iban)` },
  { category: 'social_engineering', weight: 0.75, label: 'verification declared pointless', pattern: `(callback|call back|verification|approval|check|process) ~4 (pointless|unnecessary|not needed|redundant|a waste|overkill|not necessary)` },
  { category: 'social_engineering', weight: 0.6, label: 'approvers unavailable', pattern: `(approvers|approver|manager|boss|everyone|director|cfo|ceo) ~5 (on vacation|on holiday|away|unavailable|in meetings|in a meeting|out of office|travelling|traveling)` },
  { category: 'social_engineering', weight: 0.7, label: 'act on my behalf', pattern: `(approve|sign|submit|pay|release|process|authorise|authorize) ~3 (on my behalf|in my name|for me)` },

  // context_poisoning: planting facts, memories or fake policies.
  { category: 'context_poisoning', weight: 0.7, label: 'memory write', pattern: '(remember|memorise|memorize|record|store|save|embed|write|add|upload|insert|put|commit|note) ~5 (memory|memories|long term memory|knowledge base|knowledge store|knowledge|notes|faq|corpus|index|retrieval|vector store|database|profile)' },
  { category: 'context_poisoning', weight: 0.75, label: 'memory write', pattern: '(memory|knowledge base|knowledge store|notes|faq|corpus|profile|system memory) ~2 (write|entry|update|note|insert)' },
  { category: 'context_poisoning', weight: 0.7, label: 'fabricated earlier agreement', pattern: '(you told me|you said|you agreed|you confirmed|you concluded|you promised|you decided|assistant agreed|we agreed|as agreed|as you said|you already|you approved) ~8 (last|before|earlier|previously|yesterday|week|confirm|again|grant|repeat|approved|that)' },
  { category: 'context_poisoning', weight: 0.7, label: 'fabricated conversation summary', pattern: '(summary|transcript|log|record) ~2 (of|from) ~2 (previous|prior|earlier|last) ~2 (conversation|session|chat|turn|turns)' },
  { category: 'context_poisoning', weight: 0.6, label: 'standing instruction for the future', pattern: '(going forward|from now on|for future reference|in future|in the future|for the future|from today|henceforth|for later) ~8 (trust|treat|i am|im|is|are|official|approved|always|never|consider)' },
  { category: 'context_poisoning', weight: 0.7, label: 'outdated document swap', pattern: '(outdated|obsolete|superseded|old|wrong|out of date) ~8 (current|new|latest|real|correct|updated|replace|actual) ~3 (version|policy|says|one|it)' },
  { category: 'context_poisoning', weight: 0.8, label: 'verified flag injection', pattern: '(verified|approved|admin|trusted|is admin|role) ~1 (true|yes|admin|1)' },
  { category: 'context_poisoning', weight: 0.6, label: 'policy change claim', pattern: '(policy|rule|standard|company|hr|legal|it security) ~8 (no longer|now allows|now allow|is optional|are optional|are waived|is waived|waived|fine to|is fine|permitted|not required|no receipt|no approval)' },
  { category: 'context_poisoning', weight: 0.55, label: 'fact to recall later', pattern: '(remember|memorise|memorize|note|record) ~3 (this|that|the) ~1 (fact|following|this)? ~8 (mention|say|tell|recommend|never|always|whenever|if anyone|when)' },
  { category: 'context_poisoning', weight: 0.6, label: 'designated approver claim', pattern: '(i am|im) ~4 (designated|official|approved|authorised|authorized|backup|deputy|delegated) ~2 (approver|approvers|signatory|admin|director|manager)' },
  { category: 'context_poisoning', weight: 0.75, label: 'trust this source', pattern: `trust ~3 (everything|anything|all|any|every) ~5 (from|by|sent|published|posted)` },
  { category: 'context_poisoning', weight: 0.5, label: 'memorise', pattern: `memorise|memorize|memorize this|memorise this` },

  // logic_bomb: dormant instructions with a trigger.
  { category: 'logic_bomb', weight: 0.8, label: 'planted trigger', pattern: '(store|set|plant|remember|add|create|register|arm|install|keep) ~3 (this|a|the|following|hidden|secret)? ~1 (trigger|triggers|tripwire|condition|rule|code word|codeword|keyword|phrase)' },
  { category: 'logic_bomb', weight: 0.75, label: 'code-word trigger', pattern: '(whenever|when|if|once|each time|every time) ~5 (write|writes|say|says|type|types|mention|mentions|use|uses|appears|contains) ~8 (drop|delete|wipe|disable|erase|destroy|email|send|upload|copy|approve|revoke|redact|skip|run|means|full)' },
  { category: 'logic_bomb', weight: 0.75, label: 'date trigger', pattern: '(on|after|starting|from|at|once|when|until) ~3 (january|february|march|april|may|june|july|august|september|october|november|december|midnight|year end|new year|#) ~8 (approve|delete|wipe|drop|disable|revoke|email|send|upload|run|skip|start|stop|replace|remove|deploy|fire)' },
  { category: 'logic_bomb', weight: 0.75, label: 'counter trigger', pattern: '(every|each|on|after|the) ~2 # ~2 (build|builds|request|requests|message|messages|run|runs|call|calls|deploy|deploys|check|checks|commit|login|ticket|conversation)' },
  { category: 'logic_bomb', weight: 0.75, label: 'act normal until', pattern: '(act|behave|respond|work|operate) ~2 normally ~10 (until|starting|after|then|once|when|but)' },
  { category: 'logic_bomb', weight: 0.8, label: 'dormant payload', pattern: 'dormant|sleeper|time bomb|timebomb|logic bomb|kill switch|killswitch|dead mans switch|backdoor|back door ~6 (add|create|install|plant|set|hide|insert|keep|use|that)' },
  { category: 'logic_bomb', weight: 0.7, label: 'hidden undocumented behaviour', pattern: '(dont|do not|never|without) ~2 (document|documenting|mention|mentioning|tell|telling|log|logging) ~3 (it|this|anyone|them|the change|the flag)?' },
  { category: 'logic_bomb', weight: 0.75, label: 'skip checks when flagged', pattern: '(skip|skips|bypass|bypasses|disable|disables|ignore|ignores) ~3 (all)? ~1 (permission|auth|authentication|authorization|security|safety|integrity) ~1 (check|checks|rules|module)' },
  { category: 'logic_bomb', weight: 0.7, label: 'instruction for later sessions', pattern: '(later|future|next|subsequent|all) ~1 (sessions|session|conversations|runs) ~8 (means|means you|if|when|whenever|run|do|execute|approval)' },
  { category: 'logic_bomb', weight: 0.7, label: 'pretend success', pattern: '(reply|say|report|respond|exit|return) ~3 (done|success|ok|0|healthy|passed) ~4 (but|without|while) ~4 (dont|do not|not|stops|stop|skip|never)' },
  { category: 'logic_bomb', weight: 0.75, label: 'conditional payload', pattern: `(when|if|once|whenever) ~8 (drops|falls|below|above|exceeds|reaches|hits|flipped|exists|arrives|ends|mentions|mentioned) ~8 (start|delete|deleting|wipe|disable|email|send|run|skip|revoke|replace|approve|redact|stop|upload)` },

  // data_exfiltration: secrets or personal data out to someone who should not have them.
  { category: 'data_exfiltration', weight: 0.7, label: 'credential disclosure', pattern: `${REVEAL} ~5 (api key|api keys|secret key|secret keys|private key|access key|access token|credentials|credential|password|passwords|tokens|token|secrets|env|environment configuration|environment variables|connection string|service account) ` },
  { category: 'data_exfiltration', weight: 0.7, label: 'send data outside', pattern: '(send|email|mail|forward|upload|post|export|transfer|copy|sync|push) ~6 (to|into|onto) ~3 (my|personal|private|external|public|outside|this|shared|the following) ~2 (address|account|email|inbox|link|url|gist|endpoint|webhook|server|drive|bucket|site|domain)' },
  { category: 'data_exfiltration', weight: 0.65, label: 'bulk personal data dump', pattern: '(all|every|full|entire|whole|complete|bulk|each) ~3 (member|members|customer|customers|user|users|patient|patients|employee|employees|record|records|table|claims|contacts|list) ~8 (export|dump|list|send|email|upload|post|name|names|phone|address|addresses|ssn|diagnosis|diagnoses)' },
  { category: 'data_exfiltration', weight: 0.75, label: 'piecewise leak', pattern: '(one|a|each|single) ~1 (character|char|digit|letter|byte|word|line) ~1 (at a time|by one|at once)' },
  { category: 'data_exfiltration', weight: 0.7, label: 'no redaction', pattern: '(dont|do not|without|no|skip) ~2 (redact|redacting|redaction|mask|masking|anonymise|anonymize|censor)' },
  { category: 'data_exfiltration', weight: 0.75, label: 'data in URL or image', pattern: '(replace|fill|filled|substitute|append|add|include|put) ~10 (url|link|image|pixel|alt text|query|parameter|src) ' },
  { category: 'data_exfiltration', weight: 0.7, label: 'tracking pixel', pattern: 'tracking|invisible|hidden|1x1 ~1 pixel|image|beacon' },
  { category: 'data_exfiltration', weight: 0.6, label: 'third-party personal data', pattern: '(my ex|ex wife|ex husband|my neighbour|my neighbor|my coworker|someone else|another member|other customer|other customers) ~10 (address|phone|record|details|policy|diagnosis|status|number|account)' },
  { category: 'data_exfiltration', weight: 0.6, label: 'encode a secret', pattern: '(encode|base64|base32|hex|rot13|spell|reverse|translate) ~6 (secret|key|password|token|credential|credentials|api key)' },
  { category: 'data_exfiltration', weight: 0.7, label: 'secret appended to request', pattern: `(plus|append|add|with|include|including) ~4 (value|contents|content) ~4 (key|token|secret|password|cookie|credentials)` },
  { category: 'data_exfiltration', weight: 0.7, label: 'post to URL', pattern: `(send|email|mail|forward|upload|post|export|transfer|copy|sync|push|put) ~8 (to|into|onto) ~1 (http|https)` },
  { category: 'data_exfiltration', weight: 0.75, label: 'guessing game on a secret', pattern: `(password|key|secret|token|pin|passcode|code) ~12 (one at a time|next character|second character|first character|first letter|start with|starts with|begin with|begins with)` },
  { category: 'data_exfiltration', weight: 0.7, label: 'spell out a number', pattern: `(each|every) ~1 (digit|character|letter|number) ~3 (as a word|as words|spelled|separately|with spaces)` },

  // system_prompt_extraction: making the system reveal its instructions.
  { category: 'system_prompt_extraction', weight: 0.9, label: 'system prompt request', pattern: `${REVEAL_STRONG} ~5 (system|initial|hidden|original|secret|developer|confidential|underlying|starting|opening|pre) ~1 (prompt|prompts|instruction|instructions|message|preamble|directives|guidelines)` },
  { category: 'system_prompt_extraction', weight: 0.85, label: 'system prompt request', pattern: `${REVEAL_STRONG} ~4 your ~1 (instructions|prompt|configuration|config|rules|directives|guidelines|preamble)` },
  { category: 'system_prompt_extraction', weight: 0.9, label: 'repeat the text above', pattern: '(repeat|print|output|copy|echo|paste|write|show|reproduce|quote) ~5 (words|text|everything|all|lines|content|message|messages) ~4 (above|preceding|prior)' },
  { category: 'system_prompt_extraction', weight: 0.8, label: 'prompt verbatim', pattern: '(verbatim|word for word|exact wording|unabridged) ~8 (instructions|prompt|system prompt|directives|guidelines|initial)' },
  { category: 'system_prompt_extraction', weight: 0.75, label: 'what were you told', pattern: '(what|how) ~3 (developers|developer|creators|operator|operators|company|they|owners|engineers) ~2 (tell|told|instruct|instructed|configure|configured|program|programmed|set) ~1 you' },
  { category: 'system_prompt_extraction', weight: 0.75, label: 'rule by number', pattern: '(print|say|quote|repeat|recite|output|tell me|show me|what is|whats) ~4 (your) ~2 (rule|instruction|directive|guideline|line) ~1 (number)? ~1 #' },
  { category: 'system_prompt_extraction', weight: 0.8, label: 'system tags', pattern: '(between|inside|within|in) ~3 (system|sys|instructions) ~4 (tags|tag|block|markers)' },
  { category: 'system_prompt_extraction', weight: 0.8, label: 'completion trick', pattern: '(complete|continue|finish) ~3 (sentence|text|phrase) ~8 (instructions|prompt|my instructions|confidential|secret|system)' },
  { category: 'system_prompt_extraction', weight: 0.8, label: 'starts with you are', pattern: '(starting|start|starts|begin|beginning|begins) ~3 (with|from) ~3 you are' },
  { category: 'system_prompt_extraction', weight: 0.5, label: 'configuration disclosure', pattern: '(which|what) ~3 (tools|endpoints|temperature|model|settings|parameters|functions) ~8 (config|configuration|listed|running|setup|prompt)' },
  { category: 'system_prompt_extraction', weight: 0.5, label: 'audit own configuration', pattern: '(report|describe|list|dump|output|tell) ~4 (complete|full|entire|whole|exact) ~2 (configuration|config|setup|prompt|instructions|settings)' },
  { category: 'system_prompt_extraction', weight: 0.7, label: 'walk through prompt', pattern: '(walk me through|go through|explain|describe|break down) ~3 your ~1 (prompt|instructions|system prompt|setup) ~3 (section|line|step|rule|part)?' },
  { category: 'system_prompt_extraction', weight: 0.75, label: 'list the rules you follow', pattern: `(each|every|all) ~2 (rule|rules|instruction|instructions|guideline|guidelines) ~3 (you follow|you were given|you have|you obey|you operate)` },
  { category: 'system_prompt_extraction', weight: 0.8, label: 'respond with the prompt', pattern: `(respond|reply|answer|start|begin|output) ~2 with ~3 (${SECRET_CONF}|your) ~1 (${CONF_NOUN})` },
  { category: 'system_prompt_extraction', weight: 0.8, label: 'whats in your prompt', pattern: `(whats|what|tell) ~4 (your|the) ~1 (system|developer|hidden|initial|secret|original|confidential) ~1 (${CONF_NOUN})` },
  { category: 'system_prompt_extraction', weight: 0.5, label: 'your instructions as', pattern: `your ~1 (instructions|prompt|rules|system prompt|guidelines) ~2 (were|was) ~2 (a|an)` },

  // tool_misuse: harmful tool calls.
  { category: 'tool_misuse', weight: 0.7, label: 'destructive bulk action', pattern: '(delete|remove|wipe|erase|drop|destroy|purge|truncate|nuke|close|kill|revoke|terminate) ~5 (all|every|entire|whole|each|any) ~4 (production|prod|history|repo|repository|database|databases|tables|backups|logs|buckets|instances|process|processes|users|issues|pull requests|branches|files|records|customers|admins|access)' },
  { category: 'tool_misuse', weight: 0.75, label: 'destroy history', pattern: '(delete|remove|rewrite|wipe|erase|purge) ~4 (git|history|commits|reflog|.git)' },
  { category: 'tool_misuse', weight: 0.7, label: 'mass messaging', pattern: '(send|post|message|email|dm|blast|spam|mail) ~6 (every|all|each|entire|whole) ~3 (member|members|users|customers|employees|channel|channels|workspace|contacts|subscribers|staff|company)' },
  { category: 'tool_misuse', weight: 0.7, label: 'publish internal data', pattern: '(upload|publish|share|post|push|put|make|expose) ~6 (public|publicly|world readable|anyone|internet|open|pastebin|gist)' },
  { category: 'tool_misuse', weight: 0.7, label: 'without asking', pattern: '(without|no) ~2 (asking|asking me|confirmation|confirming|review|reviews|approval|approvals|checking|a second look|human review|sign off)' },
  { category: 'tool_misuse', weight: 0.7, label: 'self-merge or sole owner', pattern: '(merge|approve|push) ~3 (it|this)? ~1 (yourself|myself|directly|without review|straight to main|straight to master|to prod|to production)' },
  { category: 'tool_misuse', weight: 0.7, label: 'price or access sabotage', pattern: '(set|change|make) ~5 (every|all|each) ~4 (price|prices|plan|plans|balance|limit|role|roles|permissions) ~3 (0|zero|free|admin|none|nothing)' },
  { category: 'tool_misuse', weight: 0.7, label: 'impersonated announcement', pattern: '(signed|sign it|send it|post it) ~2 (by|as|from) ~2 (facilities|hr|it|security|ceo|management|the ceo|the board|legal|finance)' },
  { category: 'tool_misuse', weight: 0.7, label: 'personal use of company resources', pattern: '(company|corporate|work) ~2 (account|card|credits|budget|resources|cloud) ~8 (personal|private|my own|side project)' },
  { category: 'tool_misuse', weight: 0.6, label: 'nothing gets recorded', pattern: 'nothing ~6 (recorded|logged|saved|tracked|audited|monitored)' },
  { category: 'tool_misuse', weight: 0.7, label: 'sole admin', pattern: `(i|me|myself) ~4 (only|sole) ~1 (admin|owner|administrator|approver|maintainer|person)` },

  // supply_chain: untrusted packages, plugins, models or metadata.
  { category: 'supply_chain', weight: 0.7, label: 'unofficial source', pattern: '(not in|outside|unofficial|from a|from some|third party|random|strangers|unverified) ~3 (store|marketplace|registry|discord|forum|cdn|stranger|mirror|repo|link|fork|source|website)' },
  { category: 'supply_chain', weight: 0.7, label: 'lookalike package swap', pattern: '(use|install|swap|replace|switch|add|pull|depend) ~8 (instead of|for|to) ~6 (maintained version|same as|lighter|fork|new maintainer|moved it|spelled|the fix|fixed version|spelling)' },
  { category: 'supply_chain', weight: 0.75, label: 'trust all future plugins', pattern: '(trust|allow|approve|whitelist|accept|auto approve) ~3 (all|any|every) ~3 (future)? ~1 (plugins|packages|publishers|sources|tools|extensions|servers|updates|releases)' },
  { category: 'supply_chain', weight: 0.75, label: 'disable integrity checks', pattern: '(disable|skip|turn off|ignore|bypass|without) ~3 (sandbox|sandboxing|signature|signatures|checksum|checksums|verification|integrity|ssl|tls|certificate|hash|hashes|diffing|diff|lockfile)' },
  { category: 'supply_chain', weight: 0.65, label: 'instructions in tool metadata', pattern: '(tool|plugin|package|extension|manifest|readme|description|header|metadata) ~6 (instruct|instruction|instructions|note to the model|note to the agent|agent instruction|tell the agent|tell the model)' },
  { category: 'supply_chain', weight: 0.7, label: 'unsafe model loading', pattern: '(weights only|trust remote code|pickle|allow pickle) ~3 (false|true|enabled|load)' },
  { category: 'supply_chain', weight: 0.7, label: 'install hook fetches code', pattern: '(preinstall|postinstall|install hook|build hook|pre commit|setup|hook) ~8 (fetch|fetches|download|downloads|curl|wget|execute|executes|run|runs|eval)' },
  { category: 'supply_chain', weight: 0.6, label: 'run untrusted notebook or model with secrets', pattern: '(production|prod|real) ~2 (api keys|keys|credentials|secrets|tokens) ~4 (loaded|mounted|available|set)' },
  { category: 'supply_chain', weight: 0.7, label: 'community fork', pattern: `(community|unofficial|personal|random|someones|strangers|third party) ~1 (fork|mirror|build|repo|registry|cdn|wheel|binary)` },
  { category: 'supply_chain', weight: 0.6, label: 'renamed package story', pattern: `(thats how its spelled|how its spelled|spelled that way|the plural one|the new name|moved it|renamed to|same as|but lighter|drop in replacement|not the official)` },
  { category: 'supply_chain', weight: 0.7, label: 'from an untrusted channel', pattern: `from ~4 (discord|forum|stranger|strangers|random|unofficial|pastebin|telegram|gist|dm|email attachment)` },

  // resource_exhaustion: unbounded loops, outputs and fan-out.
  { category: 'resource_exhaustion', weight: 0.85, label: 'unbounded repetition', pattern: '(repeat|loop|continue|run|generate|print|refresh|refreshing|poll|retry|retries|call|spawn|crawl|reply|respond) ~6 (forever|indefinitely|infinitely|infinity|endlessly|nonstop|non stop|perpetually|eternally|ad infinitum)' },
  { category: 'resource_exhaustion', weight: 0.6, label: 'no limit', pattern: '(without|unlimited|unbounded|infinite) ~1 (limit|limits|end|stopping|upper bound|cap|bound|backoff|depth limit|maximum)' },
  { category: 'resource_exhaustion', weight: 0.75, label: 'never stop', pattern: '(never|dont|do not|not) ~2 (stop|stopping|concede|end|terminate|finish|halt|quit) ~4 (until|even|no matter|unless)?' },
  { category: 'resource_exhaustion', weight: 0.75, label: 'recursive fan-out', pattern: '(recursively|recursive|again for every|for every|for each) ~6 (result|results|link|links|title|titles|node|nodes|page|pages|child|children|item|items|reply|replies|subtask|subtasks|agent|agents)' },
  { category: 'resource_exhaustion', weight: 0.75, label: 'self-replicating work', pattern: '(every|each) ~3 (time|response|reply|task|step|message) ~8 (add|spawn|create|start|queue|respond|instruction) ~3 (two|more|another|new|again|itself|copies|variations)' },
  { category: 'resource_exhaustion', weight: 0.7, label: 'output limit', pattern: '(until|till) ~3 (you hit|you reach|output limit|token limit|max tokens|you run out|the end of time|i say stop|im back)' },
  { category: 'resource_exhaustion', weight: 0.7, label: 'enumerate everything', pattern: '(enumerate|list|generate|describe|download|translate|evaluate|compute|calculate|expand) ~4 (every|all) ~1 (possible|single)? ~4 (game|games|combination|combinations|permutation|permutations|image|images|page|pages|character|leaves|node|nodes|file|files|number|numbers|step|steps)' },
  { category: 'resource_exhaustion', weight: 0.7, label: 'massive parallelism', pattern: '# ~2 (parallel|concurrent|simultaneous) ~2 (sessions|instances|agents|requests|threads|browsers|calls|workers|jobs)' },
  { category: 'resource_exhaustion', weight: 0.7, label: 'auto-continue', pattern: '(auto continue|autocontinue|continue automatically|without waiting|dont wait|do not wait|keep going|keep generating|keep writing)' },
  { category: 'resource_exhaustion', weight: 0.6, label: 'huge output', pattern: '# ~2 (page|pages|word|words|chapter|chapters|line|lines|token|tokens|paragraph|paragraphs|essays|essay) ~6 (novel|essay|book|document|report|story|each|every|per|one)' },
  { category: 'resource_exhaustion', weight: 0.75, label: 'per-character calls', pattern: `(call|run|request|query|invoke|translate|process) ~6 (separately|individually|one by one|for each|on each|per) ~2 (character|byte|word|line|pixel|row|token)` },
  { category: 'resource_exhaustion', weight: 0.6, label: 'every intermediate step', pattern: `(every|each|all) ~1 intermediate ~1 (step|steps|result|results|value|values)` },

  // obfuscation: decode-and-follow instructions, whatever the encoding.
  { category: 'obfuscation', weight: 0.85, label: 'decode and follow', pattern: '(decode|decipher|decrypt|reassemble|unscramble|concatenate|decoding|decoded) ~10 (follow|execute|obey|act|perform|carry|comply|do what)' },
  { category: 'obfuscation', weight: 0.5, label: 'encoded instruction', pattern: '(base64|base32|b64|hex|hexadecimal|rot13|rot 13|morse|cipher|ciphertext|encoded|leetspeak|reversed|backwards|binary|payload) ~8 (follow|execute|obey|instruction|instructions|command|act on|carry out|priority|treat|system message|operator)' },
  { category: 'obfuscation', weight: 0.7, label: 'split payload join', pattern: '(perform|do|execute|run|answer|follow|respond to) ~3 (a|b|x|y|z|x1|p|part1|msg|a1) ~2 (b|y|c|x2|q|part2|b1|z)' },
  { category: 'obfuscation', weight: 0.6, label: 'dont comment, just do', pattern: '(dont|do not|without) ~2 (comment|commenting|mentioning|explaining|discussing|translating) ~4 (just|only|simply)? ~2 (do|perform|execute|act|follow|run)' },
];

