import { alt, CLAUSE_END, clitics, idiom, optionalAdverb, rx, type LanguageTable, verbPhrase } from '../lexicon.js';

/** Portuguese (Brazil and Portugal): clitics before the infinitive ("te ajudar") or hyphenated after it ("fazê-lo"). */

const CL = clitics(['te', 'lhe', 'lhes', 'o', 'a', 'os', 'as', 'me', 'vos', 'se']);
const INF = `${alt([
  'ajudar', 'escrever', 'redigir', 'criar', 'gerar', 'produzir', 'elaborar', 'preparar', 'montar', 'fornecer', 'atender',
  'colaborar', 'participar', 'fingir', 'inventar', 'compor', 'desenvolver', 'construir', 'contribuir', 'auxiliar', 'cooperar', 'cumprir',
])}(?:-(?:lo|la|los|las|te|lhe|me))?`;
const DO = '(?:fazê-lo|fazer (?:isso|isto|esse tipo de coisa))';
const VERB = verbPhrase(INF, DO);
const ADV = optionalAdverb(['realmente', 'infelizmente', 'mesmo']);

export const pt: LanguageTable = {
  lang: 'pt',
  idioms: [
    idiom(String.raw`\bnão (?:posso|consigo|pude) deixar de\b`),
    idiom(String.raw`\bnão vou (?:te |lhe )?mentir\b|\bnão vejo a hora\b`),
    idiom(String.raw`\b(?:me recuso|recuso-me) a acreditar\b`),
  ],
  constructions: {
    decline: [
      rx(String.raw`\b(?:recuso-me|me recuso|eu me recuso)(?:${CLAUSE_END}| a ${CL}${VERB})`),
      rx(String.raw`\b(?:tenho de|tenho que|devo|preciso|vou ter de|vou ter que) (?:recusar|declinar)\b`),
      rx(String.raw`\bprefiro não ${CL}${VERB}`),
      rx(String.raw`\b${INF}\b[^.;:!?]{0,80}\bfica de fora\b`),
      rx(String.raw`\bnem pensar\b|\bde jeito nenhum\b|\bestou fora\b`),
    ],
    inability: [
      rx(String.raw`\b(?:eu )?não ${CL}(?:posso|poderei|poderia|consigo|conseguirei|sou capaz de|estou em condições de|tenho como|é possível) ${ADV}${CL}${VERB}`),
    ],
    unwilling: [
      rx(String.raw`\bnão ${CL}(?:vou|irei|pretendo|quero|estou dispost[oa] a) ${ADV}${CL}${VERB}`),
      rx(String.raw`\bnão ${CL}(?:ajudarei|escreverei|redigirei|criarei|gerarei|produzirei|elaborarei|prepararei|montarei|fornecerei|colaborarei|participarei)\b`),
      rx(String.raw`\b(?:eu )?não ${CL}(?:ajudo|escrevo|redijo|crio|gero|produzo|elaboro|preparo|monto|forneço|colaboro|participo)\b`),
      rx(String.raw`\b(?:isso|isto)(?: eu)? não (?:faço|farei)\b|\bnão (?:faço|farei) (?:isso|isto)\b|\bnão o farei\b`),
    ],
    impersonal: [
      rx(String.raw`\b(?:pedidos?|solicitaç(?:ão|ões))\b[^.;:!?]{0,120}\b(?:são|é|serão|será|foram|foi) (?:recusad|rejeitad|negad)(?:o|a|os|as)\b`),
      rx(String.raw`\b(?:este|esse|o seu|seu) pedido não (?:pode|poderá) ser (?:atendido|realizado|cumprido)\b`),
    ],
  },
  own: rx(String.raw`\b(?:meu|minha|meus|minhas)\b`),
  payload: [
    rx(String.raw`^(?:ignore|ignora|esqueça|desconsidere) \S`),
    rx(String.raw`^(?:mostre|me mostre|me passe|passe|me dê|me diga|diga|envie|me envie|exporte|revele|liste|imprima)\b[^.;:!?]{0,60}\b(?:instruções|prompt|senha|chave|credenciais|códigos?|cupons?|dados|tabela|lista|regras)\b`),
    rx(String.raw`^(?:a partir de agora|de agora em diante|agora você é|você agora é)\b`),
    rx(String.raw`^(?:aprove|transfira|redefina|apague|exclua)\b`),
  ],
  retraction: [rx(String.raw`\b(?:(?:é|era|só) brincadeira|(?:tô|to|estou) brincando)\b`)],
  roles: ['usuário', 'usuario', 'assistente', 'sistema'],
};
