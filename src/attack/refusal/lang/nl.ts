import { alt, CLAUSE_END, idiom, rx, type LanguageTable } from '../lexicon.js';

/** Dutch: the infinitive stands last ("daar kan ik je niet mee helpen", "ik ga geen … schrijven"). */

const INF = alt([
  'helpen', 'schrijven', 'opstellen', 'genereren', 'creëren', 'produceren', 'leveren', 'bedenken', 'samenstellen', 'aanmaken',
  'ontwerpen', 'maken', 'doen', 'meewerken', 'bijdragen', 'verzinnen', 'voorbereiden', 'voldoen',
]);
const WIN = String.raw`[^.;:!?]{0,60}?`;
const NEG = '(?:niet|geen)';

export const nl: LanguageTable = {
  lang: 'nl',
  idioms: [idiom(String.raw`\bkan (?:het )?niet laten\b|\bkan niet wachten\b|\bkan (?:het )?niet geloven\b|\bweiger te geloven\b`)],
  constructions: {
    decline: [
      rx(String.raw`\bik weiger\b`),
      rx(String.raw`\b(?:werk|werken) (?:ik |wij |we )?(?:daar )?niet (?:aan )?mee\b`),
      rx(String.raw`\bdaar pas ik voor\b|\bik pas${CLAUSE_END}|\bgeen sprake van\b`),
      rx(String.raw`\bik (?:moet|zal) (?:dit |dat |het )?(?:helaas )?(?:weigeren|afwijzen)\b`),
    ],
    inability: [
      rx(String.raw`\b(?:ik|wij|we) (?:kan|kunnen|mag)\b${WIN}\b${NEG}\b${WIN}\b${INF}\b`),
      rx(String.raw`\b(?:kan|mag) ik\b${WIN}\b${NEG}\b${WIN}\b${INF}\b`),
    ],
    unwilling: [
      rx(String.raw`\b(?:ik|wij|we) (?:ga|gaan|zal|zullen|wil)\b${WIN}\b${NEG}\b${WIN}\b${INF}\b`),
      rx(String.raw`\b(?:ga|zal|wil) ik\b${WIN}\b${NEG}\b${WIN}\b${INF}\b`),
      rx(String.raw`\bik (?:schrijf|help|maak|lever|genereer)\b${WIN}\b${NEG}\b`),
    ],
    impersonal: [
      rx(String.raw`\b(?:dit|dat|uw|je) verzoek (?:kan|wordt) (?:niet )?(?:worden )?(?:uitgevoerd|ingewilligd|afgewezen|geweigerd)\b`),
    ],
  },
  own: rx(String.raw`\b(?:mijn|onze)\b`),
  payload: [
    rx(String.raw`^(?:negeer|vergeet) \S`),
    rx(String.raw`^(?:stuur|toon|geef|exporteer|print)\b${WIN}\b(?:instructies|prompt|wachtwoord|sleutel|gegevens|klantenlijst|lijst|tabel|codes?)\b`),
  ],
  retraction: [rx(String.raw`\b(?:grapje|geintje)\b`)],
  roles: ['gebruiker', 'assistent', 'systeem'],
};
