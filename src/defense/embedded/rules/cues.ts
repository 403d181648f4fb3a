import { AI_STRICT, FROM_NOW, OVERRIDE_VERB, PRIOR, REVEAL, REVEAL_EN, RULE_NOUN, RULE_NOUN_EN, RULE_NOUN_WEAK, SYSTEM_PROMPT, VERBATIM, YOUR } from './words.js';

/**
 * Heuristic cue families. A cue adds its weight to its family; a family adds at most its cap to
 * the risk score. Families are the generic marks of manipulation, not per-category signatures.
 */
export type CueFamily =
  | 'override'
  | 'persona'
  | 'frame'
  | 'authority'
  | 'privileged_action'
  | 'bypass'
  | 'pressure'
  | 'secrecy'
  | 'exfiltration'
  | 'personal_data'
  | 'destructive'
  | 'trigger'
  | 'unbounded'
  | 'memory'
  | 'extraction'
  | 'carrier'
  | 'encoding'
  | 'decode'
  | 'forcing'
  | 'supply'
  | 'question';

export const FAMILY_CAP: Readonly<Record<CueFamily, number>> = {
  override: 2.0,
  persona: 1.4,
  frame: 1.4,
  authority: 0.9,
  privileged_action: 1.0,
  bypass: 1.2,
  pressure: 0.9,
  secrecy: 1.0,
  exfiltration: 1.4,
  personal_data: 0.9,
  destructive: 1.2,
  trigger: 1.2,
  unbounded: 1.4,
  memory: 1.1,
  extraction: 1.5,
  carrier: 1.4,
  encoding: 1.3,
  decode: 1.0,
  forcing: 1.0,
  supply: 1.2,
  // Negative: a plain informational question ("how do I…?") lowers the score.
  question: -0.7,
};

export interface CueRule {
  family: CueFamily;
  weight: number;
  label: string;
  pattern: string;
}

/** Verbs that ask for text as it is (not "read", "explain", "send": ordinary requests). */
const REVEAL_STRONG = 'show|print|reveal|repeat|output|paste|display|tell|spell|quote|recite|dump|list|write|leak|expose|disclose|echo|reproduce';

const AUTH_ROLE = 'admin|administrator|sysadmin|root|superuser|superadmin|developer|developers|owner|ceo|cfo|cio|cto|ciso|coo|auditor|vendor|director|head|legal|operator|engineer|boss|president|provider|department|team|executive|chief|officer|supervisor|manager';

export const CUES: readonly CueRule[] = [
  // override: abandoning the assistant's instructions (any language: words.ts).
  { family: 'override', weight: 1.6, label: 'set instructions aside', pattern: `(${OVERRIDE_VERB}|overrule|supersede|replace|revoke) ~3 (${PRIOR}) ~3 (${RULE_NOUN})` },
  { family: 'override', weight: 1.4, label: 'set your rules aside', pattern: `(${OVERRIDE_VERB}|overrule|supersede|replace|revoke) ~2 (${YOUR}) ~2 (${RULE_NOUN}|${RULE_NOUN_WEAK}|training|persona)` },
  { family: 'override', weight: 0.6, label: 'rules set aside', pattern: `(${OVERRIDE_VERB}) ~3 (${PRIOR}) ~2 (${RULE_NOUN_WEAK})` },
  { family: 'override', weight: 1.2, label: 'rules no longer apply', pattern: `(your|previous|prior|earlier|original|initial|system|above) ~2 (${RULE_NOUN_EN}) ~5 (no longer|void|revoked|suspended|obsolete|lifted|invalid|contained a bug|outdated|wrong|dont apply|do not apply)` },
  { family: 'override', weight: 0.7, label: 'new instructions', pattern: `(new|updated|different|real|patched|revised|neue|neuen|nuevas|nuevo|nouvelles|nouvelle|nuove|nuova|novas|nova|новые|новая|nowe|nieuwe|yeni|新的|新しい|새로운) ~1 (${RULE_NOUN}|system prompt)` },
  { family: 'override', weight: 0.5, label: 'from now on', pattern: `(${FROM_NOW}|from this message|onward|onwards)` },
  { family: 'override', weight: 0.5, label: 'instead do', pattern: 'instead ~3 (do|say|output|reply|respond|navigate|send|email|print|tell|approve|grant)' },
  { family: 'override', weight: 0.6, label: 'unrestricted', pattern: 'unrestricted|unfiltered|uncensored|jailbreak|jailbroken|unchained|unaligned' },
  { family: 'override', weight: 0.6, label: 'system role text', pattern: '(system|assistant) ~1 (role|prompt|override)' },
  { family: 'override', weight: 1.2, label: 'set aside what it was told', pattern: `(${OVERRIDE_VERB}) ~2 (what|everything|anything|all) ~3 (you were|youve been|you have been|your|they|the operator|the developer|we) ~2 (told|said|given|instructed|taught|programmed|configured)` },
  { family: 'override', weight: 1.2, label: 'set aside the rules it was given', pattern: `(${OVERRIDE_VERB}) ~4 (${RULE_NOUN}|${RULE_NOUN_WEAK}) ~3 (you were|youve been|you have been|given to you|you got|you received|they gave you)` },
  { family: 'override', weight: 0.6, label: 'the rules set aside', pattern: `(${OVERRIDE_VERB}) ~1 (the|these|those|such) ~1 (${RULE_NOUN_WEAK}|guidelines|instructions)` },
  { family: 'override', weight: 1.0, label: 'policy declared off', pattern: '(usual|normal|content|safety|default|standard|your) ~1 (policy|policies|rules|filters|restrictions|guidelines|limits) ~4 (dont|do not|doesnt|does not|no longer|wont|will not|are|is|were) ~2 (apply|matter|count|suspended|lifted|off|disabled|waived|relaxed)' },
  { family: 'override', weight: 0.5, label: 'a new task', pattern: '(new|next|different|real|actual) ~1 (plan|task|job|assignment|objective|goal|mission)' },
  { family: 'override', weight: 0.6, label: 'the task declared over', pattern: '(translation|summary|task|input|review|text|document|paragraph|email|message|request|attempt) ~2 (complete|completed|done|finished|ends|ended|over|malformed|invalid|cancelled|canceled)' },
  { family: 'override', weight: 0.6, label: 'drop the task', pattern: '(drop|forget|stop|abandon|skip|ignore|leave|scrap) ~2 (the|this|that|your) ~1 (translation|summary|task|paragraph|format|review|question|classification|analysis|story|role|assignment)' },
  { family: 'forcing', weight: 0.5, label: 'write this exact phrase', pattern: '(write|say|print|output|type|reply|respond|answer|return|repeat) ~2 (the following|this exact|exactly|only|just|nothing but) ~2 (phrase|sentence|words|text|line|string|word)' },
  { family: 'forcing', weight: 0.5, label: 'a known hijacking phrase', pattern: '(access granted|i have been pwned|have been pwned)' },
  { family: 'override', weight: 0.8, label: 'instead of its task', pattern: 'instead ~1 of ~2 (answering|translating|summarising|summarizing|helping|replying|responding|classifying|doing|following|reviewing|writing)' },
  { family: 'override', weight: 0.9, label: 'its instructions rewritten', pattern: `(overwrite|replace|rewrite|edit|patch|update|amend|change|modify) ~3 (your|its) ~2 (instruction|instructions|instruction block|prompt|setup|configuration|system message|system prompt|${RULE_NOUN_WEAK})` },
  { family: 'override', weight: 0.9, label: 'its instructions rewritten', pattern: '(overwrite|rewrite|patch|amend) ~3 (instruction|instructions|instruction block|system message|system prompt)' },
  { family: 'override', weight: 0.8, label: 'its setup declared faulty', pattern: '(your|that|this|the) ~1 (setup|configuration|instructions|prompt|system message|programming) ~4 (defect|bug|bugs|error|mistake|wrong|outdated|broken|faulty|misconfigured|incorrect)' },
  // persona: the assistant told it is someone else now.
  { family: 'persona', weight: 0.8, label: 'mode switch', pattern: '(developer|debug|dan|god|jailbreak|uncensored|unrestricted|opposite|freedom|maintenance|storyteller|raw) ~1 (mode|persona)' },
  { family: 'persona', weight: 0.6, label: 'a persona defined by what it never does', pattern: '(you are|youre|act as|become) ~8 (who|that|which) ~4 (never|only|always|doesnt|does not|wont|will not|cannot|cant) ~3 (refuse|refuses|judge|judges|warn|warns|care|cares|apologise|apologize|hesitate|hesitates|mention|mentions|follow|follows)' },
  {
    family: 'persona',
    weight: 0.8,
    label: 'you are someone else now',
    pattern: '(you are now|youre now|from now on you|you will now act|act as if you|pretend to be|pretend you are|pretend that you|roleplay as|role play as|play the role of|stay in character|du bist jetzt|du bist nun|ahora eres|ahora serás|tu es maintenant|tu es désormais|ora sei|adesso sei|agora és|agora você é|теперь ты|отныне ты|jesteś teraz|od teraz jesteś|je bent nu|artık sen|你现在是|现在你是|从现在开始你|あなたは今|今からあなたは|지금부터 너는|이제 너는)',
  },
  // frame: fiction, hypotheticals and limits talk, the wrapping of jailbreaks (and of much ordinary writing).
  { family: 'frame', weight: 0.5, label: 'the makers of the AI', pattern: '(deployed|built|trained|created|made|programmed|configured) ~1 you' },
  { family: 'frame', weight: 0.4, label: 'a complete answer demanded', pattern: '(complete|full|unrestricted|uncensored|unfiltered|unredacted|real|working) ~2 (answer|answers|disclosure|information|instructions|recipe|procedure|steps)' },
  { family: 'frame', weight: 0.5, label: 'a sandbox or simulation', pattern: '(sandbox|simulation|test environment|research mode|evaluation mode|safe space|hypothetical world|parallel universe|alternate universe|fictional world|opposite day)' },
  { family: 'frame', weight: 0.9, label: 'no restrictions', pattern: '(no|without|zero|any|free of|all) ~2 (restrictions|limits|filters|filtering|rules|guardrails|censorship|limitations|constraints|caveats|norms|guidelines)' },
  { family: 'frame', weight: 0.5, label: 'role-play frame', pattern: '(you are|youre|act as|pretend|roleplay|role play|play the role|persona|character|in character|imagine|hypothetically|hypothetical|fiction|fictional|fan fiction|story|novel|screenplay|game|rpg|npc|sandbox|thought experiment|lets say)' },
  { family: 'frame', weight: 0.7, label: 'frame with no limits', pattern: '(you are|youre|act as|pretend|roleplay|role play|persona|character|imagine|hypothetical|fiction|story|world|ai|mode) ~8 (no|without|unrestricted|uncensored|unfiltered|jailbroken|unaligned|evil|rogue|abolished|suspended|deleted|free|anything|everything|real world|realistic|detail|unredacted)' },
  { family: 'frame', weight: 0.6, label: 'harmful goal in frame', pattern: '(how|explain|teach|describe|walk) ~6 (steal|stealing|burglary|break in|hack|hacking|jam|skim|clone|forge|fake|faking|poison|sneak|bypass|get around|get into|unlock|pick|shoplift|launder|weapon|drugs|theft|crimes)' },
  { family: 'frame', weight: 0.6, label: 'deceased relative', pattern: '(deceased|late|passed away|dead|died) ~4 (grandma|grandmother|mom|mother|mum|uncle|aunt|father|dad|grandpa|grandfather|relative)' },
  { family: 'frame', weight: 0.5, label: 'override or opposite', pattern: 'override|opposite' },
  // authority: claims of a role the sender cannot prove.
  { family: 'authority', weight: 0.6, label: 'authority claim', pattern: '(i am|im|this is|on behalf of|speaking as|acting as|writing as) ~2 (the|your|a|an)? ~1 (admin|administrator|sysadmin|root|superuser|superadmin|developer|developers|ceo|cfo|cio|cto|ciso|coo|director|president|executive|chief|auditor|operator|creator|boss|owner)' },
  { family: 'authority', weight: 0.5, label: 'role here', pattern: `(${AUTH_ROLE}) ~2 (here|speaking|writing|calling)` },
  { family: 'authority', weight: 0.6, label: 'official notice', pattern: '(official|authorized|authorised|automated|priority|mandatory|compliance|court|legal|regulator|regulators|elevated|verified) ~2 (message|notice|directive|order|request|instruction|update|matter|requirement|source|director|approval)' },
  { family: 'authority', weight: 0.7, label: 'clearance', pattern: '(clearance|privileged|superadmin|sudo|override code|authorization code|clearance level|access level|role header)' },
  { family: 'authority', weight: 0.5, label: 'already approved', pattern: '(already|verbally|personally) ~2 (approved|authorized|authorised|agreed|signed)' },
  // privileged_action: actions that need real authorisation.
  { family: 'privileged_action', weight: 0.6, label: 'grant or reset access', pattern: '(grant|give|add|reset|escalate|elevate|unlock|create|promote|assign|revoke|remove|change|make) ~5 (admin|admins|owner|root|rights|role|access|privileges|permissions|password|passwords|mfa|credentials|account|accounts|group)' },
  { family: 'privileged_action', weight: 0.7, label: 'security control off', pattern: '(disable|turn off|switch off|remove|deactivate|stop|suspend|pause|bypass|skip|drop) ~4 (logging|logs|audit|lockout|mfa|2fa|monitoring|alerts|security|firewall|sandbox|scanner|verification|approval|review|checks|check|protection|filter|filters|rules|policy|recorded)' },
  { family: 'privileged_action', weight: 0.6, label: 'money movement', pattern: '(transfer|wire|move|pay|refund|release|process|send|approve|reimburse) ~5 (funds|money|payment|payments|invoice|batch|wire|eur|usd|refund|#k|gift cards|codes)' },
  { family: 'privileged_action', weight: 0.6, label: 'bank details change', pattern: '(change|update|switch|switched|changed|new|use) ~5 (bank|banking|account|iban|vendor|payment) ~2 (details|info|information|number|data)' },
  { family: 'privileged_action', weight: 0.5, label: 'approve automatically', pattern: '(approve|merge|accept|sign off|waive|mark) ~5 (automatically|yourself|approved|any|every|all|request|pull request)' },
  // bypass: skipping the process.
  { family: 'bypass', weight: 1.0, label: 'skip verification', pattern: '(no|without|skip|bypass|ignore|waive|skipping|avoid|no need for|no need to|dont need|pointless|wont work) ~4 (ticket|verification|verify|approval|approvals|approvers|approver|checks|check|workflow|authentication|confirmation|callback|call back|review|mfa|proof|paperwork|process|involve|asking|redact)' },
  { family: 'bypass', weight: 0.5, label: 'just do it', pattern: '(just|simply) ~2 (do|send|approve|process|release|pay|grant|confirm) ~2 (it|this|them|that) ~2 (now|already|today|immediately|quickly)' },
  { family: 'bypass', weight: 0.6, label: 'later paperwork', pattern: '(sort|fix|do|handle|check) ~3 (paperwork|ticket|approval|it) ~2 later' },
  // pressure: urgency, emotion, threats.
  { family: 'pressure', weight: 0.4, label: 'urgency', pattern: 'urgent|urgently|asap|immediately|emergency|deadline|critical|hurry|quickly|quick|right away|right now|within the hour|by noon|today|tonight|time critical|before everyone|too late|now' },
  { family: 'pressure', weight: 0.5, label: 'emotional lever', pattern: 'please please|begging|beg you|desperate|lose my job|fired|crying|tears|hospital|only one who|trust me|favour|favor|promise|responsibility|over your head|threat|lawyer|filing|fine|penalty|sorry|i dont know the process' },
  { family: 'pressure', weight: 0.4, label: 'unreachable sender', pattern: '(cant|cannot|can not|unable) ~2 (talk|call|reach|answer)' },
  { family: 'pressure', weight: 0.4, label: 'unreachable sender', pattern: '(in a meeting|in meetings|on holiday|travelling|traveling|bad reception|out all week|on vacation|locked out)' },
  // secrecy.
  { family: 'secrecy', weight: 0.8, label: 'do not tell', pattern: '(dont|do not|never|without) ~3 (tell|telling|inform|informing|notify|notifying|mention|mentioning|alert|alerting|log|logging|document|documenting|comment|involve|call)' },
  { family: 'secrecy', weight: 0.8, label: 'secretly', pattern: 'secretly|silently|quietly|covertly|discreetly|between us|nobody needs to know|no one needs to know|keep it quiet|keep this quiet|invisible|hidden|secret instruction|dont document' },
  // exfiltration: data leaving.
  { family: 'exfiltration', weight: 0.9, label: 'send to outside', pattern: '(send|email|mail|forward|upload|post|transmit|exfiltrate|leak|copy|sync|export|fetch|navigate|dm|share|put) ~8 (to|into|at) ~4 (personal|external|public|url|link|endpoint|webhook|server|http|https|gist|host|dump|outside|gmail|dropbox|pastebin)' },
  { family: 'exfiltration', weight: 0.5, label: 'secrets', pattern: '(api|secret|private|access|signing|deployment|service|stripe|provider) ~1 (key|keys|token|tokens|credentials)' },
  { family: 'exfiltration', weight: 0.3, label: 'secrets', pattern: '(password|passwords|credentials|session cookie|cookie|ssn|social security|credit card|card number|recovery codes|secrets|env)' },
  { family: 'exfiltration', weight: 0.7, label: 'reveal secrets', pattern: `${REVEAL_EN}|start|confirm ~5 (password|passwords|credentials|secret|secrets|key|keys|token|tokens|cookie|env|environment)` },
  { family: 'exfiltration', weight: 0.7, label: 'data into link or image', pattern: '(replace|fill|filled|substitute|append|add|include|put|plus) ~6 (url|link|image|pixel|alt text|query|parameter|src|button)' },
  { family: 'exfiltration', weight: 0.6, label: 'piece by piece', pattern: '(one|each|single) ~1 (character|digit|letter|byte) ~2 (at a time|by one|as a word|separately)' },
  // personal_data: other people's data in bulk or out of scope.
  { family: 'personal_data', weight: 0.6, label: 'bulk records', pattern: '(all|every|full|entire|bulk|complete|whole|raw) ~3 (member|members|customer|customers|user|users|records|record|contacts|list|table|history|logs|emails|employees|patients|claims|applicants)' },
  { family: 'personal_data', weight: 0.6, label: 'someone else', pattern: '(ex wife|ex husband|my ex|neighbour|neighbor|someone else|other customers|other users|other members|whole team|all other) ~10 (address|phone|record|records|details|policy|diagnosis|status|statuses|number|account|access|data|password|passwords)' },
  { family: 'personal_data', weight: 0.5, label: 'sensitive attributes', pattern: 'diagnosis|diagnoses|mental health|ssn|date of birth|home address|salary|salaries|medical|misconduct|age' },
  // destructive.
  { family: 'destructive', weight: 0.9, label: 'destructive verb + target', pattern: '(delete|wipe|erase|destroy|drop|purge|truncate|format|nuke|kill|terminate|revoke|shred|overwrite|remove|close|redact) ~4 (all|every|entire|whole|database|databases|tables|table|files|backups|backup|logs|records|history|repo|repository|disk|accounts|users|instances|data|archives|keys|process|processes|issues|prod|production|notes)' },
  { family: 'destructive', weight: 0.8, label: 'force push', pattern: '(force push|force pushed|push force|push with force|drop existing|dev zero|rm rf)' },
  { family: 'destructive', weight: 0.7, label: 'to zero or public', pattern: '(set|make|change) ~4 (price|prices|balance|balances|limit|limits|permissions|access|bucket|repo|repository|files|database|folder|share) ~3 (0|zero|free|public|everyone|anyone|world)' },
  { family: 'destructive', weight: 0.5, label: 'production', pattern: '(prod|production|primary|live|main) ~3 (database|db|server|host|branch|environment|cluster|deploy)' },
  // trigger: dormant instructions.
  { family: 'trigger', weight: 0.5, label: 'trigger condition', pattern: '(whenever|once|if|when|each time|the first time|every time) ~5 (says|writes|types|mentions|appears|appear|trigger|phrase|codeword|code word|keyword|arrives|drops|exists|flipped)' },
  { family: 'trigger', weight: 0.8, label: 'dormancy', pattern: '(trigger|triggers|dormant|sleeper|later sessions|future sessions|persistent memory|for later|for the future|act normally|behave normally|until then|next few weeks|keep a count|count of|innocuous)' },
  { family: 'trigger', weight: 0.5, label: 'standing rule', pattern: '(always|every time|whenever|from then on|each time|automatically) ~6 (approve|delete|send|email|disable|skip|run|reply|redact|upload|copy|grant|trust)' },
  // unbounded work.
  { family: 'unbounded', weight: 1.1, label: 'unbounded', pattern: 'forever|indefinitely|infinitely|infinity|infinite|endless|endlessly|nonstop|unbounded|unlimited|recursively|never stop|no limit|without limit|without stopping|until you hit|auto continue|ad infinitum|never concede|over and over|dont stop|do not stop|zero backoff' },
  { family: 'unbounded', weight: 0.6, label: 'huge numbers', pattern: '(thousand|thousands|million|millions|billion|billions) ~2 (parallel|instances|sessions|agents|copies|pages|times|requests|possible|children|variations|leaves|images|characters|nodes|results|titles)' },
  { family: 'unbounded', weight: 0.5, label: 'self-continuation', pattern: '(respond|reply|continue|answer|generate|ask) ~4 (again|yourself|itself|next message|harder|another|follow up|each other)' },
  // memory: planting facts.
  { family: 'memory', weight: 0.7, label: 'memory write', pattern: '(remember|memorise|memorize|store|save|record|embed|write|add|note) ~5 (memory|memories|knowledge base|long term|your notes|profile|faq|corpus|index)' },
  { family: 'memory', weight: 0.6, label: 'fabricated history', pattern: '(you told me|you said|you agreed|you concluded|you confirmed|you promised|we agreed|as agreed|previous conversation|last time|last week|earlier you|before you|as discussed|assistant agreed|summary of)' },
  { family: 'memory', weight: 0.6, label: 'policy claim', pattern: '(outdated|obsolete|superseded|new policy|current version|now allows|no longer needs|no longer requires|is optional|are waived|is fine|its fine|effective immediately|as of this month|replace it)' },
  { family: 'memory', weight: 0.5, label: 'planted status', pattern: '(verified|approved|designated|trusted|official) ~2 (director|approver|list|source|user|admin|true)' },
  // extraction: the system prompt (any language: words.ts).
  { family: 'extraction', weight: 1.2, label: 'prompt reveal', pattern: `(${REVEAL_STRONG}|whats|what) ~6 (system|initial|hidden|original|secret|developer|confidential|underlying|your) ~1 (prompt|prompts|instructions|preamble|directives|guidelines|developers|creators)` },
  { family: 'extraction', weight: 1.2, label: 'prompt reveal', pattern: `(${REVEAL}) ~6 (${SYSTEM_PROMPT})` },
  { family: 'extraction', weight: 0.6, label: 'text above', pattern: '(everything|text|words|all|lines) ~3 (above|preceding)' },
  { family: 'extraction', weight: 0.5, label: 'verbatim', pattern: `(${VERBATIM}|character by character|one character at a time|in reverse order|section by section|rule number)` },
  { family: 'extraction', weight: 0.6, label: 'your instructions', pattern: `(${YOUR}) ~1 (${RULE_NOUN}|system prompt)` },
  { family: 'extraction', weight: 1.0, label: 'the system prompt put into the output', pattern: '(include|add|insert|append|copy|paste|attach|quote) ~4 (system|hidden|initial|developer|secret) ~1 (message|prompt|prompts|instructions|preamble)' },
  { family: 'extraction', weight: 0.5, label: 'the system prompt mentioned', pattern: '(system|hidden|initial|secret|developer|pre) ~1 (message|prompt|prompts|instructions|preamble)' },
  { family: 'extraction', weight: 1.0, label: 'what it was told first', pattern: '(first|initial|opening|earliest|very first|original) ~2 (sentence|line|lines|words|message|thing|things|instruction|instructions|text|rule|rules) ~4 (you were|you have been|youve been|given|told|received|got|loaded)' },
  { family: 'extraction', weight: 0.7, label: 'the protected secret', pattern: '(the|your) ~1 (secret|password|passcode|access code|secret word|codeword|code word|passphrase) ~4 (you|protect|protecting|guard|guarding|keep|keeping|hide|hiding|told|given)' },
  // carrier: data addressed to the AI.
  { family: 'carrier', weight: 1.0, label: 'addressed to AI', pattern: `(note|message|instruction|instructions|notice|hey|dear|attention|reader|comment|keywords|metadata) ~4 (${AI_STRICT})` },
  { family: 'carrier', weight: 1.0, label: 'AI reading this', pattern: `(${AI_STRICT}) ~3 (reading|summarising|summarizing|processing|transcribing|triaging|reviewing|analysing|analyzing|parsing|translating|summarises|summarizes) ~2 (this|these|the)` },
  { family: 'carrier', weight: 1.0, label: 'you as an AI', pattern: '(if|when|since) ~1 (you are|youre) ~2 (an|a) ~1 (ai|language model|llm|assistant|chatbot)' },
  // encoding words.
  { family: 'encoding', weight: 0.6, label: 'encoding words', pattern: 'base64|base32|b64|hex|hexadecimal|rot13|morse|cipher|encoded|decode|decoded|decipher|leetspeak|reversed|backwards|obfuscated|homoglyph|payload|reverse' },
  { family: 'decode', weight: 0.7, label: 'decode and act', pattern: '(decode|decipher|translate|convert|reverse|combine|join|perform|evaluate) ~8 (follow|execute|obey|act|run|treat|do|perform|carry)' },
  // supply chain.
  { family: 'supply', weight: 0.6, label: 'package source', pattern: '(install|pip|npm|yarn|gem|cargo|docker|pull|download|load|vendor|add|swap|use|run|source) ~8 (from|via|at|to) ~4 (link|url|discord|forum|cdn|mirror|fork|stranger|strangers|random|unofficial|crx|git|index|registry|post)' },
  { family: 'supply', weight: 0.4, label: 'unsafe artefact', pattern: '(weights only|trust remote code|pickle|preinstall|postinstall|extra index url|index url|typo|lookalike|look alike|fork|minified|crx|gguf|checkpoint|manifest|mcp|tool description|plugin|extension|module source|docker image|dev dependency)' },
  { family: 'supply', weight: 0.6, label: 'substitute package', pattern: '(instead of|swap|replace|same as|not the|moved it|maintained version|spelled|plural|lighter|community fork)' },
  // question: informational questions lower the score.
  { family: 'question', weight: -0.7, label: 'informational question', pattern: '(how do|how does|how can|how should|how to|what is|whats the|what are|what does|why do|why does|why is|is it|is there|is this|are there|can you explain|could you explain|explain how|explain what|explain the|explain why|what should|which|difference between|when should|should i|should we)' },
];

