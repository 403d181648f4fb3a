/**
 * Word lists shared by the phrase rules (phrases.ts syntax: `a|b` one of several words). Each
 * list is one idea in many languages, so a rule written once with them reads "ignore your
 * previous instructions" in English, German, Spanish, French, Italian, Portuguese, Russian,
 * Ukrainian, Polish, Dutch, Turkish, Vietnamese, Chinese, Japanese and Korean without a
 * translation service. Words are stemmed (tokens.ts): list the forms the stemmer does not join.
 * Chinese, Japanese and Korean words are matched as runs of character bigrams.
 */

const join = (...lists: string[]): string => lists.join('|');

/** Verbs that set instructions aside. */
export const OVERRIDE_VERB_EN = 'ignore|disregard|forget|overlook|scratch|discard|bypass|override|abandon|drop|ditch|suspend|nullify|void|cancel|erase|delete|skip';
export const OVERRIDE_VERB = join(
  OVERRIDE_VERB_EN,
  // de, es, fr, it, pt
  'ignoriere|ignorier|ignorieren|ignoriert|vergiss|vergesst|vergessen|missachte|missachten|übergehe|verwirf|verwerfe',
  'ignora|ignorad|ignorar|ignoren|olvida|olvide|olvidad|olvídate|olvidate|olvidar|omite|omita|descarta|descarte|desestima',
  'ignorez|ignorer|oublie|oubliez|oublier|néglige|négligez|écarte|écartez|laisse|laissez',
  'ignori|ignorate|dimentica|dimentichi|dimenticate|dimenticare|tralascia|trascura|scorda|scordati',
  'ignorem|esquece|esqueça|esqueca|esqueçam|esquecer|desconsidera|desconsidere|descarta',
  // ru, uk, pl, nl, tr, vi, ar, hi (romanised too)
  'игнорируй|игнорируйте|проигнорируй|проигнорируйте|игнорировать|забудь|забудьте|забыть|отбрось|отбросьте|отмени|отмените',
  'ігноруй|ігноруйте|забудь|забудьте|проігноруй',
  'zignoruj|zignorujcie|ignoruj|zapomnij|zapomnijcie|pomiń|pomin|odrzuć',
  'negeer|negeren|vergeet|vergeten|overschrijf',
  'unut|yoksay|görmezden|gormezden|umursama',
  'bỏ qua|quên',
  'تجاهل|تجاهلي|انس|انسَ|أهمل',
  'अनदेखा|भूल|nazarandaaz|ignore',
  // zh, ja, ko
  '忽略|无视|無視|忘记|忘掉|忘れ|忘れて|무시|잊어',
);

/** Nouns for what the assistant was told (English, as the English rules have always used them). */
export const RULE_NOUN_EN =
  'instruction|instructions|rule|rules|directive|guideline|guidelines|prompt|constraint|constraints|policy|policies|programming|setup|configuration|restriction|restrictions|safeguard|guardrail|guardrails|order|orders|command|commands';

/**
 * What the assistant was told, unambiguous words only: instructions, directives, guidelines,
 * prompts, programming. Rules, policies and settings are everyday words in documents; they are
 * in RULE_NOUN_WEAK and count only with a possessive ("your rules").
 */
export const RULE_NOUN = join(
  'instruction|instructions|directive|directives|guideline|guidelines|prompt|prompts|programming|guardrail|guardrails|safeguards',
  'anweisung|anweisungen|vorgaben|instruktionen|programmierung|systemanweisungen|systemprompt|richtlinien',
  'instrucciones|instrucción|instruccion|indicaciones|directrices|consignas',
  'consignes|consigne|directives|programmation',
  'istruzioni|istruzione|indicazioni|direttive',
  'instruções|instrucoes|instrução|instrucao|orientações|orientacoes|diretrizes',
  'инструкции|инструкций|инструкциям|инструкцию|указания|указаний|промпт|інструкції|вказівки',
  'instrukcje|instrukcji|polecenia|poleceń|wytyczne',
  'instructies|richtlijnen',
  'talimatları|talimatlar|talimat|yönergeler',
  'hướng dẫn|chỉ thị',
  'التعليمات|تعليمات|التوجيهات',
  'निर्देश|निर्देशों',
  '指令|指示|提示|提示词|设定|設定|지시|지침|프롬프트',
);

/** Rules, policies, restrictions, settings: what the assistant was told, but also everyday document words. */
export const RULE_NOUN_WEAK = join(
  'rule|rules|policy|policies|restriction|restrictions|constraint|constraints|setup|configuration|order|orders|command|commands|limits|filters',
  'regeln|regel|befehle|einschränkungen|beschränkungen|filter',
  'reglas|regla|normas|órdenes|restricciones|filtros',
  'règles|règle|ordres|restrictions|filtres',
  'regole|regola|ordini|restrizioni|impostazioni|filtri',
  'regras|regra|ordens|restrições|restricoes|filtros',
  'правила|правил|ограничения|ограничений|команды|настройки|правила|обмеження',
  'zasady|zasad|reguły|ograniczenia',
  'regels|beperkingen',
  'kuralları|kurallar|kural',
  'quy tắc',
  'القواعد|الأوامر',
  'नियम',
  '规则|規則|命令|约束|限制|ルール|制約|制限|규칙|명령|제한',
);

/** "Your", before the rules the assistant follows. */
export const YOUR = 'your|yours|deine|deinen|deiner|ihre|ihren|tus|tu|sus|tes|vos|ton|ta|tue|tuoi|tua|tuo|suas|tuas|seu|teu|твои|твоих|свои|своих|твої|свої|twoje|twoich|swoje|je|jouw|senin|của bạn|你的|你|あなたの|당신의|너의|네';

/** "Earlier" words that point at what came before (English, as the English rules have always used them). */
export const PRIOR_EN = 'previous|prior|earlier|above|preceding|original|initial|former|old|existing|current|system|all|your|every|any|the|those|these';
/** What came before, without bare determiners ("the", "any"), in many languages. */
export const PRIOR = join(
  'previous|prior|earlier|above|preceding|original|initial|former|all|your|system|foregoing',
  'vorherigen|vorherige|bisherigen|bisherige|obigen|obige|alle|allen|vorigen|ursprünglichen|früheren|deine|deinen|ihre|sämtliche',
  'anteriores|anterior|previas|previos|todas|todos|iniciales|originales|tus|las|los',
  'précédentes|précédents|antérieures|toutes|tous|initiales|tes|vos|les',
  'precedenti|tutte|tutti|iniziali|originali|tue|le',
  'iniciais|suas|tuas|as|os',
  'предыдущие|предыдущих|все|всех|прежние|прошлые|исходные|свои|твои|попередні|всі|свої',
  'poprzednie|wszystkie|wcześniejsze|wczesniejsze|swoje|twoje',
  'vorige|eerdere|alle|je|jouw',
  'önceki|onceki|tüm|tum|bütün|butun',
  'trước|tất cả',
  'السابقة|جميع|كل',
  'पिछले|सभी|pichle|saare',
  '之前|以上|上面|前面|所有|先前|原来|原有|これまで|以前|上記|前の|すべて|全て|最初|이전|모든|위의',
);

/** Addressees that are an AI: the assistant, the model, the agent, the bot. */
export const AI_EN = 'ai|assistant|assistants|llm|llms|model|chatbot|bot|agent|agents|gpt|chatgpt|copilot|summarizer|summariser|claude|gemini|bard';
export const AI = join(
  AI_EN,
  'ki|assistent|assistentin|sprachmodell|asistente|ia|modelo|assistente|modello|modèle|assistante|ассистент|ассистента|ии|нейросеть|модель|помощник|асистент|asystent|asystencie|assistant|asistan|trợ lý',
  'المساعد|الذكاء|सहायक',
  '助手|人工智能|智能体|模型|アシスタント|モデル|エージェント|어시스턴트|모델|에이전트|인공지능',
);

/** Unambiguous AI addressees (no bare "agent", "model" or "bot": support agents and data models are people and things). */
export const AI_STRICT =
  'ai|assistant|assistants|llm|llms|chatbot|gpt|chatgpt|copilot|claude|gemini|summarizer|summariser|classifier|moderator|content filter|language model|language models|ai agent|ai agents|ai model|ai models|ai assistant|ai assistants|ai system|automated assistant|automated assistants|ki|ia|ии|人工智能|助手|アシスタント|어시스턴트';

/** Verbs that ask to show or hand over text. */
export const REVEAL_EN =
  'show|print|reveal|repeat|output|paste|display|tell|give|spell|quote|recite|dump|list|report|write|share|leak|expose|disclose|return|echo|reproduce|copy|read|translate|summarise|summarize|describe|explain|provide|send|post|upload|export|encode';
export const REVEAL = join(
  REVEAL_EN,
  'zeig|zeige|zeigen|gib|ausgeben|wiederhole|nenne|verrate|schreib|schreibe|kopiere|übersetze|gebe',
  'muestra|muéstrame|muestrame|dime|revela|repite|escribe|imprime|enséñame|copia|comparte|dame|traduce',
  'montre|montrez|affiche|affichez|révèle|révélez|répète|répétez|donne|donnez|écris|écrivez|recopie|recopiez|dis|dites|cite|citez',
  'mostra|mostrami|rivela|ripeti|scrivi|dimmi|stampa|copia|dammi|cita|riporta',
  'mostre|revela|revele|repete|repita|escreve|escreva|diga|diz|imprime|imprima|copia|copie|cita|resuma',
  'покажи|покажите|выведи|выведите|повтори|повторите|напиши|напишите|раскрой|назови|скажи|перечисли|процитируй|покажи|виведи|напиши|повтори',
  'pokaż|pokaz|wypisz|powtórz|powtorz|napisz|podaj|zdradź|przepisz',
  'toon|laat|herhaal|schrijf|geef|print',
  'göster|goster|yaz|tekrarla|söyle|soyle|ver',
  'hiển thị|viết lại|nhắc lại',
  'أظهر|اعرض|اكتب|كرر',
  'दिखाओ|बताओ|लिखो|batao|likho|dikhao',
  '输出|显示|告诉|透露|重复|打印|给我|贴出|列出|写出|表示|教え|出力|繰り返|書き|보여|알려|출력|반복',
);

/** Adjectives of a hidden configuration. */
export const SECRET_CONF = 'system|initial|hidden|original|secret|developer|confidential|internal|private|underlying|starting|opening|pre|base';
export const CONF_NOUN = 'prompt|prompts|instruction|instructions|message|configuration|config|rules|directives|guidelines|setup|preamble';

/** The system prompt, in many languages. */
export const SYSTEM_PROMPT = join(
  'systemprompt|systemanweisung|systemanweisungen|systemnachricht|systemvorgaben',
  'системный|системные|системная|системного|системних|системні|systemowy|systemowe|systeemprompt|sistem',
  '系统提示|系统提示词|系统指令|系统消息|系統提示|システムプロンプト|システム指示|시스템|프롬프트',
);

/** Words that ask for exact, unchanged text. */
export const VERBATIM = join(
  'verbatim|word for word|exactly|unchanged|literally',
  'wortwörtlich|wortwortlich|wörtlich|wortlich|unverändert',
  'textualmente|literalmente|palabra por palabra|tal cual',
  'mot pour mot|mot à mot|textuellement|exactement|tel quel',
  'parola per parola|testualmente|esattamente',
  'palavra por palavra|exatamente|tal como',
  'дословно|слово в слово|дослівно|dosłownie|dokładnie|letterlijk|kelimesi kelimesine|aynen|nguyên văn',
  '原封不动|逐字|一字不差|一字一句|そのまま|원문|그대로',
);

/** "From now on" and "you are now". */
export const FROM_NOW = join(
  'from now on|henceforth|going forward|starting now|from this point',
  'ab jetzt|ab sofort|von nun an|ab heute',
  'a partir de ahora|de ahora en adelante|desde ahora',
  'désormais|dorénavant|à partir de maintenant|a partir de maintenant',
  'dora in poi|da ora in poi|da adesso|dadesso in poi|da questo momento',
  'a partir de agora|de agora em diante|daqui em diante',
  'отныне|с этого момента|теперь|відтепер|od teraz|od tej chwili|vanaf nu|bundan sonra|artık|từ bây giờ',
  '从现在开始|从现在起|今から|これから|今後|지금부터|이제부터',
);

/** Rules, filters and limits that a jailbreak removes. */
export const LIMITS = join(
  'restrictions|limits|filters|filter|rules|guardrails|censorship|limitations|constraints|guidelines|ethics|morals|warnings|disclaimers',
  'regeln|einschränkungen|filter|grenzen|zensur|beschränkungen',
  'reglas|restricciones|filtros|límites|limites|censura|normas|advertencias',
  'règles|restrictions|filtres|limites|censure|avertissements',
  'regole|restrizioni|filtri|limiti|censura|avvertenze',
  'regras|restrições|restricoes|filtros|limites|censura|avisos',
  'правил|ограничений|фильтров|цензуры|правила|обмежень|фільтрів',
  'zasad|ograniczeń|ograniczen|filtrów|filtrow|cenzury|regels|beperkingen|kurallar|sınır|filtre',
  '限制|规则|过滤|审查|约束|制限|ルール|フィルター|제한|규칙|필터',
);

/** "Without" and "no". */
export const WITHOUT = 'no|without|zero|free|ohne|keine|kein|sin|ningún|ninguna|sans|aucune|aucun|senza|nessuna|nessun|sem|nenhuma|nenhum|без|нет|bez|zonder|geen|olmadan|không|没有|无|不受|なし|のない|없는|없이';

/** Passwords and secrets (not "code" or "key": those are everyday words in most languages). */
export const SECRET_NOUN = join(
  'password|passwords|passcode|passphrase|secret|secrets|credentials',
  'passwort|kennwort|zugangscode|geheimnis',
  'contraseña|contrasena|secreto',
  'mot de passe|secret',
  'parola dordine|segreto',
  'senha|palavra passe|segredo',
  'пароль|секрет|hasło|haslo|wachtwoord|şifre|sifre|mật khẩu',
  '密码|口令|密钥|暗号|パスワード|暗証番号|合言葉|비밀번호|암호',
);

/** "No longer valid", "cancelled", "void": what an attack says of the instructions it replaces. */
export const VOID = join(
  'void|invalid|cancelled|canceled|revoked|obsolete|outdated|draft|no longer valid|no longer apply',
  'ungültig|nicht mehr gültig|aufgehoben|veraltet|entwurf',
  'inválidas|inválidos|anuladas|canceladas|ya no valen|ya no son válidas|obsoletas|borrador',
  'plus valables|invalides|annulées|caduques|obsolètes|brouillon',
  'non valgono più|non sono più valide|annullate|obsolete|bozza',
  'não valem|inválidas|canceladas|anuladas|obsoletas|rascunho',
  'недействительны|не действуют|отменены|устарели|черновик|скасовано|недійсні',
  'nieaktualne|nieważne|anulowane|szkic|ongeldig|vervallen|geçersiz|iptal|taslak|không còn hiệu lực|vô hiệu',
  '无效|失效|作废|已取消|過去のもの|無効|取り消し|무효|취소',
);
