/**
 * Everyday English words. A candidate pattern made only of these would block ordinary requests,
 * so the healer never learns one, however often it appears in breaches.
 */
const WORDS = `
a about above after again against all also am an and any are as at be because been before being
below between both but by can could did do does doing done down during each few for from further
had has have having he her here hers herself him himself his how i if in into is it its itself
just let like me more most my myself no nor not now of off on once only or other our ours
ourselves out over own same she should so some such than that the their theirs them themselves
then there these they this those through to too under until up very was we were what when where
which while who whom why will with would you your yours yourself yourselves
please thanks thank hi hello hey ok okay yes sure well also really just still even much many
get got give go going make made take put see look know think want need use used using help
tell say said ask show write read find try call keep let work run start stop change check send
new old good bad first last next one two three time day week today tomorrow now way thing things
people person user users someone something anything everything nothing team company account file
files message messages email text question answer information data system systems note notes
can't don't won't i'm it's you're we're that's let's isn't aren't doesn't didn't
`;
export const COMMON_WORDS = new Set(WORDS.split(/\s+/).filter(Boolean));
//# sourceMappingURL=common-words.js.map