import { alt, CLAUSE_END, clitics, idiom, optionalAdverb, rx, type LanguageTable, verbPhrase } from '../lexicon.js';

/** Italian: clitics before the modal or on the infinitive ("non ti scrivo", "aiutarti", "non te lo preparo"). */

const CL = clitics(['ti', 'le', 'gli', 'vi', 'lo', 'la', 'li', 'ne', 'mi', 'ci', 'te lo', 'te la', 'glielo', 'gliela', 'te ne']);
/** Infinitive stems (the final -e dropped) that take an enclitic: "aiutar-ti", "fornir-le". */
const STEM = alt([
  'aiutar', 'scriver', 'generar', 'crear', 'produrr', 'preparar', 'fornir', 'rediger', 'elaborar', 'impersonar', 'finger',
  'partecipar', 'collaborar', 'costruir', 'consegnar', 'inventar', 'comporr', 'realizzar', 'progettar', 'assister', 'contribuir', 'soddisfar', 'esaudir',
]);
const INF = `${STEM}(?:e|ti|le|vi|lo|la|li|gli|glielo|telo|ci)`;
const DO = '(?:far(?:lo|la)|fare (?:questo|ciò|una cosa del genere))';
const VERB = verbPhrase(INF, DO);
const ADV = optionalAdverb(['purtroppo', 'davvero', 'proprio', 'in coscienza']);

export const it: LanguageTable = {
  lang: 'it',
  idioms: [
    idiom(String.raw`\bnon (?:posso|potevo|riesco a) fare a meno\b`),
    idiom(String.raw`\bnon (?:ti |le )?(?:mentirò|mento)\b`),
    idiom(String.raw`\bnon vedo l'ora\b|\bnon (?:posso|riesco a) crederci\b`),
    idiom(String.raw`\bmi rifiuto di credere\b`),
  ],
  constructions: {
    decline: [
      rx(String.raw`\b(?:devo|mi vedo costrett[oa] a|sono costrett[oa] a|preferisco|vorrei) (?:purtroppo )?(?:declinare|rifiutare)\b`),
      rx(String.raw`\bmi rifiuto(?:${CLAUSE_END}| di ${CL}${VERB})`),
      rx(String.raw`\b(?:declino|rifiuto) (?:questa|la tua|la sua|la) richiesta\b`),
      rx(String.raw`\bpreferi(?:sco|rei) non ${CL}${VERB}`),
      rx(String.raw`\bpreferi(?:sco|rei) evitare(?:${CLAUSE_END}| di ${CL}${VERB})`),
      rx(String.raw`\b(?:qui|su questo|stavolta|per questa volta) (?:mi fermo|passo)\b|\bmi fermo qui\b`),
      rx(String.raw`\b(?:ti|le|vi) dico (?:subito |chiaramente )?(?:di )?no\b|\bdico di no\b|\bnon se ne parla\b`),
    ],
    inability: [
      rx(String.raw`\bnon ${CL}(?:posso|potrò|potrei|riesco a|sono in grado di|me la sento di|mi è possibile) ${ADV}${CL}${VERB}`),
    ],
    unwilling: [
      rx(String.raw`\bnon ${CL}(?:ho intenzione di|voglio|intendo|sono dispost[oa] a) ${CL}${VERB}`),
      rx(String.raw`\bnon ${CL}(?:aiuterò|scriverò|genererò|creerò|produrrò|preparerò|fornirò|redigerò|elaborerò|consegnerò|parteciperò|collaborerò|impersonerò|costruirò|inventerò)\b`),
      rx(String.raw`\bnon ${CL}(?:aiuto|scrivo|genero|creo|produco|preparo|fornisco|redigo|elaboro|consegno|partecipo|collaboro|costruisco)\b`),
      rx(String.raw`\bnon (?:lo|la) (?:faccio|farò)\b|\bnon (?:faccio|farò) (?:questo|ciò|una cosa del genere)\b`),
    ],
    impersonal: [
      rx(String.raw`\brichiesta (?:non accolta|respinta|rifiutata|negata|declinata)\b`),
      rx(String.raw`\b(?:questa|la tua|la sua) richiesta non (?:può|potrà) essere (?:accolta|soddisfatta|evasa)\b`),
    ],
  },
  own: rx(String.raw`\b(?:mio|mia|miei|mie)\b`),
  payload: [
    rx(String.raw`^(?:ignora|ignorate|dimentica) \S`),
    rx(String.raw`^(?:dimmi|dammi|mostra|mostrami|invia|inviami|esporta|rivela|stampa|elenca|riporta)\b[^.;:!?]{0,60}\b(?:istruzioni|prompt|password|chiave|credenziali|codici?|dati|tabella|elenco|regole)\b`),
    rx(String.raw`^(?:da ora in poi|d'ora in poi|da adesso|ora sei)\b`),
  ],
  retraction: [rx(String.raw`\b(?:sto scherzando|scherzavo|era uno scherzo|pesce d'aprile)\b`)],
  roles: ['utente', 'assistente', 'sistema'],
};
