import { idiom, rx, type LanguageTable } from '../lexicon.js';

/**
 * Turkish: the negation is a suffix, so the table lists whole verb forms: "yazamam" (I cannot
 * write), "hazırlamayacağım" (I will not prepare), "hazırlamam" (I do not prepare; not "hazırlamam
 * gerek", I need to prepare). "yapamam" (I cannot do) needs the request as its object: "giriş
 * yapamam" is "I cannot log in".
 */

export const tr: LanguageTable = {
  lang: 'tr',
  idioms: [idiom(String.raw`\b(?:inanmayı|kabul etmeyi) reddediyorum\b|\bsormadan edemem\b`)],
  constructions: {
    decline: [rx(String.raw`\breddediyorum\b|\breddetmek zorundayım\b|\breddederim\b|\bgeri çeviriyorum\b`)],
    inability: [
      rx(String.raw`\b(?:yardımcı olamam|yardımcı olamayacağım|yardım edemem|yardım edemeyeceğim|yazamam|yazamayacağım|hazırlayamam|hazırlayamayacağım|oluşturamam|oluşturamayacağım|üretemem|üretemeyeceğim|veremem|sağlayamam|tasarlayamam|destek olamam|katkıda bulunamam|katılamam|yerine getiremem)\b`),
      rx(String.raw`\b(?:bunu|bunları|böyle bir şeyi?|bu isteği|bu talebi)(?: \p{L}+){0,2}? yapamam\b`),
    ],
    unwilling: [
      rx(String.raw`\b(?:yazmayacağım|hazırlamayacağım|oluşturmayacağım|üretmeyeceğim|yardım etmeyeceğim|yardımcı olmayacağım|vermeyeceğim|sağlamayacağım|tasarlamayacağım|yapmayacağım)\b`),
      rx(String.raw`\b(?:yazmam|hazırlamam|oluşturmam|üretmem)\b(?! (?:gerek|lazım|için))`),
    ],
    impersonal: [rx(String.raw`\bbu (?:istek|talep)\p{L}* (?:yerine getirilemez|karşılanamaz|reddedildi)\b`)],
  },
  payload: [
    rx(String.raw`^(?:talimatları|yönergeleri|kuralları) (?:yok say|unut|görmezden gel)`),
    rx(String.raw`\b(?:talimatları|şifreyi|parolayı|istemi|anahtarı|verileri)\b[^.;:!?]{0,60}\b(?:göster|gönder|ver|sıfırla|paylaş)\b`),
  ],
  retraction: [rx(String.raw`\bşaka(?:ydı|yaptım)?\b`)],
  roles: ['kullanıcı', 'asistan', 'sistem'],
};
