/**
 * The column settings both CRM contact exports (HubSpot contacts export, Salesforce report export) share: the
 * labels of the cells `crmCustomerRow` lands, each configurable because admins rename fields. Each vendor adds
 * its own id, date and country columns and its own label message.
 */
import type { z } from 'zod';

/** Default labels of the shared columns (the field labels of a fresh HubSpot portal and Salesforce org). */
export const CRM_CONTACT_COLUMN_DEFAULTS = {
  email: 'Email',
  firstName: 'First Name',
  lastName: 'Last Name',
  referralCode: 'Referral Code',
  referredByCode: 'Referred By Code',
};

/**
 * The zod fields of the shared columns; `label` builds one column label (non-empty, with the vendor's message).
 * `region` has no default: no CRM has a standard region field, so it is landed only when configured.
 */
export function crmContactColumns(label: () => z.ZodString) {
  return {
    email: label().default(CRM_CONTACT_COLUMN_DEFAULTS.email),
    firstName: label().default(CRM_CONTACT_COLUMN_DEFAULTS.firstName),
    lastName: label().default(CRM_CONTACT_COLUMN_DEFAULTS.lastName),
    region: label().optional(),
    /** The contact's own advocate code (a custom field or property). */
    referralCode: label().default(CRM_CONTACT_COLUMN_DEFAULTS.referralCode),
    /** The code the contact signed up with (a custom field or property). */
    referredByCode: label().default(CRM_CONTACT_COLUMN_DEFAULTS.referredByCode),
  };
}
