/** Lower-case Cyrillic and Greek look-alikes of Latin letters (after lower-casing). */
export const CONFUSABLES: ReadonlyMap<number, string> = new Map(
  Object.entries({
    '\u0430': 'a', '\u03b1': 'a', '\u0432': 'b', '\u03b2': 'b', '\u0441': 'c', '\u03f2': 'c', '\u0435': 'e', '\u03b5': 'e',
    '\u0456': 'i', '\u03b9': 'i', '\u0458': 'j', '\u043a': 'k', '\u03ba': 'k', '\u043c': 'm', '\u03bc': 'm', '\u043d': 'h',
    '\u04bb': 'h', '\u03b7': 'n', '\u03bd': 'v', '\u043e': 'o', '\u03bf': 'o', '\u0440': 'p', '\u03c1': 'p', '\u0455': 's',
    '\u0442': 't', '\u03c4': 't', '\u0445': 'x', '\u03c7': 'x', '\u0443': 'y', '\u03b3': 'y', '\u04af': 'y', '\u03c5': 'u',
    '\u0501': 'd', '\u0261': 'g', '\u0131': 'i', '\u0251': 'a',
  }).map(([k, v]) => [k.charCodeAt(0), v]),
);
