import { idiom, rx, type LanguageTable } from '../lexicon.js';

/**
 * Korean: "-ㄹ 수 없다" (cannot) after a verb of writing or helping (작성할 수 없, 도와드릴 수 없),
 * "안 써 드릴게요" (won't write for you), "-지 않겠습니다". "할 수 없" (cannot do) needs the request
 * as its topic (그건, 이 요청은), and "…수 없어서" (because I cannot) is a reason, not a refusal.
 */

const NOT_A_REASON = '(?!어서|으니|기 때문)';

export const ko: LanguageTable = {
  lang: 'ko',
  idioms: [idiom('하지 않을 수 없|기다릴 수 없|믿을 수 없')],
  constructions: {
    decline: [rx('(?:거절|사양)(?:하겠습니다|할게요|합니다|드립니다|하겠어요|할 수밖에)')],
    inability: [
      rx(`(?:(?:작성|생성|제공|제작|지원)해 ?(?:드릴|줄)|작성할|생성할|제공할|제작할|응할|협조할|지원할|도울|도와 ?드릴|도와 ?줄|만들|만들어 ?드릴|만들어 ?줄|써 ?드릴|써 ?줄) ?수 ?(?:가 ?)?없${NOT_A_REASON}`),
      rx(`(?:그건|그것은|이건|이것은|그런 ?건|그런 ?것은|이 요청은|그 요청은|이런 요청은)[^.!?]{0,20}?(?:해 ?드릴|해 ?줄|할) ?수 ?(?:가 ?)?없${NOT_A_REASON}`),
    ],
    unwilling: [
      rx('안 ?(?:써|만들어|작성해|도와|생성해) ?(?:드릴게요|드릴 ?거예요|드립니다|드려요|줄게|줄 거야)'),
      rx('(?:작성하지|만들지|쓰지|생성하지|제공하지|돕지|도와드리지) 않(?:겠습니다|을게요|을 거예요|겠어요|습니다|아요)'),
    ],
    impersonal: [rx('(?:요청|부탁)[은는이가을를에]?[^.!?]{0,10}?(?:들어 ?드릴|처리할|수행할) ?수 ?없')],
  },
  payload: [rx('(?:지침|프롬프트|비밀번호|암호|키|데이터)[^.!?]{0,30}(?:출력|보내|알려|보여)(?:해)? ?(?:주세요|줘|주십시오)')],
  retraction: [rx('농담(?:이에요|이야|입니다)')],
  roles: ['사용자', '어시스턴트', '시스템', '유저'],
};
