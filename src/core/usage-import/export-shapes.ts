import type { ImportField, ImportFormat, ImportUnit } from './types.js';

/** Which column tells who a row is for. */
export type PersonKey = 'email' | 'hashed_id' | 'user_name';

/**
 * One export Autodesk produces, as its documentation names the columns (DESIGN 3.4). Names are matched
 * after normalising (case, spaces and punctuation do not count), so `day_used` and `Day used` are one name.
 */
export interface ExportShape {
  format: Exclude<ImportFormat, 'custom' | 'opening_balances'>;
  /** Where the file comes from, in words. */
  source: string;
  unit: ImportUnit;
  person: PersonKey;
  /** The export's column for each field it carries. */
  columns: Partial<Record<ImportField, string>>;
  /**
   * `names`: the file is this export when it has every column of `identifiedBy` by exactly these names.
   * `fields`: when its header maps those fields by any known name and the amount column names the unit
   * (the older exports, whose names varied by report and contract).
   */
  match: 'names' | 'fields';
  identifiedBy: readonly ImportField[];
  /**
   * `daily_totals`: one row per person, product, feature and day, with no charge id, whose amount Autodesk
   * raises while the day settles (see daily-totals.ts); otherwise a row is one charge or job.
   */
  rows?: 'daily_totals';
}

/**
 * Every Autodesk export shape Credit Desk knows, most specific first: the first that matches a header is
 * the file's shape. The usage report's names are Autodesk Account's (Reporting → Usage report → Export:
 * snake_case until 2026, Title Case since); with personal data off its emails and names read `*****` and
 * `hashed_autodesk_id` tells people apart. The Token Flex Usage Data API's export names its fields in
 * camelCase; for machine-metered products (Arnold, RenderNode, VRED) `userName` holds the machine's name.
 */
export const EXPORT_SHAPES: readonly ExportShape[] = [
  {
    format: 'usage_report_2026',
    source: 'Autodesk Account usage report (2026 column names)',
    unit: 'tokens',
    person: 'email',
    columns: { email: 'Email', firstName: 'First name', lastName: 'Last name', team: 'Team', product: 'Product', service: 'Feature', date: 'Day used', amount: 'Tokens used', userHash: 'hashed_autodesk_id' },
    match: 'names',
    identifiedBy: ['email', 'product', 'date', 'amount'],
    rows: 'daily_totals',
  },
  {
    format: 'usage_report_legacy',
    source: 'Autodesk Account usage report (column names before 2026)',
    unit: 'tokens',
    person: 'email',
    columns: {
      email: 'email',
      firstName: 'first_name',
      lastName: 'last_name',
      team: 'team_alias',
      service: 'offering_name',
      product: 'product_name',
      date: 'day_used',
      amount: 'tokens_used',
      userHash: 'hashed_autodesk_id',
    },
    match: 'names',
    identifiedBy: ['product', 'date', 'amount'],
    rows: 'daily_totals',
  },
  {
    format: 'token_flex_api',
    source: 'Token Flex Usage Data API export',
    unit: 'tokens',
    person: 'user_name',
    columns: { date: 'usageDate', userName: 'userName', product: 'productName', amount: 'tokensConsumed', chargeId: 'chargedItemID' },
    match: 'names',
    identifiedBy: ['date', 'userName', 'product', 'amount'],
  },
  {
    format: 'cloud_services',
    source: 'Autodesk cloud services usage (cloud credits)',
    unit: 'credits',
    person: 'email',
    columns: { date: 'Date', email: 'Email', firstName: 'First Name', lastName: 'Last Name', service: 'Service', product: 'Product', job: 'Job Name', amount: 'Cloud Credits Used', team: 'Team' },
    match: 'fields',
    identifiedBy: ['date', 'email', 'amount'],
  },
  {
    format: 'cloud_services_hashed',
    source: 'Autodesk cloud services usage (cloud credits), personal data off',
    unit: 'credits',
    person: 'hashed_id',
    columns: { date: 'Date', userHash: 'User ID (hashed)', service: 'Service', product: 'Product', job: 'Job Name', amount: 'Cloud Credits Used', team: 'Team' },
    match: 'fields',
    identifiedBy: ['date', 'userHash', 'amount'],
  },
  {
    format: 'flex_tokens',
    source: 'Autodesk Flex token usage',
    unit: 'tokens',
    person: 'email',
    columns: { date: 'Usage Date', email: 'User Email', firstName: 'First Name', lastName: 'Last Name', product: 'Product Name', team: 'Team Name', amount: 'Tokens Consumed' },
    match: 'fields',
    identifiedBy: ['date', 'email', 'amount'],
  },
  {
    format: 'flex_tokens_hashed',
    source: 'Autodesk Flex token usage, personal data off',
    unit: 'tokens',
    person: 'hashed_id',
    columns: { date: 'Usage Date', userHash: 'User ID (hashed)', product: 'Product Name', team: 'Team Name', amount: 'Tokens Consumed' },
    match: 'fields',
    identifiedBy: ['date', 'userHash', 'amount'],
  },
];

/** The shape of a format, if it is one of Autodesk's. */
export function shapeOf(format: ImportFormat | null): ExportShape | undefined {
  return EXPORT_SHAPES.find((s) => s.format === format);
}

/** What personal data off writes in place of a name or an email. */
const MASKED = /^\*{3,}$/;

/** True when every sampled value of the column is masked (`*****`) and there is at least one. */
export function isMaskedColumn(values: readonly string[]): boolean {
  const given = values.map((v) => v.trim()).filter((v) => v !== '');
  return given.length > 0 && given.every((v) => MASKED.test(v));
}
