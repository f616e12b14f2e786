/**
 * raw.email_events: the invitation emails behind every `invited` referral event (Mailchimp-style rows, one
 * send per invite), consistent with the referral events by construction:
 * - every invite is `sent` at the invite's time (`email_id` = 'M' + the invite's event number);
 * - an invite whose referral link was clicked (the referred customer's own invite, or an extra invite drawn as
 *   clicked) is delivered: `opened` uniformly between the send and the click, and `clicked` at the referral
 *   click's time with the link `https://shop.example.com/r?ref=CODE`;
 * - any other invite bounces with probability `bounceRate`, else is opened with probability `openRate`
 *   (uniform within `openWithinDays`, before `end`) and never clicked, since no link click happened.
 * So email clicks are exactly the invitation link clicks, and P(opened | not clicked, delivered) = openRate.
 */
import { insertLanding, paddedId, ts } from './sql.js';
import { createScratch, ID_WIDTH, type Gen } from './stage.js';

const DAY = 86_400;

/** The planted email rates (documented in TRUTHS.md). */
export const EMAIL_EVENT_TRUTHS = {
  provider: 'mailchimp',
  /** Invites without a link click: share of sends that bounce (within 5 minutes). */
  bounceRate: 0.02,
  bounceWithinSeconds: 300,
  /** Invites without a link click that were delivered: share opened, uniformly within this many days. */
  openRate: 0.45,
  openWithinDays: 3,
} as const;

export async function prepareEmailEvents(g: Gen): Promise<void> {
  const { rng, run } = g;
  const t = EMAIL_EVENT_TRUTHS;
  const end = run.endSec;
  const keys = ['i.rn'];
  // The referral click of each invite: part 1 pairs invite k = 0 with click k = 1 of the same referee (idx);
  // part 2 extra invites (idx, seg, k) are clicked by part 3 rows (idx, seg * 2 + 0, k).
  await createScratch(
    g,
    'einv',
    `select i.rn, i.program_id, i.referral_code, i.referee_email, i.occurred_sec as sent_sec, c.occurred_sec as click_sec,
  ${rng.u(keys, 'email-bounce')} < ${t.bounceRate} as bounce_draw,
  ${rng.u(keys, 'email-open')} < ${t.openRate} as open_draw,
  ${rng.u(keys, 'email-open-time')} as open_u,
  ${rng.u(keys, 'email-bounce-time')} as bounce_u
from _syn_re i
left join _syn_re c on c.event_type = 'clicked' and c.a = i.a and c.k = (case when i.part = 1 then 1 else i.k end)
  and ((i.part = 1 and c.part = 1) or (i.part = 2 and c.part = 3 and c.b = i.b * 2))
where i.event_type = 'invited' and i.referee_email is not null`,
  );
  await createScratch(
    g,
    'email0',
    `select e.rn as invite_rn, s.i as step, e.program_id, e.referral_code, e.referee_email,
  case s.i
    when 0 then e.sent_sec
    when 1 then case when e.click_sec is not null
      then e.sent_sec + cast(floor(e.open_u * (e.click_sec - e.sent_sec)) as bigint)
      else e.sent_sec + cast(floor(e.open_u * least(${t.openWithinDays * DAY}, ${end} - e.sent_sec - 1)) as bigint) end
    when 2 then e.click_sec
    else e.sent_sec + cast(floor(e.bounce_u * least(${t.bounceWithinSeconds}, ${end} - e.sent_sec - 1)) as bigint)
  end as occurred_sec,
  case s.i when 0 then 'sent' when 1 then 'opened' when 2 then 'clicked' else 'bounced' end as event_type
from _syn_einv e cross join range(4) s(i)
where s.i = 0
  or (s.i = 1 and (e.click_sec is not null or (not e.bounce_draw and e.open_draw)))
  or (s.i = 2 and e.click_sec is not null)
  or (s.i = 3 and e.click_sec is null and e.bounce_draw)`,
  );
  await createScratch(
    g,
    'email',
    `select e.*, n.rn from _syn_email0 e
join (select invite_rn, step, row_number() over (order by invite_rn, step) as rn from _syn_email0) n
  on n.invite_rn = e.invite_rn and n.step = e.step`,
  );
}

export async function insertEmailEvents(g: Gen): Promise<void> {
  g.rows.email_events += await insertLanding(
    g.wh,
    g.run,
    'email_events',
    {
      event_id: paddedId('EM', 'rn', ID_WIDTH),
      program_id: 'program_id',
      provider: g.d.stringLiteral(EMAIL_EVENT_TRUTHS.provider),
      event_type: 'event_type',
      occurred_at: ts('occurred_sec'),
      recipient_email: 'referee_email',
      customer_id: 'null',
      campaign_id: `'referral-invite-' || program_id`,
      email_id: paddedId('M', 'invite_rn', ID_WIDTH),
      referral_code: 'referral_code',
      url: `case when event_type = 'clicked' then 'https://shop.example.com/r?ref=' || referral_code end`,
    },
    'rn',
    '_syn_email',
  );
}
