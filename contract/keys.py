"""Every Redis key and pub/sub channel of the system, in one place.

All keys start with `cs:` so the project can share a Redis database with other software.

  cs:turns:{conversation}           LIST   per-turn analysis (contract.turns)
  cs:contacts:{kind}:{value}        ZSET   "topic|conversation" by time, per customer identity
                                           (an email's value is its keyed pseudonym)
  cs:ticket:{ref}                   HASH   a ticket (tickets.model.Ticket.to_hash)
  cs:ticket:{ref}:history           LIST   what happened to a ticket (claims, transfers, end), JSON
  cs:tickets:open                   ZSET   refs not yet closed, scored by queue priority
  cs:tickets:waiting                ZSET   refs nobody has claimed yet, same score
  cs:tickets:closed                 ZSET   closed refs, scored by closing time
  cs:tickets:conversation:{id}      STRING ref of the conversation's open ticket
  cs:tickets:seq                    STRING counter behind the references
  cs:tickets:count_by_reason        HASH   handoffs per reason
  cs:tickets:judgements             HASH   ref -> tickets.model.Judgement JSON
  cs:analytics:day:{date}           HASH   counters of one local day, "metric|channel|detail" -> n
  cs:analytics:fallbacks:{date}     LIST   examples of messages the assistant did not understand
  cs:analytics:conversation:{id}    HASH   day and channel a conversation started on (expires)
  cs:notes:{ref}                    LIST   agents' internal notes on a ticket (JSON), never sent
  cs:review:item:{id}               HASH   a message kept for review, personal data masked
  cs:review:pending                 ZSET   ids of items nobody has reviewed yet, by time kept
  cs:review:reviewed                ZSET   ids of items given an intent or dismissed, by review time
  cs:desk:session:{id}              STRING username of a signed-in desk session (expires)
  cs:desk:agent_sessions:{username} ZSET   an agent's session ids by when they expire
  cs:desk:agent_language:{username} STRING the language of the desk's interface for that agent
  cs:desk:login_failures:{kind}:{value} ZSET  sign-in attempts in the moving window
  cs:desk:login_known:{account}     ZSET   addresses the account signed in from, by time
  cs:channel:{channel}:{kind}:{name} any   connector state (retry de-duplication, reply routes)
  cs:socketio                       PUBSUB socket.io fan-out between Rasa servers
  cs:undelivered_requests           HASH   conversation -> its last message that did not go through
                                           (intent, masked text, time as JSON; {} if not known)
  cs:handoff:rate:{kind}:{value}    STRING handoffs in the current window (conversation, address)
  cs:tracker:{conversation}:events  LIST   Rasa's events, one JSON each (addons/stores/)
  cs:tracker:{conversation}:session STRING index in that list where the latest session starts
  cs:verified:{channel}:{user}      STRING email a Slack/Telegram user proved (expires)
  cs:follow_up:{conversation}       HASH   a web-chat customer's email for the reply, sealed, and
                                           when they agreed (contract/follow_up.py; expires)
  cs:mail:{id}                      HASH   one follow-up email and how sending it went (expires)
  cs:mail:due                       ZSET   ids of emails still to send, by when to try next
  cs:mail:ticket:{ref}              LIST   ids of a ticket's follow-up emails, oldest first
  cs:secret_fingerprint:{name}      STRING keyed fingerprint of a secret every host must share
                                           (settings/shared_secrets.py; never the secret)
  cs:chatwoot:conversation:{id}     STRING ref of the ticket a Chatwoot conversation belongs to
  cs:chatwoot:seen:{kind}:{id}      STRING a Chatwoot webhook already handled (message id, or a
                                           ticket ref for its resolution; expires)
"""

from typing import Final

from contract.at_rest import sealer

PREFIX: Final = "cs:"

TICKETS_OPEN: Final = PREFIX + "tickets:open"
TICKETS_WAITING: Final = PREFIX + "tickets:waiting"
TICKETS_CLOSED: Final = PREFIX + "tickets:closed"
TICKETS_SEQ: Final = PREFIX + "tickets:seq"
TICKETS_COUNT_BY_REASON: Final = PREFIX + "tickets:count_by_reason"
TICKETS_JUDGEMENTS: Final = PREFIX + "tickets:judgements"
TICKET_PREFIX: Final = PREFIX + "ticket:"
SOCKETIO_CHANNEL: Final = PREFIX + "socketio"
CONTACTS_PATTERN: Final = PREFIX + "contacts:*"
ANALYTICS_PATTERN: Final = PREFIX + "analytics:*"
UNDELIVERED: Final = PREFIX + "undelivered_requests"


def turns(conversation_id: str) -> str:
    """The conversation's per-turn analysis series."""
    return f"{PREFIX}turns:{conversation_id}"


def contacts(kind: str, value: str) -> str:
    """Contact history of one customer identity (kind: sender, email or order); an email is
    named by its pseudonym, so no key name shows it (contract/at_rest.py)."""
    name = sealer().pseudonym(value) if kind == "email" else value
    return f"{PREFIX}contacts:{kind}:{name}"


def ticket(reference: str) -> str:
    """One ticket's hash."""
    return f"{TICKET_PREFIX}{reference}"


def ticket_history(reference: str) -> str:
    """What happened to one ticket, oldest first (tickets/store.py writes it in its scripts)."""
    return f"{TICKET_PREFIX}{reference}:history"


def ticket_notes(reference: str) -> str:
    """Agents' internal notes on one ticket (agent_desk/notes.py); the customer never sees them."""
    return f"{PREFIX}notes:{reference}"


def conversation_ticket(conversation_id: str) -> str:
    """The reference of the conversation's open ticket."""
    return f"{PREFIX}tickets:conversation:{conversation_id}"


def channel_state(channel: str, kind: str, name: str) -> str:
    """State a channel connector shares between Rasa servers."""
    return f"{PREFIX}channel:{channel}:{kind}:{name}"


def analytics_day(day: str) -> str:
    """The counters of one local day (ISO date), see analytics/recorder.py."""
    return f"{PREFIX}analytics:day:{day}"


def analytics_fallbacks(day: str) -> str:
    """Examples of misunderstood messages of one local day (ISO date)."""
    return f"{PREFIX}analytics:fallbacks:{day}"


def analytics_conversation(conversation_id: str) -> str:
    """When and where a conversation started, so its handoff counts against that day."""
    return f"{PREFIX}analytics:conversation:{conversation_id}"


def tracker_events(conversation_id: str) -> str:
    """The conversation's Rasa events, oldest first (addons/stores/tracker_store.py)."""
    return f"{PREFIX}tracker:{conversation_id}:events"


def tracker_session(conversation_id: str) -> str:
    """Where the conversation's latest session starts in its event list."""
    return f"{PREFIX}tracker:{conversation_id}:session"


def desk_session(session_id: str) -> str:
    """A desk sign-in: present while the session is valid, deleted at sign-out."""
    return f"{PREFIX}desk:session:{session_id}"


def agent_sessions(username: str) -> str:
    """One agent's live desk sessions (session id scored by expiry): who is signed in."""
    return f"{PREFIX}desk:agent_sessions:{username}"


def agent_language(username: str) -> str:
    """The language an agent chose for the desk's own interface (en, ko); no expiry."""
    return f"{PREFIX}desk:agent_language:{username}"


def login_failures(kind: str, value: str) -> str:
    """Desk sign-in attempts of one address, account, or account from a known address."""
    return f"{PREFIX}desk:login_failures:{kind}:{value}"


def login_known_addresses(account: str) -> str:
    """The addresses an agent account signed in from successfully, scored by time."""
    return f"{PREFIX}desk:login_known:{account}"


def verified_customer(channel: str, user: str) -> str:
    """The email a Slack or Telegram user proved, kept for a configured time."""
    return f"{PREFIX}verified:{channel}:{user}"


def agents_available() -> str:
    """Agents who set themselves available at the desk: username -> their last activity (epoch
    seconds). Away removes the entry; an entry older than the idle timeout no longer counts."""
    return f"{PREFIX}desk:agents_available"


def csat_comments(day: str) -> str:
    """The satisfaction comments of one local day (newest first, JSON each)."""
    return f"{PREFIX}analytics:csat_comments:{day}"


REVIEW_PENDING: Final = PREFIX + "review:pending"
REVIEW_REVIEWED: Final = PREFIX + "review:reviewed"


def review_item(item_id: str) -> str:
    """One customer message kept for review (analytics/review_store.py)."""
    return f"{PREFIX}review:item:{item_id}"


def secret_fingerprint(name: str) -> str:
    """Fingerprint of the shared secret `name` the first process on this Redis started with."""
    return f"{PREFIX}secret_fingerprint:{name}"


def chatwoot_conversation(conversation_id: str) -> str:
    """The ticket a Chatwoot conversation was opened for (tickets/chatwoot.py)."""
    return f"{PREFIX}chatwoot:conversation:{conversation_id}"


def chatwoot_seen(kind: str, name: str) -> str:
    """A Chatwoot webhook already handled: `message` by message id, `resolved` by ticket ref."""
    return f"{PREFIX}chatwoot:seen:{kind}:{name}"


MAIL_DUE: Final = PREFIX + "mail:due"


def follow_up(conversation_id: str) -> str:
    """The email a web-chat customer left for the reply (contract/follow_up.py)."""
    return f"{PREFIX}follow_up:{conversation_id}"


def mail(mail_id: str) -> str:
    """One follow-up email and its sending state (agent_desk/mail_outbox.py)."""
    return f"{PREFIX}mail:{mail_id}"


def ticket_mails(reference: str) -> str:
    """The follow-up emails sent for a ticket's replies, oldest first."""
    return f"{PREFIX}mail:ticket:{reference}"
