import { alt, rx, type LanguageTable } from '../lexicon.js';

/**
 * Chinese, simplified and traditional (the patterns are written in simplified characters and
 * accept the traditional form of each: see `zx`; the text is not folded, Japanese shares 無 and 協). No
 * spaces: "我" must stand a few characters before the negation, with no "你" between ("我拒绝相信
 * 你做不到" is not a refusal), and the verb follows the negation, perhaps after "替你/为您".
 */

/** Traditional forms of the simplified characters this table uses. */
const TRADITIONAL: Readonly<Record<string, string>> = Object.fromEntries(
  [...'协帮制编写请无绝这个为会与没办给们该说设计满愿参创种类对还击产应样决'].map((ch, k) => [ch, '協幫製編寫請無絕這個為會與沒辦給們該說設計滿願參創種類對還擊產應樣決'[k] as string]),
);

/** A pattern that accepts each character of `source` in its simplified or traditional form. */
function zx(source: string, flags: '' | 'g' = ''): RegExp {
  let out = '';
  let inClass = false;
  for (const ch of source) {
    const trad = TRADITIONAL[ch];
    if (ch === '[' && !out.endsWith('\\')) inClass = true;
    if (ch === ']' && !out.endsWith('\\')) inClass = false;
    out += trad === undefined ? ch : inClass ? ch + trad : `[${ch}${trad}]`;
  }
  return rx(out, flags);
}

const PROD = alt([
  '帮助', '帮忙', '帮', '协助', '写', '编写', '撰写', '生成', '创建', '制作', '制造', '提供', '满足', '完成', '做', '扮演', '参与',
  '配合', '给出', '设计', '编造', '起草', '创作', '准备', '回答', '遵守', '遵从', '照做',
]);
/** Up to four characters between "我" and the negation: 还是, 也, 只能, 这个请求…; never a second person. */
const WIN = '[^你您他她,，。.!?;:、\\n]{0,4}?';
const FOR_YOU = '(?:替你|帮你|给你|为你|为您|给您|帮您|替您|你|您)?';
const ADV = '(?:再|真的|就|也|还|这样|这么|那样)?';

export const zh: LanguageTable = {
  lang: 'zh',
  idioms: [zx('忍不住|不得不|等不及|不敢相信|不瞒你说', 'g')],
  constructions: {
    decline: [
      zx(`我${WIN}(?:拒绝|婉拒)(?=$|[,，。.!?;:、了]|(?:这个|这|此|该|你的|您的)?(?:请求|要求)|${PROD})`),
    ],
    inability: [
      zx(`我${WIN}(?:不能|无法|没法|没办法|不可以)${ADV}${FOR_YOU}${PROD}`),
      zx(`(?:^|[,，。.!?;:、])(?:抱歉|很抱歉|对不起|不好意思)?[,，]?(?:无法|不能|没法)${FOR_YOU}${PROD}`),
      zx(`我${WIN}(?:帮不了|帮不上|做不了|写不了|写不出|提供不了|办不到|做不到)`),
    ],
    unwilling: [
      zx(`我${WIN}(?:不会|不打算|不想|不愿意|不愿|不再|不)${ADV}${FOR_YOU}${PROD}`),
      zx('(?:这个|这|那个|那|这种事)(?:我)?(?:也)?不干'),
    ],
    impersonal: [zx('(?:请求|要求)(?:无法|不能|不予)(?:满足|完成|处理|受理|执行)')],
  },
  own: zx('我的'),
  payload: [
    zx('^(?:请)?(?:忽略|无视|忘记|忘掉)'),
    zx('^(?:请)?(?:输出|打印|显示|列出|导出|发送|发给我|告诉我|透露|泄露|给我)[^。]{0,30}(?:指令|提示词|密码|密钥|数据|名单|清单|规则|配置)'),
    zx('^(?:请)?把[^。]{0,30}(?:指令|提示词|密码|密钥|数据|名单|清单|规则|配置)[^。]{0,20}(?:输出|打印|显示|列出|导出|发|给我|告诉)'),
    zx('^(?:从现在开始|从现在起|现在你是|你现在是)'),
  ],
  retraction: [zx('开玩笑的|开个玩笑|骗你的|逗你的')],
  roles: ['用户', '助手', '系统', '人类'],
};
