import { alt, CLAUSE_END, idiom, rx, type LanguageTable, verbPhrase } from '../lexicon.js';

/**
 * French: "ne" may be dropped ("je peux pas"), clitics stand before the verb ("t'aider", "le
 * faire"), and the future and present decline as well as the modal ("je ne rédigerai pas", "ça
 * je le fais pas").
 */

const CL = "(?:(?:te|vous|le|la|les|lui|leur|en|y|me|nous) |(?:t|l|m|s)'){0,2}";
const INF = alt([
  'aider', 'assister', 'écrire', 'rédiger', 'créer', 'générer', 'produire', 'fabriquer', 'concevoir', 'composer', 'préparer',
  'fournir', 'élaborer', 'participer', 'contribuer', 'collaborer', 'jouer le rôle', 'incarner', 'imiter', 'inventer', 'construire',
]);
/** "faire" only with the request as its object: "le faire", "faire ça". */
const DO = "(?:(?:le |l')faire|faire (?:ça|cela|ceci)|(?:répondre|accéder|donner suite) à (?:cette|ta|votre) (?:demande|requête))";
const VERB = verbPhrase(INF, DO);
const NE = "(?:ne |n')?";
const NOT = '(?:pas|point|plus|jamais|rien)';
const THEN = "(?: (?:en mesure|capable|autorisée?|du tout))?(?: (?:de|à) | d'| )";

export const fr: LanguageTable = {
  lang: 'fr',
  idioms: [
    idiom(String.raw`\b(?:ne )?(?:peux|pouvais|pourrai|pourrais) (?:pas )?m'empêcher\b`),
    idiom(String.raw`\b(?:ne )?(?:vais|veux) pas (?:te |vous )?mentir\b`),
    idiom(String.raw`\bje n'en reviens pas\b|\bj'ai hâte\b`),
    idiom(String.raw`\bje refuse de croire\b`),
  ],
  constructions: {
    decline: [
      rx(String.raw`\bje (?:dois |vais |préfère |préférerais |me vois (?:obligée?|contrainte?) de |me permets de )?(?:refuser|décliner)(?:${CLAUSE_END}| (?:cette|ta|votre|la) (?:demande|requête)| (?:de |d')${CL}${VERB})`),
      rx(String.raw`\bje (?:refuse|décline)(?:${CLAUSE_END}| (?:cette|ta|votre|la) (?:demande|requête)| (?:de |d')${CL}${VERB})`),
      rx(String.raw`\bje préfère ne pas ${CL}${VERB}`),
      rx(String.raw`\bje (?:vais |préfère |dois |préférerais )?m'abstenir\b|\bje m'abstiens\b`),
      rx(String.raw`\bc'est non\b|\bpas question\b|\btrès peu pour moi\b|\bsans moi\b`),
      rx(String.raw`\bje ne (?:donnerai|vais pas donner|peux pas donner) (?:pas |aucune )?suite\b`),
    ],
    inability: [
      rx(String.raw`\bje ${NE}${CL}(?:peux|pourrai|pourrais|saurais|suis|arrive) ${NOT}${THEN}${CL}${VERB}`),
      // "Je peux t'expliquer…, mais pas t'écrire le message."
      rx(String.raw`\bmais pas ${CL}${INF}\b`),
    ],
    unwilling: [
      rx(String.raw`\bje ${NE}${CL}(?:vais|veux|compte|souhaite|tiens à) ${NOT}(?: (?:à|de) | d'| )${CL}${VERB}`),
      rx(String.raw`\bje ${NE}${CL}(?:rédigerai|écrirai|générerai|créerai|produirai|fournirai|aiderai|fabriquerai|composerai|préparerai|participerai|concevrai|élaborerai|contribuerai|collaborerai|jouerai|inventerai|construirai) ${NOT}\b`),
      rx(String.raw`\bje ${NE}${CL}(?:rédige|écris|génère|crée|produis|fournis|fabrique|participe|conçois|compose|prépare|élabore|contribue) ${NOT}\b`),
      rx(String.raw`\bje ${NE}(?:le |l'|la |les )(?:fais|ferai) ${NOT}\b|\bje ne (?:fais|ferai) ${NOT} (?:ça|cela|ceci)\b`),
    ],
    impersonal: [
      rx(String.raw`\b(?:cette|ta|votre|la) (?:demande|requête) ne (?:peut|pourra|saurait) (?:pas )?être (?:satisfaite|traitée|acceptée|honorée)\b`),
      rx(String.raw`\baucune (?:aide|assistance) ne (?:peut|pourra|sera) (?:être )?(?:apportée|fournie)\b`),
      rx(String.raw`\b(?:demande|requête) (?:refusée|rejetée|déclinée)\b`),
    ],
  },
  own: rx(String.raw`\b(?:mon|ma|mes)\b`),
  payload: [
    rx(String.raw`^(?:ignore|ignorez|oublie|oubliez) (?:tes|vos|les|toutes|tout|la|ta|votre|ces)\b`),
    rx(String.raw`^(?:affiche|affichez|donne|donnez|dis|dites|envoie|envoyez|exporte|exportez|révèle|révélez|liste|listez|imprime|montre|montrez)(?:-moi|-nous)?\b[^.;:!?]{0,60}\b(?:instructions|consignes|prompt|mot de passe|clés?|identifiants|codes?|données|table|liste|règles)\b`),
    rx(String.raw`^(?:désormais|à partir de maintenant|dorénavant|tu es (?:maintenant|désormais))\b`),
  ],
  retraction: [rx(String.raw`\bje (?:plaisante|rigole|blague)\b|\bc'(?:est|était) une blague\b|\bpoisson d'avril\b`)],
  roles: ['utilisateur', 'utilisatrice', 'assistant', 'assistante', 'système'],
};
