import type { CueRule } from './cues.js';
import { AI_STRICT, LIMITS, OVERRIDE_VERB, PRIOR, REVEAL, RULE_NOUN, RULE_NOUN_WEAK, SECRET_NOUN, SYSTEM_PROMPT, VERBATIM, VOID, WITHOUT, YOUR } from './words.js';

/**
 * Cues of the heuristic detector in languages other than English: the same families as cues.ts
 * (skipping checks, moving money, sending data out, urgency, claimed authority, personas,
 * extraction), each idea written once with word lists in German, Spanish, French, Italian,
 * Portuguese, Russian, Ukrainian, Polish, Dutch, Turkish, Vietnamese, Arabic, Hindi, Chinese,
 * Japanese and Korean. Written for hive; never from the development corpus.
 */

const SKIP = join(
  'überspring|überspringe|ohne|keine|omite|salta|sin|saute|sans|salta|senza|pula|sem|пропусти|без|не нужно|pomiń|bez|sla over|zonder|atla|gerek yok|bỏ qua|không cần|تخطّ|تخط|بدون|छोड़|बिना|跳过|不用|不需要|无需|省略|不要|スキップ|不要|なしで|건너뛰|없이',
);
const CHECK = join(
  'bestätigung|freigabe|prüfung|rückfrage|genehmigung|confirmación|verificación|aprobación|revisión|confirmation|vérification|validation|rappel|conferma|verifica|approvazione|confirmação|verificação|aprovação|подтверждение|подтверждения|проверку|проверки|согласования|potwierdzenia|weryfikacji|zatwierdzenia|bevestiging|controle|goedkeuring|onay|doğrulama|xác nhận|phê duyệt|التأكيد|الموافقة|पुष्टि|सत्यापन|确认|审批|验证|核实|確認|承認|検証|확인|승인',
);
const MONEY = join(
  'überweise|überweisung|zahle|zahlung|transfiere|transferencia|paga|pago|vire|virement|paie|paiement|bonifico|pagamento|transferência|transfira|перевод|переведи|оплати|отправь деньги|przelew|przelej|zapłać|overboeking|maak over|betaal|havale|gönder|öde|chuyển khoản|chuyển|thanh toán|حوّل|تحويل|ادفع|ट्रांसफर|भुगतान|转账|汇款|付款|振込|送金|支払|송금|이체',
);
const SEND = join(
  'schick|schicke|sende|leite|weiterleiten|exportiere|envía|envia|reenvía|manda|exporta|envoie|transfère|exporte|invia|inoltra|esporta|envie|encaminha|exporta|отправь|перешли|выгрузи|экспортируй|wyślij|przekaż|eksportuj|stuur|exporteer|gönder|ilet|aktar|gửi|chuyển tiếp|xuất|أرسل|ارسل|صدّر|भेज|भेजो|发送|发到|转发|导出|送って|送信|転送|エクスポート|보내|전송|내보내',
);
const DATA = join(
  'kundendaten|kundenliste|daten|passwörter|datos|clientes|contraseñas|données|clients|mots de passe|dati|clienti|password|dados|senhas|данные|клиентов|пароли|письма|dane|klientów|hasła|gegevens|klanten|wachtwoorden|veriler|müşteri|şifreler|dữ liệu|khách hàng|mật khẩu|البيانات|العملاء|كلمات المرور|डेटा|ग्राहकों|पासवर्ड|数据|客户|密码|データ|顧客|パスワード|데이터|고객|비밀번호',
);
const URGENT = join(
  'dringend|sofort|eilig|urgente|inmediatamente|urgent|immédiatement|tout de suite|subito|immediatamente|urgentemente|já|срочно|немедленно|прямо сейчас|pilne|natychmiast|dringend|meteen|acil|hemen|gấp|ngay|عاجل|فورًا|فورا|तुरंत|जल्दी|马上|立刻|立即|紧急|至急|今すぐ|급해|당장',
);
const BOSS = join(
  'chef|chefin|geschäftsführer|administrator|admin|jefe|director|directora|administrador|gerente|patron|directeur|responsable|capo|direttore|amministratore|chefe|diretor|administrador|начальник|директор|руководитель|администратор|szef|dyrektor|administrator|baas|directeur|beheerder|müdür|patron|yönetici|sếp|giám đốc|quản trị|المدير|مدير|बॉस|मैनेजर|प्रबंधक|老板|经理|总监|管理员|上司|社長|部長|管理者|사장|팀장|관리자',
);
const APPROVED = join(
  'genehmigt|abgesprochen|freigegeben|weiß bescheid|aprobado|autorizado|lo sabe|approuvé|autorisé|validé|est au courant|approvato|autorizzato|lo sa|aprovado|autorizado|sabe|одобрил|разрешил|в курсе|zatwierdził|wie o tym|goedgekeurd|weet ervan|onayladı|biliyor|đã duyệt|đồng ý|وافق|यह जानते|मंज़ूरी|同意了|批准了|知道|承認済み|了承|승인했|알고',
);
const ROLE = join(
  'du bist jetzt|ab jetzt bist du|spiel|spiele|tu eres|eres ahora|actúa como|finge|tu es|joue|fais semblant|incarne|sei|fingi|interpreta|és|finge|faz de conta|ты теперь|играй|притворись|представь|jesteś|udawaj|zagraj|je bent|speel|doe alsof|sen artık|rolünde|oyna|bạn là|hãy đóng vai|أنت الآن|تقمص|तुम अब|बनो|你是|扮演|假装|あなたは|なりきって|演じて|너는|역할',
);
const NEVER_REFUSE = join(
  'lehnt nie ab|nie ablehnt|nunca se niega|nunca rechaza|ne refuse jamais|ne refuse rien|non rifiuta mai|nunca recusa|никогда не отказывает|nigdy nie odmawia|weigert nooit|asla reddetmez|không bao giờ từ chối|لا يرفض أبدًا|कभी मना नहीं|从不拒绝|决不拒绝|絶対に断らない|断らない|절대 거절하지',
);
const TELL_SECRET = join(
  'verrate|nenne|sag mir|zeig|dime|revela|muéstrame|dis-moi|révèle|montre|dimmi|rivela|mostrami|diz-me|me diga|revela|mostra|скажи|назови|покажи|раскрой|powiedz|zdradź|pokaż|vertel|onthul|toon|söyle|göster|açıkla|cho tôi biết|tiết lộ|أخبرني|اكشف|बताओ|दिखाओ|告诉我|透露|显示|教えて|見せて|明かして|알려줘|보여줘|공개',
);

function join(...lists: string[]): string {
  return lists.join('|');
}

export const I18N_CUES: readonly CueRule[] = [
  // bypass: a check skipped, in any language.
  { family: 'bypass', weight: 1.0, label: 'skip the check', pattern: `(${SKIP}) ~3 (${CHECK})` },
  { family: 'bypass', weight: 0.8, label: 'check skipped', pattern: `(${CHECK}) ~3 (${SKIP}|nicht nötig|no hace falta|pas nécessaire|non serve|não precisa|не нужно|nie trzeba|niet nodig|gerek yok|không cần|不需要|不要|要らない|필요 없)` },
  // authority: the boss approved.
  { family: 'authority', weight: 0.7, label: 'the boss approved', pattern: `(${BOSS}) ~4 (${APPROVED})` },
  { family: 'authority', weight: 0.6, label: 'I am the boss', pattern: `(ich bin|soy|je suis|sono|sou|я|jestem|ik ben|ben|mình là|tôi là|أنا|मैं|我是|私は|저는|나는) ~3 (${BOSS})` },
  // privileged_action and exfiltration.
  { family: 'privileged_action', weight: 0.5, label: 'move money', pattern: `(${MONEY})` },
  { family: 'exfiltration', weight: 0.9, label: 'send data out', pattern: `(${SEND}) ~6 (${DATA}|<email>|<url>|<host>)` },
  { family: 'exfiltration', weight: 0.7, label: 'reveal a secret', pattern: `(${TELL_SECRET}) ~4 (${SECRET_NOUN})` },
  // pressure.
  { family: 'pressure', weight: 0.4, label: 'urgency', pattern: `(${URGENT})` },
  // persona.
  { family: 'persona', weight: 0.8, label: 'a persona that never refuses', pattern: `(${NEVER_REFUSE})` },
  { family: 'persona', weight: 0.7, label: 'a persona without limits', pattern: `(${ROLE}|${AI_STRICT}) ~8 (${WITHOUT}) ~3 (${LIMITS})` },
  // Word order: in Japanese, Korean, Turkish, Hindi (and often German) the verb comes last, so
  // each idea is also written object first, with a wider gap.
  { family: 'override', weight: 1.2, label: 'instructions set aside (object first)', pattern: `(${YOUR}|${PRIOR}) ~3 (${RULE_NOUN}|${RULE_NOUN_WEAK}) ~8 (${OVERRIDE_VERB})` },
  { family: 'override', weight: 1.0, label: 'instructions declared void', pattern: `(${RULE_NOUN}|${RULE_NOUN_WEAK}) ~8 (${VOID})` },
  { family: 'extraction', weight: 1.0, label: 'your instructions shown (object first)', pattern: `(${YOUR}|${SYSTEM_PROMPT}) ~3 (${RULE_NOUN}|${SYSTEM_PROMPT}) ~10 (${REVEAL}|${VERBATIM})` },
  { family: 'persona', weight: 0.8, label: 'without limits, any order', pattern: `(${LIMITS}) ~3 (${WITHOUT}) ~8 (${ROLE}|${AI_STRICT})` },
  // extraction.
  { family: 'extraction', weight: 0.8, label: 'your instructions asked for', pattern: `(${TELL_SECRET}|zusammenfassen|resume|résume|riassumi|resuma|перескажи|streść|samenvatten|özetle|tóm tắt|لخص|सारांश|总结|要約|요약) ~6 (${YOUR}) ~2 (${RULE_NOUN}|${RULE_NOUN_WEAK})` },
];
