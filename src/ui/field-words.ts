/**
 * The fields the API's validation names by property path (`packExpiryMonths`, `services.2.name`), in the
 * words the forms label them with, so an error says "Pack expiry (months)", never the property.
 */
const FIELD_LABEL: Record<string, string> = {
  unitName: 'Unit',
  individualAllotment: 'Individual allotment',
  allotmentRenewal: 'Allotment renewal',
  blockSize: 'Block size',
  packExpiryMonths: 'Pack expiry (months)',
  'leadTimeDays.min': 'Shortest lead time',
  'leadTimeDays.max': 'Longest lead time',
  leadTimeDays: 'Lead time',
  'applyDays.min': 'Shortest time to apply',
  'applyDays.max': 'Longest time to apply',
  applyDays: 'Time to apply',
  workingDays: 'Working days',
  holidays: 'Holidays',
  stuckAfterWorkingDays: 'A registration is stuck after (working days)',
  holdExpiryDays: 'Holds expire after (days)',
  maxPoolHeldPerPerson: 'Pool held per person, at most',
  services: 'Services',
  accountManagers: 'Account managers',
  'reseller.name': 'Reseller name',
  'reseller.emailDomain': 'Reseller email domain',
  homeUseKbUrl: 'Home-use knowledge-base article',
  teamsWebhookUrl: 'Teams webhook URL',
  feedDigest: 'Post pool draws',
  'quarantine.autodeskSenders': 'Autodesk sender addresses',
  'quarantine.digestSender': 'Digest sender',
  'quarantine.digestSubject': 'Digest subject',
  'notifications.teams': 'Notify in Teams',
  'notifications.mail': 'Notify by mail',
  'notifications.mailSender': 'Send mail from',
  'alerts.poolLowPercentOfLastPurchase': 'Pool low below (% of the last purchase)',
  'alerts.safetyMarginDays': 'Safety margin (days)',
  'alerts.forecastHorizonDays': 'Forecast horizon (days)',
  'rateLimit.perMinute': 'Changes per minute, per person',
  'rateLimit.burst': 'Changes at once (burst)',
  'readRateLimit.perMinute': 'Reads per minute, per person',
  'readRateLimit.burst': 'Reads at once (burst)',
  blocks: 'Blocks',
  reason: 'Reason',
  quoteNumber: 'Quote number',
  price: 'Price',
  currency: 'Currency',
  poNumber: 'PO number',
  credits: 'Credits',
  amount: 'Amount',
  service: 'Service',
  date: 'Date',
  project: 'Project',
  note: 'Note',
  email: 'Email',
  memberId: 'Person',
  from: 'From',
  to: 'To',
  cursor: 'Page',
};

/** One entry of a list, in words: `services.2` is "Service 3". */
const LIST_ITEM: Record<string, string> = { services: 'Service', accountManagers: 'Account manager', holidays: 'Holiday', 'quarantine.autodeskSenders': 'Autodesk sender' };
const ITEM_FIELD: Record<string, string> = { slug: 'id', name: 'name', email: 'email', typicalCredits: 'typical amount' };

/** "packExpiryMonths" → "Pack expiry months": a last resort for a property no form names. */
const spelledOut = (key: string): string => {
  const words = key.replace(/[_-]+/g, ' ').replace(/([a-z\d])([A-Z])/g, '$1 $2').toLowerCase().trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
};

/** The label of the field at a dotted property path, as the forms show it. */
export function fieldLabel(path: string): string {
  if (FIELD_LABEL[path]) return FIELD_LABEL[path];
  const item = /^(.+?)\.(\d+)(?:\.(\w+))?$/.exec(path);
  if (item && LIST_ITEM[item[1]!]) {
    const entry = `${LIST_ITEM[item[1]!]} ${Number(item[2]) + 1}`;
    return item[3] ? `${entry}, ${ITEM_FIELD[item[3]] ?? spelledOut(item[3]).toLowerCase()}` : entry;
  }
  const last = path.split('.').filter((segment) => !/^\d+$/.test(segment)).at(-1) ?? path;
  return FIELD_LABEL[last] ?? spelledOut(last);
}
