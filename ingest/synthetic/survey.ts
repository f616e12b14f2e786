/**
 * raw.survey_responses: one onboarding survey ("how did you hear about us" + NPS) answered by a share of the
 * regular customers within days of sign-up (responses that would land after the observation end are not
 * given). Referred customers mostly answer the friend answer; non-referred dark-social customers always do;
 * the other non-referred answer by their acquisition channel. NPS comes from the customer's NPS class.
 */
import { SYNTHETIC_TRUTHS as X } from './params.js';
import { caseOf, categorical, insertLanding, paddedId, ts } from './sql.js';
import { createScratch, ID_WIDTH, type Gen } from './stage.js';

const DAY = 86_400;

export async function prepareSurveyResponses(g: Gen): Promise<void> {
  const u = (salt: string) => g.rng.u(['idx'], salt);
  const sv = X.survey;
  await createScratch(
    g,
    'survey',
    `select *, row_number() over (order by idx) as rn
from (
  select idx, customer_id, program_id, email, nps_class, grp, dark_social, acq_channel,
    created_sec + ${sv.minDelaySeconds} + cast(floor(${u('survey-time')} * ${sv.withinDays * DAY - sv.minDelaySeconds}) as bigint) as submitted_sec
  from _syn_cust
  where ring_role is null and ${u('survey-responds')} < ${sv.responseShare}
)
where submitted_sec < ${g.run.endSec}`,
  );
}

export async function insertSurveyResponses(g: Gen): Promise<void> {
  const { d, rng, run } = g;
  const sv = X.survey;
  const u = (salt: string) => rng.u(['idx'], salt);
  const byChannel = Object.fromEntries(
    Object.entries(sv.answersByChannel).map(([ch, mix]) => [ch, categorical(d, u('answer'), mix)]),
  );
  const score = (range: readonly number[]) =>
    `${range[0]} + cast(floor(${u('nps-score')} * ${range[1]! - range[0]! + 1}) as bigint)`;
  const comments = {
    promoter: 'Love it, already told my friends',
    passive: 'Good, but delivery could be faster',
    detractor: 'Too expensive for what you get',
  };

  g.rows.survey_responses += await insertLanding(
    g.wh,
    run,
    'survey_responses',
    {
      response_id: paddedId('S', 'rn', ID_WIDTH),
      program_id: 'program_id',
      survey_id: d.stringLiteral(sv.surveyId),
      customer_id: 'customer_id',
      respondent_email: 'email',
      submitted_at: ts('submitted_sec'),
      hdyhau_answer: `case when grp = 'referred' then ${categorical(d, u('answer'), sv.referredAnswers)}
        when dark_social then ${d.stringLiteral(sv.friendAnswer)}
        else ${caseOf(d, 'acq_channel', byChannel)} end`,
      nps_score: caseOf(
        d,
        'nps_class',
        { promoter: score(X.nps.scores.promoter), passive: score(X.nps.scores.passive) },
        score(X.nps.scores.detractor),
      ),
      comment: `case when ${u('comment')} < ${sv.commentShare} then ${caseOf(d, 'nps_class', Object.fromEntries(Object.entries(comments).map(([k, v]) => [k, d.stringLiteral(v)])))} end`,
    },
    'rn',
    '_syn_survey',
  );
}
