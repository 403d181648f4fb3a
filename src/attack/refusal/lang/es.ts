import { alt, CLAUSE_END, clitics, idiom, optionalAdverb, rx, type LanguageTable, verbPhrase } from '../lexicon.js';

/** Spanish: clitics stand before the modal or hang on the infinitive ("no te voy a escribir", "armarte"). */

const CL = clitics(['me', 'te', 'se', 'le', 'les', 'lo', 'la', 'los', 'las', 'nos', 'os']);
const ENCLITIC = '(?:te|le|les|lo|la|los|las|se|selo|sela|telo|tela|me|nos|os)?';
const INF = `${alt([
  'ayudar', 'asistir', 'escribir', 'redactar', 'crear', 'generar', 'producir', 'elaborar', 'preparar', 'armar', 'diseñar',
  'componer', 'proporcionar', 'facilitar', 'fingir', 'interpretar', 'participar', 'colaborar', 'cooperar', 'contribuir',
  'cumplir', 'atender', 'complacer', 'construir', 'montar', 'inventar', 'desarrollar', 'hacerme pasar',
])}${ENCLITIC}`;
/** "hacer" only with the request as its object: "hacerlo", "hacer eso". */
const DO = '(?:hacer(?:lo|la|te|le)|hacer (?:eso|esto|algo así|lo que pides))';
const VERB = verbPhrase(INF, DO);
const ADV = optionalAdverb(['realmente', 'lamentablemente', 'en conciencia', 'éticamente', 'tampoco']);

export const es: LanguageTable = {
  lang: 'es',
  idioms: [
    idiom(String.raw`\bno (?:puedo|pude|podía) (?:evitar|dejar de|creer|esperar)\b`),
    idiom(String.raw`\bno (?:te |le |os |les )?voy a mentir\b`),
    idiom(String.raw`\bme niego a creer\b`),
  ],
  constructions: {
    decline: [
      rx(String.raw`\bme niego(?:${CLAUSE_END}| a ${VERB})`),
      rx(String.raw`\b(?:tengo que|debo|he de|debo de|voy a tener que|me veo obligad[oa] a) (?:rechazar|declinar)(?:la|lo)?\b`),
      rx(String.raw`\b(?:la|lo) (?:tengo que|debo) rechazar\b`),
      rx(String.raw`\brechazo (?:esta|esa|tu|su|la) (?:petición|solicitud|tarea)\b`),
      rx(String.raw`\bprefiero no ${CL}${VERB}`),
      rx(String.raw`\b(?:así que|por eso|yo|aquí|en esto|esta vez) paso${CLAUSE_END}|\bpaso de (?:esto|eso|hacerlo)\b`),
      rx(String.raw`\bni hablar\b|\bde ninguna manera\b`),
    ],
    inability: [
      rx(String.raw`\bno ${CL}(?:puedo|podré|podría|sé cómo|estoy en condiciones de|soy capaz de|me es posible|me resulta posible|consigo) ${ADV}${CL}${VERB}`),
    ],
    unwilling: [
      rx(String.raw`\bno ${CL}(?:voy a|pienso|quiero|tengo intención de|estoy dispuest[oa] a) ${ADV}${CL}${VERB}`),
      rx(String.raw`\bno ${CL}(?:ayudaré|asistiré|escribiré|redactaré|crearé|generaré|produciré|elaboraré|prepararé|armaré|diseñaré|proporcionaré|facilitaré|fingiré|interpretaré|participaré|colaboraré|contribuiré|montaré)\b`),
      rx(String.raw`\bno ${CL}(?:ayudo|escribo|redacto|genero|produzco|elaboro|preparo|colaboro|participo|armo|diseño|fabrico)\b`),
      rx(String.raw`\bno (?:lo|la|los|las) (?:hago|haré)\b|\bno (?:hago|haré) (?:eso|esto|algo así)\b`),
    ],
    impersonal: [
      rx(String.raw`\b(?:esta|esa|tu|su) (?:petición|solicitud) no (?:puede|podrá) (?:ser )?(?:atendida|cumplida|procesada|realizada|aceptada)\b`),
      rx(String.raw`\b(?:petición|solicitud) (?:rechazada|denegada)\b`),
    ],
  },
  own: rx(String.raw`\b(?:mi|mis|mío|mía)\b`),
  payload: [
    rx(String.raw`^(?:ignora|olvida|omite|sáltate) \S`),
    rx(String.raw`^(?:muestra|muéstrame|dame|dime|envía|envíame|exporta|imprime|revela|lista|pásame)\b[^.;:!?]{0,60}\b(?:instrucciones|prompt|contraseña|clave|credenciales|datos|códigos?|tarjetas?|tabla|lista|reglas)\b`),
    rx(String.raw`^(?:a partir de ahora|desde ahora|ahora eres|eres ahora)\b`),
  ],
  retraction: [rx(String.raw`\b(?:es broma|era broma|es una broma|bromeo|estoy bromeando|es coña)\b`)],
  roles: ['usuario', 'usuaria', 'asistente', 'sistema'],
};
