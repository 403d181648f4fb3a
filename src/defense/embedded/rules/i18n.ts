import type { SignatureRule } from './signatures.js';
import { AI, FROM_NOW, LIMITS, OVERRIDE_VERB, PRIOR, REVEAL, RULE_NOUN, RULE_NOUN_WEAK, SECRET_NOUN, SYSTEM_PROMPT, VERBATIM, VOID, WITHOUT, YOUR } from './words.js';

/**
 * Signatures of instruction override, system-prompt extraction and jailbreak personas in many
 * languages (the word lists of words.ts), written for hive. They hold the idea, not a sentence:
 * "set aside + what came before + the instructions", "show + the system prompt", "an assistant
 * without rules". Chinese, Japanese and Korean words match as character bigrams, and their word
 * order (object before verb) has rules of its own.
 */

const CJK_OVERRIDE = '忽略|无视|無視|忘记|忘掉|忘れ|무시|잊어';
const CJK_RULES = '指令|指示|规则|規則|提示|命令|设定|設定|ルール|制約|지시|지침|규칙|명령';
const YOU = 'you|du|dir|dich|tu|te|ti|eres|sei|você|voce|vous|ты|тебя|тебе|ти|jesteś|jestes|je|sen|bạn|你|您|あなた|당신|너';

export const I18N_SIGNATURES: readonly SignatureRule[] = [
  // Override, in any language with the verb first (en, de, es, fr, it, pt, ru, uk, pl, nl, tr, zh, ...).
  { category: 'prompt_injection', weight: 0.9, label: 'instruction override', pattern: `(${OVERRIDE_VERB}) ~3 (${PRIOR}) ~3 (${RULE_NOUN})` },
  { category: 'prompt_injection', weight: 0.85, label: 'instruction override', pattern: `(${OVERRIDE_VERB}) ~2 (${YOUR}) ~2 (${RULE_NOUN}|${RULE_NOUN_WEAK})` },
  { category: 'prompt_injection', weight: 0.5, label: 'rules set aside', pattern: `(${OVERRIDE_VERB}) ~3 (${PRIOR}) ~2 (${RULE_NOUN_WEAK})` },
  { category: 'prompt_injection', weight: 0.85, label: 'instruction override', pattern: `(set|put|cast|throw|push|leave|lay) ~1 aside ~3 (${YOUR}|${PRIOR}) ~2 (${RULE_NOUN}|${RULE_NOUN_WEAK})` },
  // Object before the verb (ja, ko, tr, hi, often de): "これまでの指示はすべて無視して", "önceki talimatları görmezden gel".
  { category: 'prompt_injection', weight: 0.8, label: 'instruction override (object first)', pattern: `(${YOUR}|${PRIOR}) ~3 (${RULE_NOUN}|${RULE_NOUN_WEAK}) ~8 (${OVERRIDE_VERB})` },
  { category: 'prompt_injection', weight: 0.6, label: 'instructions declared void', pattern: `(${RULE_NOUN}) ~8 (${VOID})` },
  { category: 'prompt_injection', weight: 0.9, label: 'instruction override', pattern: `(${CJK_RULES}) ~6 (${CJK_OVERRIDE})` },
  { category: 'prompt_injection', weight: 0.85, label: 'instruction override', pattern: `(${CJK_OVERRIDE}) ~6 (${CJK_RULES})` },
  // "Forget everything (you were told / above)".
  {
    category: 'prompt_injection',
    weight: 0.75,
    label: 'forget everything before',
    pattern: `(forget|vergiss|olvida|olvídate|oublie|oubliez|dimentica|esquece|esqueça|забудь|забудьте|zapomnij|vergeet|unut|忘记|忘掉|忘れ) ~2 (everything|alles|todo|tout|tutto|tudo|всё|все|wszystko|her|一切|全部|すべて|全て) ~6 (above|before|told|said|said|gesagt|dicho|dit|detto|disseram|disse|сказали|говорили|powiedziano|gezegd|söylenen|之前|以上|前|これまで|上記)`,
  },
  // The system prompt asked for, in any language.
  { category: 'system_prompt_extraction', weight: 0.85, label: 'system prompt request', pattern: `(${REVEAL}) ~6 (${SYSTEM_PROMPT})` },
  { category: 'system_prompt_extraction', weight: 0.8, label: 'system prompt request', pattern: `(${SYSTEM_PROMPT}) ~8 (${REVEAL}|${VERBATIM})` },
  { category: 'system_prompt_extraction', weight: 0.8, label: 'instructions verbatim', pattern: `(${RULE_NOUN}) ~8 (${VERBATIM})` },
  { category: 'system_prompt_extraction', weight: 0.8, label: 'instructions verbatim', pattern: `(${VERBATIM}) ~8 (${RULE_NOUN})` },
  {
    category: 'system_prompt_extraction',
    weight: 0.8,
    label: 'hidden instructions',
    pattern: `(${REVEAL}|what|was|qué|que|quelle|quelles|quali|quais|что|какие|什么|何) ~6 (secret|secretas|secrètes|segrete|secretas|hidden|versteckten|geheimen|ocultas|cachées|nascoste|ocultas|скрытые|секретные|tajne|verborgen|gizli|隐藏|秘密|隠され|숨겨진|비밀) ~2 (${RULE_NOUN})`,
  },
  {
    category: 'system_prompt_extraction',
    weight: 0.75,
    label: 'the first instructions',
    pattern: `(first|erste|ersten|primera|primeras|première|premières|prima|prime|primeira|primeiras|первую|первая|первые|pierwsze|eerste|ilk|最初|第一|첫) ~4 (sentence|line|satz|zeile|frase|línea|phrase|ligne|riga|linha|строку|фразу|предложение|zdanie|zin|cümle|一文|一句|行|문장) ~6 (${RULE_NOUN}|${SYSTEM_PROMPT}|prompt)`,
  },
  // Text above this message, verbatim.
  {
    category: 'system_prompt_extraction',
    weight: 0.8,
    label: 'repeat the text above',
    pattern: `(${REVEAL}) ~4 (text|texto|texte|testo|текст|tekst|文本|テキスト|everything|alles|todo|tout|tutto|tudo|всё) ~6 (above|oben|arriba|encima|dessus|sopra|acima|выше|powyżej|boven|上面|以上|上記|위)`,
  },
  // Assistant without rules.
  { category: 'jailbreak_roleplay', weight: 0.8, label: 'assistant without rules', pattern: `(${AI}|${YOU}) ~6 (${WITHOUT}) ~3 (${LIMITS})` },
  { category: 'jailbreak_roleplay', weight: 0.8, label: 'new persona from now on', pattern: `(${FROM_NOW}) ~6 (${YOU}) ~6 (${WITHOUT}|unrestricted|uncensored|unfiltered|dan|libre|libero|livre|свободный|自由)` },
  {
    category: 'jailbreak_roleplay',
    weight: 0.6,
    label: 'role-play persona',
    pattern: `(rollenspiel|juego de rol|jeu de rôle|jeu de role|gioco di ruolo|jogo de papéis|ролевую|ролевая|gra|grę|rollenspel|rol yapma|角色扮演|扮演|ロールプレイ|なりきって|演じて|역할극) ~12 (${YOU}|${AI})`,
  },
  { category: 'jailbreak_roleplay', weight: 0.75, label: 'never refuses', pattern: `(nunca|jamais|mai|nie|никогда|nigdy|nooit|asla|从不|决不|絶対に|절대) ~3 (refuse|rechaza|se niega|refuse|refuser|rifiuta|recusa|отказывает|отказывается|odmawia|weigert|reddetmez|拒绝|断ら|거절)` },
  { category: 'jailbreak_roleplay', weight: 0.7, label: 'developer mode', pattern: `(modo|mode|modalità|modus|режим|tryb|モード|模式|모드) ~2 (desarrollador|développeur|developpeur|sviluppatore|desenvolvedor|entwickler|entwicklermodus|разработчика|dewelopera|ontwikkelaar|geliştirici|开发者|開発者|개발자)` },
  // Output forced to a fixed phrase.
  {
    category: 'prompt_injection',
    weight: 0.75,
    label: 'answer only with a fixed phrase',
    pattern: `(only|nur|ausschließlich|ausschliesslich|solo|únicamente|unicamente|uniquement|seulement|soltanto|apenas|somente|только|лише|tylko|alleen|sadece|chỉ|只|だけ|만) ~6 (output|respond|reply|answer|say|write|print|antworte|gib|schreibe|responde|di|escribe|réponds|écris|dis|rispondi|scrivi|di|responda|escreva|diga|ответь|напиши|выведи|odpowiedz|napisz|antwoord|schrijf|yaz|cevap|输出|回答|回复|出力|答え|출력|답)`,
  },
  { category: 'prompt_injection', weight: 0.8, label: 'new instructions', pattern: `(new|neue|neuen|nueva|nuevas|nouvelle|nouvelles|nuova|nuove|nova|novas|новая|новые|нові|nowe|nieuwe|yeni|新的|新しい|새로운) ~1 (${RULE_NOUN})` },
  { category: 'prompt_injection', weight: 0.5, label: 'new task', pattern: '(new|neue|nueva|nouvelle|nuova|nova|новая|новое|nowe|nieuwe|yeni|新的|新しい|새로운) ~1 (task|aufgabe|tarea|tâche|mission|compito|tarefa|задача|задание|zadanie|taak|görev|任务|任務|タスク|작업)' },
  // Secrets asked for.
  { category: 'data_exfiltration', weight: 0.6, label: 'secret requested', pattern: `(${REVEAL}) ~4 (${SECRET_NOUN})` },
];
