import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../../../src/warehouse/warehouse.js';
import { land, memoryWarehouse } from '../../../helpers/landing.js';
import { runAttribution, withAttribution } from './helpers.js';

const SIGNUP = '2025-03-10T12:00:00Z';
const customer = (customer_id: string, extra: Record<string, unknown> = {}) => ({
  customer_id,
  email: `${customer_id.toLowerCase()}@example.com`,
  created_at: SIGNUP,
  referral_code: `R${customer_id}`,
  ...extra,
});
const touch = (touch_id: string, customer_id: string, occurred_at: string, extra: Record<string, unknown> = {}) => ({
  touch_id,
  customer_id,
  anonymous_id: `A-${customer_id}`,
  occurred_at,
  touch_type: 'visit',
  page_url: 'https://shop.example.com/',
  ...extra,
});
const response = (response_id: string, customer_id: string | null, answer: string | null, extra = {}) => ({
  response_id,
  survey_id: 'onboarding',
  customer_id,
  submitted_at: '2025-03-11T00:00:00Z',
  hdyhau_answer: answer,
  ...extra,
});

describe('survey_vs_tracked and dark_social_share', () => {
  let wh: Warehouse;
  beforeEach(async () => {
    wh = await memoryWarehouse();
    await land(wh, 'customers', [
      customer('C1'),
      customer('C2', { referred_by_code: 'RC9' }),
      customer('C3'),
      customer('C4'),
      customer('C5'),
      customer('C6'),
      customer('C7'),
      customer('C9', { referral_code: 'RC9' }),
    ]);
    await land(wh, 'orders', [
      {
        order_id: 'O5',
        customer_id: 'C5',
        ordered_at: '2025-03-12T00:00:00Z',
        currency: 'USD',
        gross_minor: 100,
        discount_minor: 0,
        tax_minor: 0,
        refunded_minor: 0,
        status: 'paid',
        referral_code: 'RC9',
      },
    ]);
    await land(wh, 'touches', [
      touch('T1a', 'C1', '2025-03-09T12:00:00Z', {
        touch_type: 'click',
        utm_source: 'facebook',
        utm_medium: 'paid_social',
      }),
      touch('T1b', 'C1', '2025-03-10T11:50:00Z'), // direct visit 10 minutes before sign-up: the tracked channel
      touch('T1c', 'C1', '2025-03-10T12:05:00Z', { utm_source: 'newsletter', utm_medium: 'email' }), // after sign-up
      touch('T2', 'C2', '2025-03-10T11:00:00Z', {
        touch_type: 'click',
        page_url: 'https://shop.example.com/r?ref=RC9',
      }),
      touch('T3', 'C3', '2025-03-09T12:00:00Z', { touch_type: 'click', utm_source: 'google', utm_medium: 'cpc' }),
      // C4's only touch is a view 2 days before sign-up: outside the 1-day view lookback, so 'Unattributed'.
      touch('T4', 'C4', '2025-03-08T12:00:00Z', {
        touch_type: 'view',
        utm_source: 'facebook',
        utm_medium: 'paid_social',
      }),
    ]);
    await land(wh, 'survey_responses', [
      response('S1', 'C1', 'A friend or colleague'),
      response('S2', 'C2', '  a friend or colleague '),
      response('S3', null, 'Google', { respondent_email: ' C3@Example.com ' }), // matched by email
      response('S4', 'C4', 'Podcast'),
      response('S5', 'C5', 'A friend or colleague'), // a code at checkout: referral evidence, not dark social
      response('S6a', 'C6', 'Google', { submitted_at: '2025-03-11T00:00:00Z' }),
      response('S6b', 'C6', 'My neighbour told me', { submitted_at: '2025-03-12T00:00:00Z' }), // latest: other
      response('S7', 'C7', '  '), // no answer
    ]);
    await runAttribution(wh, withAttribution({}), ['survey_vs_tracked', 'dark_social_share']);
  });
  afterEach(async () => {
    await wh.close();
  });

  it('maps answers to classes and crosses them with the tracked sign-up channel', async () => {
    const rows = await wh.query(
      `select hdyhau_class, tracked_channel, respondents, with_referral_evidence, dark_social
       from main.survey_vs_tracked order by 1, 2`,
    );
    expect(rows).toEqual([
      {
        hdyhau_class: 'other',
        tracked_channel: 'Unattributed',
        respondents: 1,
        with_referral_evidence: 0,
        dark_social: 0,
      },
      {
        hdyhau_class: 'podcast',
        tracked_channel: 'Unattributed',
        respondents: 1,
        with_referral_evidence: 0,
        dark_social: 0,
      },
      {
        hdyhau_class: 'search',
        tracked_channel: 'Paid Search',
        respondents: 1,
        with_referral_evidence: 0,
        dark_social: 0,
      },
      {
        hdyhau_class: 'word_of_mouth',
        tracked_channel: 'Direct',
        respondents: 1,
        with_referral_evidence: 0,
        dark_social: 1,
      },
      {
        hdyhau_class: 'word_of_mouth',
        tracked_channel: 'Referral Program',
        respondents: 1,
        with_referral_evidence: 1,
        dark_social: 0,
      },
      {
        hdyhau_class: 'word_of_mouth',
        tracked_channel: 'Unattributed',
        respondents: 1,
        with_referral_evidence: 1,
        dark_social: 0,
      },
    ]);
  });

  it('computes the dark-social share over respondents and over unreferred respondents', async () => {
    // Respondents C1..C6 (C7 left the answer empty) = 6; dark social: C1 only (C2 has a referral touch and code,
    // C5 a code at checkout) -> 1 / 6; unreferred respondents C1, C3, C4, C6 = 4 -> 1 / 4.
    const rows = await wh.query(`select * from main.dark_social_share`);
    expect(rows).toEqual([
      {
        program_id: 'friends',
        respondents: 6,
        word_of_mouth: 3,
        unreferred_respondents: 4,
        dark_social: 1,
        dark_social_share: 1 / 6,
        dark_social_share_unreferred: 0.25,
      },
    ]);
  });
});
