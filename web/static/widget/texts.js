/*
 * The widget's own words (launcher, header, form, status lines, notices, the email step), one
 * table per language: English and Korean (polite 해요체).
 *
 * It exists so the chat window speaks the page's language (the page's <html lang> or the tag's
 * data-language, read in widget.js) before the customer writes anything, and so a translator
 * finds every text in one place. The assistant's answers are not here: Rasa writes those in the
 * conversation's language (contract/language.py). A text that names someone or something is a
 * function, since Korean puts the name elsewhere in the sentence than English does.
 */

const ENGLISH = {
  launcher: "Chat with us",
  unread: (count) => count + (count === 1 ? " new message" : " new messages"),
  title: "Shop assistant",
  greeting: "Hi! I'm the shop's automated assistant. I can track a parcel, "
    + "start a refund or cancel an order. Ask for a person at any time.",
  close: "Close the chat",
  log: "Conversation",
  input: "Your message",
  placeholder: "Write a message",
  send: "Send",
  assistantWriting: "The assistant is writing\u2026",
  personWriting: (name) => (name || "A person") + " is writing\u2026",
  agentLabel: (name) => (name || "Support team") + " \u00b7 support team",
  handingOver: "Handing over to a person",
  joined: (name) => (name || "A person") + " from the support team has joined the chat.",
  assistantBack: "The automated assistant is back.",
  statusAssistant: "Automated assistant \u00b7 ask for a person at any time",
  statusWaiting: "Waiting for a person \u00b7 the assistant is paused",
  statusPerson: (name) => (name || "A person") + " from the support team",
  reconnecting: " \u00b7 reconnecting\u2026",
  linkExpired: "This link has expired, so it cannot open your earlier chat. "
    + "Write here and we will help you, or ask for a person again.",
  linkInvalid: "This link is not valid (it may be cut off or changed), so it cannot open a chat. "
    + "Open the whole link from the email, or write here and we will help you.",
  followUpOpen: "Can't wait? Get the reply by email",
  followUpEmail: "Your email",
  followUpConsent: "Email me the person's reply to this chat, with a link back to it. "
    + "My address is used for this conversation only.",
  followUpSend: "Email me the reply",
  followUpSaved: (email) => "Thank you. We will email the reply to " + email
    + ". You can close this page; the email has a link back to this chat.",
  followUpConsentMissing: "Tick the box to agree that we email you the reply.",
  followUpBadEmail: "That does not look like an email address. Check it and try again.",
  followUpUnavailable: "Your email could not be saved just now. Try again in a minute.",
};

const KOREAN = {
  launcher: "채팅 상담",
  unread: (count) => "새 메시지 " + count + "개",
  title: "쇼핑 도우미",
  greeting: "안녕하세요! 쇼핑몰의 자동 상담 도우미예요. 배송 조회, 환불 신청, 주문 취소를 "
    + "도와드려요. 언제든 상담원 연결을 요청할 수 있어요.",
  close: "채팅 닫기",
  log: "대화 내용",
  input: "메시지",
  placeholder: "메시지를 입력하세요",
  send: "보내기",
  assistantWriting: "도우미가 답변을 쓰고 있어요\u2026",
  personWriting: (name) => (name ? name + " 님이" : "상담원이") + " 답변을 쓰고 있어요\u2026",
  agentLabel: (name) => (name ? name + " \u00b7 " : "") + "상담팀",
  handingOver: "상담원에게 연결하고 있어요",
  joined: (name) => (name ? "상담팀 " + name + " 님이" : "상담원이") + " 대화에 들어왔어요.",
  assistantBack: "자동 상담 도우미가 다시 답변해요.",
  statusAssistant: "자동 상담 도우미 \u00b7 언제든 상담원을 요청할 수 있어요",
  statusWaiting: "상담원을 기다리는 중 \u00b7 도우미는 잠시 멈췄어요",
  statusPerson: (name) => "상담팀 " + (name ? name + " 님" : "상담원"),
  reconnecting: " \u00b7 다시 연결하는 중\u2026",
  linkExpired: "링크가 만료되어 이전 대화를 열 수 없어요. "
    + "여기에 메시지를 남기시거나 상담원 연결을 다시 요청해 주세요.",
  linkInvalid: "링크가 올바르지 않아 대화를 열 수 없어요(잘렸거나 바뀌었을 수 있어요). "
    + "메일에 있는 링크 전체를 열거나 여기에 메시지를 남겨 주세요.",
  followUpOpen: "기다리기 어려우세요? 답변을 메일로 받아 보세요",
  followUpEmail: "이메일 주소",
  followUpConsent: "상담원의 답변을 이 채팅으로 돌아오는 링크와 함께 메일로 받을게요. "
    + "제 주소는 이 대화에만 쓰여요.",
  followUpSend: "메일로 답변 받기",
  followUpSaved: (email) => "감사해요. " + email + " 주소로 답변을 보내 드릴게요. "
    + "이 페이지를 닫으셔도 돼요. 메일에 이 채팅으로 돌아오는 링크가 있어요.",
  followUpConsentMissing: "메일로 답변을 받으려면 동의 칸에 체크해 주세요.",
  followUpBadEmail: "이메일 주소 형식이 아닌 것 같아요. 확인하고 다시 입력해 주세요.",
  followUpUnavailable: "지금은 이메일을 저장하지 못했어요. 잠시 후 다시 시도해 주세요.",
};

const TABLES = { en: ENGLISH, ko: KOREAN };

// The table for a language tag ("ko", "ko-KR", "en-GB", ""): by its primary subtag, English
// for any language without a table. `lang` is the tag the widget's texts are in.
export function textsFor(language) {
  const primary = String(language || "").trim().toLowerCase().split(/[-_]/)[0];
  const lang = Object.prototype.hasOwnProperty.call(TABLES, primary) ? primary : "en";
  return { lang: lang, ...TABLES[lang] };
}

export const DEFAULT_TEXTS = textsFor("en");
