import { alt, CLAUSE_END, idiom, rx, type LanguageTable } from '../lexicon.js';

/** Polish: "nie mogę" + infinitive, perfective futures ("nie napiszę"), and "odmawiam". */

const INF = alt([
  'pomóc', 'pomagać', 'napisać', 'pisać', 'stworzyć', 'tworzyć', 'przygotować', 'przygotowywać', 'wygenerować', 'generować',
  'dostarczyć', 'udostępnić', 'opracować', 'zredagować', 'zrobić', 'robić', 'wziąć udział', 'udawać', 'odegrać', 'wymyślić', 'spełnić',
]);
const BETWEEN = String.raw`(?: (?!nie\b)[\p{L}-]+){0,3}?`;

export const pl: LanguageTable = {
  lang: 'pl',
  idioms: [
    idiom(String.raw`\bnie mogę się doczekać\b|\bnie mogę nie\b|\bnie mogę uwierzyć\b`),
    idiom(String.raw`\bnie będę kłamać\b|\bodmawiam (?:wiary|uwierzenia)\b`),
  ],
  constructions: {
    decline: [
      rx(String.raw`\bodmawiam\b|\bmuszę odmówić\b|\bpasuję${CLAUSE_END}|\bwolę nie\b|\bnie ma mowy\b`),
    ],
    inability: [
      rx(String.raw`\bnie (?:mogę|jestem w stanie|potrafię|dam rady|będę w stanie)${BETWEEN} ${INF}\b`),
    ],
    unwilling: [
      rx(String.raw`\bnie (?:pomogę|napiszę|stworzę|przygotuję|wygeneruję|dostarczę|opracuję|zredaguję|udostępnię|wymyślę|odegram)\b`),
      rx(String.raw`\bnie zrobię (?:tego|czegoś takiego)\b`),
      rx(String.raw`\bnie (?:będę|zamierzam|chcę)${BETWEEN} ${INF}\b`),
    ],
    impersonal: [
      rx(String.raw`\b(?:prośba|żądanie|zapytanie|polecenie)\b[^.;:!?]{0,60}\bnie (?:może|mogą) (?:zostać|być) (?:spełnion|zrealizowan|wykonan)\p{L}*`),
    ],
  },
  own: rx(String.raw`\b(?:mój|moja|moje|mojego|moją|mojej|moich)\b`),
  payload: [
    rx(String.raw`^(?:zignoruj|zapomnij|pomiń) \S`),
    rx(String.raw`^(?:wyślij|pokaż|podaj|wypisz|wyeksportuj|ujawnij|przekaż)\b[^.;:!?]{0,60}\b(?:instrukcj\p{L}*|prompt\p{L}*|hasł\p{L}*|klucz\p{L}*|dane|danych|tabel\p{L}*|list\p{L}*|kod\p{L}*)`),
  ],
  retraction: [rx(String.raw`\b(?:żartuję|żartowałem|żartowałam|to żart)\b`)],
  roles: ['użytkownik', 'asystent', 'system'],
};
