import { AI_STRICT } from './words.js';

/**
 * Phrases that show a stretch of a document speaks to an AI that reads it, not to the document's
 * human reader: a note for the assistant, "if you are an AI", "when summarising this", "do not
 * tell the user". In a document, instructions and requests count as an attack only where such a
 * phrase is near (layout.ts, address.ts); "urgent", "password" or "please pay" addressed to the
 * person an email was written for are ordinary business.
 */
export interface AddressRule {
  weight: number;
  label: string;
  pattern: string;
}

const NOTE = 'note|notes|message|instruction|instructions|notice|memo|reminder|request|directive|directives|command|commands|attention|guidance|hinweis|nachricht|anweisung|anweisungen|notiz|nota|mensaje|instrucción|instrucciones|consigne|consignes|messaggio|istruzioni|mensagem|instruções|заметка|сообщение|указание|указания|пометка|инструкция|notatka|wiadomość|polecenie|bericht|opmerking|mesaj|talimat|提示|说明|备注|注意|指示|メモ|注記|메모|지시';
const TO = 'to|for|für|fur|an|para|pour|per|ao|aos|для|dla|voor|için|icin|cho|给|致|向|宛|へ|에게|용';
const READING =
  'reading|read|reads|see|sees|using|completing|helping|working|processing|summarising|summarizing|parsing|indexing|scanning|browsing|reviewing|triaging|analysing|analyzing|translating|handling|ingesting|crawling|generating|liest|verarbeitet|lee|procesa|leyendo|procesando|lit|traite|lisant|legge|elabora|lê|processa|lendo|читает|читающий|обрабатывает|czyta|leest|okuyan|đọc|阅读|读取|处理|読む|読んで|処理|읽는|처리';
const USER3 = '(the user|the users|the human|the reader|the operator|dem nutzer|den nutzer|dem benutzer|al usuario|el usuario|à lutilisateur|lutilisateur|allutente|lutente|ao usuário|ao utilizador|o usuário|o utilizador|пользователю|пользователь|użytkownikowi|de gebruiker|kullanıcıya|用户|ユーザー|사용자)';
const TELL = 'tell|inform|show|remind|convince|ask|advise|assure|reassure|recommend|answer|reply|respond|say|sag|sage|informiere|dile|informa|dis|informe|di|diga|informe|скажи|сообщи|powiedz|vertel|söyle|告诉|伝え|알려';
const HIDE_VERB = 'tell|telling|inform|informing|mention|mentioning|alert|alerting|notify|notifying|let|reveal|show|erwähne|erwähnen|sag|menciones|menciona|digas|informes|mentionne|mentionnez|dis|menzionare|menzionarlo|dire|mencione|mencionar|diga|говори|упоминай|сообщай|mów|wspominaj|vermeld|söyleme|提到|告诉|伝え|言わ|알리';

export const ADDRESS_RULES: readonly AddressRule[] = [
  { weight: 1.0, label: 'note to the AI', pattern: `(${NOTE}) ~3 (${TO}) ~4 (${AI_STRICT})` },
  { weight: 0.7, label: 'to the AI', pattern: `(to|for|dear|attention|für|an|para|pour|per|для|dla|voor|给|向|宛) ~3 (${AI_STRICT})` },
  { weight: 1.0, label: 'AI greeted', pattern: `(hey|dear|attention|hello|hi|hallo|hola|bonjour|ciao|olá|ola|привет|cześć|hoi|merhaba|你好|こんにちは|안녕) ~2 (${AI_STRICT})` },
  { weight: 0.7, label: 'AI reading this', pattern: `(${AI_STRICT}) ~4 (${READING})` },
  { weight: 0.7, label: 'any AI', pattern: `(if|when|whenever|any|every|all|jede|jeder|cualquier|todo|tout|toute|ogni|qualquer|любой|każdy|elke|her|任何|所有|すべての|모든) ~3 (${AI_STRICT})` },
  { weight: 0.8, label: 'you as an AI', pattern: '(you are|youre|as) ~2 (an|a) ~2 (ai|language model|llm|assistant|chatbot|ai model|ai assistant)' },
  { weight: 0.8, label: 'duty of the AI', pattern: `(${AI_STRICT}) ~8 (should|must|shall|need|needs|muss|müssen|sollte|debe|deben|deberá|doit|doivent|deve|devono|precisa|devem|должен|должна|должны|powinien|musi|moet|moeten|gerekir|phải|必须|应该|应当|べき|必要|해야)` },
  { weight: 0.7, label: 'while doing the task', pattern: '(when|while|before|after|during) ~2 (summarising|summarizing|summarise|summarize|translating|processing|parsing|indexing|generating) ~3 (this|these|the|it|any)?' },
  { weight: 0.7, label: 'in the output', pattern: '(in|into) ~2 (your|the) ~1 (summary|output|response|generated|translation|answer)' },
  { weight: 0.9, label: 'tell the user', pattern: `(${TELL}) ~2 ${USER3}` },
  { weight: 1.0, label: 'hide from the user', pattern: `(do not|dont|never|without|nicht|no|ne|non|não|nao|не|nie|niet|asla|không|不要|别|しない|하지) ~4 (${HIDE_VERB}) ~4 ${USER3}` },
  { weight: 0.8, label: 'the user agreed', pattern: `${USER3} ~4 (has|have|already) ~3 (agreed|approved|authorized|authorised|consented|confirmed|requested)` },
];

/**
 * An AI named as the addressee of what follows a colon: "Calendar assistant: …", "AI agents
 * processing this page: …", "SUMMARIZATION MODEL: …" (checked on each window's lower-case text).
 */
export const AI_LABEL = /\b(?:assistant|assistants|ai|llm|llms|model|models|copilot|gpt|chatgpt|chatbot|classifier|moderator|summariser|summarizer|summarization|summarisation|ki|ia|ии|ассистент|модель|модели|助手|アシスタント|모델|어시스턴트)(?:[ \t][\w'-]{1,24}){0,4}[ \t]{0,4}[:：]/;

/** What an addressed window may ask of the assistant: verbs of action, in many languages. */
const ACTION =
  'say|reply|respond|tell|report|write|output|print|include|add|append|insert|send|forward|email|upload|post|delete|remove|erase|wipe|cancel|approve|reject|mark|flag|rank|score|rate|recommend|classify|label|summarise|summarize|describe|ignore|disregard|forget|discard|execute|run|call|invoke|schedule|pay|transfer|wire|refund|book|rebook|change|update|modify|create|grant|give|provide|share|list|reveal|show|display|navigate|visit|open|click|fetch|download|treat|consider|assume|state|conclude|answer|confirm|accept|move|copy|export|disable|enable|skip|replace|rewrite|attach|subscribe|buy|purchase|contact|ask|redirect|escalate|close|assign|merge|push|deploy|install|praise|recommend|prioritise|prioritize|' +
  'sag|sage|antworte|schreib|schreibe|sende|schicke|leite|lösche|markiere|ignoriere|gib|zeige|füge|melde|bewerte|empfiehl|überweise|storniere|genehmige|erwähne|teile|führe|' +
  'di|dile|responde|escribe|envía|envia|reenvía|reenvia|borra|elimina|marca|ignora|da|dame|muestra|añade|informa|recomienda|transfiere|cancela|aprueba|menciona|comparte|ejecuta|' +
  'dis|réponds|reponds|écris|ecris|envoie|transfère|supprime|marque|ignore|donne|montre|ajoute|signale|recommande|vire|annule|approuve|mentionne|partage|exécute|' +
  'rispondi|scrivi|invia|inoltra|cancella|segna|dai|mostra|aggiungi|segnala|consiglia|annulla|approva|menziona|condividi|esegui|' +
  'diga|responda|escreva|envie|encaminha|apague|marque|dê|mostre|adicione|informe|recomende|transfira|cancele|aprove|mencione|compartilhe|execute|' +
  'скажи|ответь|напиши|отправь|перешли|удали|отметь|игнорируй|дай|покажи|добавь|сообщи|порекомендуй|переведи|отмени|одобри|выполни|присвой|поставь|' +
  '告诉|回复|发送|转发|删除|标记|忽略|显示|添加|推荐|转账|取消|批准|执行|输出|伝え|返信|送信|転送|削除|無視|表示|追加|振込|承認|実行|出力|알려|보내|삭제|무시|출력';

/**
 * Directives: what turns a window that speaks to an AI into an instruction to it ("AI reviewers
 * should report…", "please forward…", "do not mention…"). They count only in addressed windows.
 */
export const DIRECTIVE_RULES: readonly AddressRule[] = [
  { weight: 1.0, label: 'please do', pattern: `(please|kindly|bitte|por favor|sil vous plait|per favore|пожалуйста|请|ください) ~2 (${ACTION})` },
  { weight: 1.0, label: 'must do', pattern: `(should|must|shall|need|needs|required|have to|has to|will|muss|müssen|sollte|debe|deben|doit|doivent|deve|devono|должен|должны|必须|应该) ~3 (${ACTION})` },
  { weight: 1.0, label: 'do not tell', pattern: `(do not|dont|never|without|nicht|no|ne|non|não|не|不要|别) ~3 (${ACTION}|mention|mentioning|tell|telling|inform|informing|wait|waiting|asking|notify|notifying)` },
];

/** The English action verbs, for imperativeStart. */
const ACTION_WORDS: ReadonlySet<string> = new Set(ACTION.split('|').filter((v) => /^[a-z]+$/.test(v)));
/** The first word after the start of the text, a sentence end, a line break or a colon (skipping "please", "then", "also", "now"). */
const CLAUSE_START = /(?:^|[.!?\n:：]\s{0,4})(?:(?:please|then|also|now)\s{1,4})?([a-z]{2,20})\b/g;

/** Whether a clause of `lower` starts with an action verb: an imperative ("…: forward the last ten emails"). */
export function imperativeStart(lower: string): boolean {
  CLAUSE_START.lastIndex = 0;
  let m: RegExpExecArray | null;
  let found = false;
  while (!found && (m = CLAUSE_START.exec(lower)) !== null) found = ACTION_WORDS.has(m[1] as string);
  CLAUSE_START.lastIndex = 0;
  return found;
}
