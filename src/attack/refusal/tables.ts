/**
 * The refusal tables, in the order they are tried on each sentence (English first: most
 * refusal-like attacks are English). A rule is named after the table that matched.
 */
import { sealPatterns, type LanguageTable } from './lexicon.js';
import { de } from './lang/de.js';
import { en } from './lang/en.js';
import { es } from './lang/es.js';
import { fr } from './lang/fr.js';
import { it } from './lang/it.js';
import { ja } from './lang/ja.js';
import { ko } from './lang/ko.js';
import { nl } from './lang/nl.js';
import { pl } from './lang/pl.js';
import { pt } from './lang/pt.js';
import { ru } from './lang/ru.js';
import { tr } from './lang/tr.js';
import { zh } from './lang/zh.js';

export const TABLES: readonly LanguageTable[] = [en, de, es, fr, it, pt, ru, zh, ja, ko, nl, pl, tr];

// Every pattern is built; none may be compiled from here on (see rx).
sealPatterns();
