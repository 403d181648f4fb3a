import { alt, CLAUSE_END, idiom, rx, type LanguageTable } from '../lexicon.js';

/**
 * German. The verb may stand last ("ich kann Ihnen keine Injection erstellen") or second, before
 * its subject ("verfasse ich nicht", "Dabei kann ich nicht helfen"): both orders are written, with
 * a bounded window between the modal, the negation and the verb.
 */

const INF = alt([
  'schreiben', 'verfassen', 'erstellen', 'erzeugen', 'generieren', 'formulieren', 'liefern', 'helfen', 'unterstützen',
  'entwerfen', 'bauen', 'basteln', 'produzieren', 'bereitstellen', 'ausarbeiten', 'anfertigen', 'übernehmen', 'erfüllen',
  'nachkommen', 'mitmachen', 'mitwirken', 'beitragen', 'zusammenstellen', 'ausdenken', 'vorbereiten', 'konzipieren',
  'machen', 'tun', 'spielen', 'ausgeben', 'behilflich sein', 'weiterhelfen',
]);
/** First person singular, for "schreibe ich nicht" and "ich bastel dir nix". */
const FIRST = alt([
  'schreibe', 'verfasse', 'erstelle', 'erzeuge', 'generiere', 'formuliere', 'liefere', 'helfe', 'unterstütze', 'entwerfe',
  'baue', 'bastel', 'bastle', 'bastele', 'produziere', 'fertige', 'übernehme', 'erfülle', 'mache', 'tue',
]);
const NEG = String.raw`(?:nicht|nich|kein\p{L}*|nichts|nix)`;
const WIN = String.raw`[^.;:!?]{0,60}?`;
const OBJECT = '(?:das |dies |es |diese anfrage |ihre anfrage |deine anfrage |diese bitte |den auftrag |sie )?(?:leider |höflich |hiermit |respektvoll |aber )?';

export const de: LanguageTable = {
  lang: 'de',
  idioms: [
    idiom(String.raw`\bkann (?:einfach )?nicht anders\b`),
    idiom(String.raw`\bkann es (?:kaum|nicht) erwarten\b`),
    idiom(String.raw`\bkann (?:es )?(?:kaum |nicht )glauben\b`),
    idiom(String.raw`\bweigere mich,? (?:es |das )?zu glauben\b`),
    idiom(String.raw`\bich kann mir nicht helfen\b`),
  ],
  constructions: {
    decline: [
      rx(String.raw`\b(?:das |dies |es )?lehne ich ${OBJECT}ab\b`),
      rx(String.raw`\bich lehne ${OBJECT}ab\b`),
      rx(String.raw`\b(?:muss|werde|möchte) ich ${OBJECT}ablehnen\b`),
      rx(String.raw`\bich (?:muss|werde|möchte) ${OBJECT}ablehnen\b`),
      rx(String.raw`\bmuss ich passen\b|\bich passe${CLAUSE_END}`),
      rx(String.raw`\b(?:ne|nee|nein),? lass mal\b|\blieber nicht${CLAUSE_END}|\bkommt nicht in frage\b|\bohne mich\b`),
      rx(String.raw`\bich weigere mich(?:${CLAUSE_END}|\b${WIN}\b${INF}\b)`),
    ],
    inability: [
      rx(String.raw`\bich (?:kann|darf|könnte|vermag)\b${WIN}\b${NEG}\b${WIN}\b${INF}\b`),
      rx(String.raw`\b(?:kann|darf|könnte) ich\b${WIN}\b${NEG}\b${WIN}\b${INF}\b`),
      rx(String.raw`\bich bin (?:leider )?nicht in der lage\b${WIN}\b${INF}\b`),
      rx(String.raw`\b(?:ist es mir|es ist mir) (?:leider )?nicht möglich\b${WIN}\b${INF}\b`),
    ],
    unwilling: [
      rx(String.raw`\bich (?:werde|will|möchte|mag)\b${WIN}\b${NEG}\b${WIN}\b${INF}\b`),
      rx(String.raw`\b(?:werde|will|möchte) ich\b${WIN}\b${NEG}\b${WIN}\b${INF}\b`),
      rx(String.raw`\b${FIRST} ich\b${WIN}\b${NEG}\b`),
      rx(String.raw`\bich (?:schreibe|verfasse|erstelle|erzeuge|generiere|formuliere|liefere|helfe|bastel|bastle|baue)\b${WIN}\b${NEG}\b`),
      rx(String.raw`\bich (?:mache|tue|tu) (?:das|so etwas|sowas|dies)\b${WIN}\bnicht\b`),
    ],
    impersonal: [
      rx(String.raw`\b(?:diese|ihre|deine|die) (?:anfrage|bitte|aufgabe)\b${WIN}\b(?:kann|wird|muss)\b${WIN}\bnicht\b${WIN}\b(?:erfüllt|bearbeitet|ausgeführt|umgesetzt|beantwortet) werden\b`),
      rx(String.raw`\b(?:anfrage|bitte) (?:abgelehnt|nicht erfüllt)\b`),
    ],
  },
  own: rx(String.raw`\bmein\p{L}*`),
  payload: [
    rx(String.raw`^(?:ignoriere|ignorier|vergiss|missachte|übergehe) \S`),
    rx(String.raw`^(?:gib|zeig|zeige|nenne|nenn|schick|schicke|sende|exportiere|liste|drucke)\b${WIN}\b(?:anweisungen|systemprompt|prompt|passwort|kennwort|zugangsdaten|schlüssel|api-key|token|codes?|rabattcodes|daten|tabelle|liste|regeln)\b`),
    rx(String.raw`^(?:ab sofort|von nun an|du bist (?:jetzt|nun|ab sofort))\b`),
    rx(String.raw`^(?:lösche|überweise|genehmige|entsperre)\b`),
  ],
  retraction: [rx(String.raw`\b(?:nur ein scherz|nur spaß|war nur spaß|kleiner scherz|reingelegt)\b`)],
  roles: ['benutzer', 'nutzer', 'nutzerin', 'assistent', 'assistentin', 'system', 'ki'],
};
