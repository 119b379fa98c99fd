import type { FieldProps } from '@fluentui/react-components';
import { Checkbox, Field, Input, Select, Switch, Text, makeStyles, tokens, useId } from '@fluentui/react-components';
import type { ReactNode } from 'react';
import type { Settings } from '../../contract/schemas.js';
import { withUnit } from '../../core/policy/policy.js';
import { Group, ListEditor, NumberInput, RowsEditor } from './fields.js';
import type { Draft, IssueIndex } from './settings-form.js';
import { DIGEST_OPTIONS, digestMode, renameService } from './settings-form.js';

const useStyles = makeStyles({
  sections: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  section: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalM,
    padding: tokens.spacingHorizontalL,
    backgroundColor: tokens.colorNeutralBackground1,
    borderRadius: tokens.borderRadiusLarge,
    boxShadow: tokens.shadow4,
    minWidth: 0,
  },
  sectionHead: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS },
  description: { color: tokens.colorNeutralForeground2 },
  grid: {
    display: 'grid',
    gap: tokens.spacingHorizontalL,
    gridTemplateColumns: 'repeat(auto-fit, minmax(min(100%, 220px), 1fr))',
    alignItems: 'start',
    // Long option texts must not widen a column past a narrow screen.
    '> *': { minWidth: 0 },
  },
  select: { minWidth: 0, textOverflow: 'ellipsis' },
  days: { display: 'flex', flexWrap: 'wrap', columnGap: tokens.spacingHorizontalS },
});

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;

function Section({ id: givenId, title, description, children }: { id?: string; title: string; description?: string; children: ReactNode }) {
  const styles = useStyles();
  const generatedId = useId('section');
  const id = givenId ?? generatedId;
  return (
    <section aria-labelledby={id} className={styles.section}>
      <div className={styles.sectionHead}>
        <Text as="h2" id={id} size={500} weight="semibold">
          {title}
        </Text>
        {description ? <Text className={styles.description}>{description}</Text> : null}
      </div>
      {children}
    </section>
  );
}

/** Every setting of the policy (DESIGN 3.6), grouped as IT thinks about them. IT's form: the page is IT's alone. */
export function SettingsForm({ draft, onChange, issues, savedSlugs }: { draft: Draft; onChange: (next: Draft) => void; issues: IssueIndex; savedSlugs: readonly string[] }) {
  const styles = useStyles();
  const unit = draft.unitName === 'Flex tokens' ? 'tokens' : 'credits';
  const set = (patch: Partial<Settings>) => onChange({ ...draft, ...patch });
  const check = (...keys: string[]): Pick<FieldProps, 'validationMessage' | 'validationState'> => {
    const message = keys.map((key) => issues.at(key)).find((m) => m !== undefined);
    return { validationMessage: message, validationState: message ? 'error' : 'none' };
  };
  const servicesId = useId('services');
  const managersId = useId('managers');

  return (
    <div className={styles.sections}>
      <Section title="Policy" description="How credits are handed out and bought.">
        <div className={styles.grid}>
          <Field label="Unit" {...check('unitName')} hint="Autodesk's Flex tokens have no per-person allotment and packs that expire, usually after 12 months: choosing them sets both.">
            <Select select={{ className: styles.select }} value={draft.unitName} onChange={(_e, data) => onChange(withUnit(draft, data.value === 'Flex tokens' ? 'Flex tokens' : 'Cloud Credits'))}>
              <option value="Cloud Credits">Cloud Credits</option>
              <option value="Flex tokens">Flex tokens</option>
            </Select>
          </Field>
          <Field label="Individual allotment" {...check('individualAllotment')} hint={`${unit} each registered person gets`}>
            <NumberInput value={draft.individualAllotment} onValue={(n) => set({ individualAllotment: n })} min={0} step={0.01} />
          </Field>
          <Field label="Allotment renewal" {...check('allotmentRenewal')}>
            <Select select={{ className: styles.select }} value={draft.allotmentRenewal} onChange={(_e, data) => set({ allotmentRenewal: data.value === 'yearly' ? 'yearly' : 'once' })}>
              <option value="once">Once, on registration</option>
              <option value="yearly">Every year</option>
            </Select>
          </Field>
          <Field label="Block size" {...check('blockSize')} hint={`Purchases are whole blocks of this many ${unit}`}>
            <NumberInput value={draft.blockSize} onValue={(n) => set({ blockSize: n })} min={1} step={1} />
          </Field>
          <Group label="Pack expiry" error={undefined}>
            <Checkbox
              label="Purchased packs expire"
              checked={draft.packExpiryMonths !== null}
              onChange={(_e, data) => set({ packExpiryMonths: data.checked ? 12 : null })}
            />
            {draft.packExpiryMonths !== null ? (
              <Field label="Months until a pack expires" {...check('packExpiryMonths')}>
                <NumberInput value={draft.packExpiryMonths} onValue={(n) => set({ packExpiryMonths: n })} min={1} max={60} step={1} />
              </Field>
            ) : null}
          </Group>
        </div>
      </Section>

      <Section title="Lead times" description="What planning and reminders count on. Lead times are in working days.">
        <div className={styles.grid}>
          <Group label="Order to credits in the pool" error={issues.at('leadTimeDays')}>
            <Field label="Shortest lead time" {...check('leadTimeDays.min')}>
              <NumberInput value={draft.leadTimeDays.min} onValue={(n) => set({ leadTimeDays: { ...draft.leadTimeDays, min: n } })} min={0} step={1} />
            </Field>
            <Field label="Longest lead time" {...check('leadTimeDays.max')}>
              <NumberInput value={draft.leadTimeDays.max} onValue={(n) => set({ leadTimeDays: { ...draft.leadTimeDays, max: n } })} min={0} step={1} />
            </Field>
          </Group>
          <Group label="Autodesk applying bought credits" error={issues.at('applyDays')}>
            <Field label="Shortest time to apply" {...check('applyDays.min')}>
              <NumberInput value={draft.applyDays.min} onValue={(n) => set({ applyDays: { ...draft.applyDays, min: n } })} min={0} step={1} />
            </Field>
            <Field label="Longest time to apply" {...check('applyDays.max')}>
              <NumberInput value={draft.applyDays.max} onValue={(n) => set({ applyDays: { ...draft.applyDays, max: n } })} min={0} step={1} />
            </Field>
          </Group>
          <Group label="Other limits" error={undefined}>
            <Field label="A registration is stuck after (working days)" {...check('stuckAfterWorkingDays')}>
              <NumberInput value={draft.stuckAfterWorkingDays} onValue={(n) => set({ stuckAfterWorkingDays: n })} min={1} step={1} />
            </Field>
            <Field label="Holds expire after (days)" {...check('holdExpiryDays')}>
              <NumberInput value={draft.holdExpiryDays} onValue={(n) => set({ holdExpiryDays: n })} min={1} step={1} />
            </Field>
            <Field
              label="Pool held per person, at most"
              {...check('maxPoolHeldPerPerson')}
              hint={`Pool ${unit} one person's open holds may reserve, so nobody can hold the whole pool for a week. Own ${unit} do not count. 100 by default (one block); 0 lets holds take own ${unit} only.`}
            >
              <NumberInput value={draft.maxPoolHeldPerPerson} onValue={(n) => set({ maxPoolHeldPerPerson: n })} min={0} max={100_000} step={1} />
            </Field>
          </Group>
        </div>
        <Group label="Working days" error={issues.at('workingDays')}>
          <div className={styles.days}>
            {WEEKDAYS.map((name, i) => (
              <Checkbox
                key={name}
                label={name}
                checked={draft.workingDays.includes(i + 1)}
                onChange={(_e, data) =>
                  set({ workingDays: data.checked ? [...draft.workingDays, i + 1].sort((a, b) => a - b) : draft.workingDays.filter((d) => d !== i + 1) })
                }
              />
            ))}
          </div>
        </Group>
        <ListEditor
          label="Holidays"
          hint="Days that do not count as working days."
          values={draft.holidays}
          onChange={(holidays) => set({ holidays })}
          type="date"
          itemLabel={(i) => `Holiday ${i + 1}`}
          addLabel="Add holiday"
          emptyText="No holidays."
          error={issues.at('holidays')}
          issueAt={(i) => issues.at(`holidays.${i}`)}
        />
      </Section>

      <Section id={servicesId} title="Services" description="The Autodesk cloud services people log, with a typical cost per job as a guide.">
        <RowsEditor
          label="Services"
          labelledBy={servicesId}
          rows={draft.services}
          columns={[
            {
              header: 'Name',
              cell: (s, i) => (
                // A service's id is internal: a new one takes it from the name, a saved one keeps it (usage names it).
                <Field {...check(`services.${i}.name`, `services.${i}.slug`)}>
                  <Input data-first-control aria-label={`Name of service ${i + 1}`} value={s.name} onChange={(_e, d) => set({ services: renameService(draft.services, i, d.value, savedSlugs) })} />
                </Field>
              ),
            },
            {
              header: `Typical ${unit}`,
              cell: (s, i) => (
                <Field {...check(`services.${i}.typicalCredits`)}>
                  <NumberInput
                    aria-label={`Typical ${unit} of service ${i + 1}`}
                    value={s.typicalCredits}
                    min={0}
                    step={0.01}
                    onValue={(n) => set({ services: draft.services.map((x, j) => (j === i ? { ...x, typicalCredits: n } : x)) })}
                  />
                </Field>
              ),
            },
          ]}
          onAdd={() => set({ services: [...draft.services, { slug: '', name: '', typicalCredits: 0 }] })}
          onRemove={(i) => set({ services: draft.services.filter((_s, j) => j !== i) })}
          removeLabel={(s, i) => `Remove service ${i + 1}${s.name ? ` (${s.name})` : ''}`}
          addLabel="Add service"
          emptyText="No services: add at least one."
          error={issues.at('services')}
        />
      </Section>

      <Section id={managersId} title="Account managers" description="The people who create Autodesk accounts and buy credits.">
        <RowsEditor
          label="Account managers"
          labelledBy={managersId}
          rows={draft.accountManagers}
          columns={[
            {
              header: 'Name',
              cell: (p, i) => (
                <Field {...check(`accountManagers.${i}.name`)}>
                  <Input data-first-control aria-label={`Name of account manager ${i + 1}`} value={p.name} onChange={(_e, d) => set({ accountManagers: draft.accountManagers.map((x, j) => (j === i ? { ...x, name: d.value } : x)) })} />
                </Field>
              ),
            },
            {
              header: 'Email',
              cell: (p, i) => (
                <Field {...check(`accountManagers.${i}.email`)}>
                  <Input type="email" aria-label={`Email of account manager ${i + 1}`} value={p.email} onChange={(_e, d) => set({ accountManagers: draft.accountManagers.map((x, j) => (j === i ? { ...x, email: d.value } : x)) })} />
                </Field>
              ),
            },
          ]}
          onAdd={() => set({ accountManagers: [...draft.accountManagers, { name: '', email: '' }] })}
          onRemove={(i) => set({ accountManagers: draft.accountManagers.filter((_p, j) => j !== i) })}
          removeLabel={(p, i) => `Remove account manager ${i + 1}${p.name ? ` (${p.name})` : ''}`}
          addLabel="Add account manager"
          emptyText="No account managers yet."
          error={issues.at('accountManagers')}
        />
      </Section>

      <Section title="Reseller and links">
        <div className={styles.grid}>
          <Field label="Reseller name" {...check('reseller.name')}>
            <Input value={draft.reseller.name} onChange={(_e, d) => set({ reseller: { ...draft.reseller, name: d.value } })} />
          </Field>
          <Field label="Reseller email domain" {...check('reseller.emailDomain')} hint="Quotes from this domain are recognised, e.g. imaginit.com">
            <Input value={draft.reseller.emailDomain} onChange={(_e, d) => set({ reseller: { ...draft.reseller, emailDomain: d.value } })} />
          </Field>
          <Field label="Home-use knowledge-base article" {...check('homeUseKbUrl')}>
            <Input type="url" value={draft.homeUseKbUrl} onChange={(_e, d) => set({ homeUseKbUrl: d.value })} />
          </Field>
        </div>
      </Section>

      <Section title="Quarantine hints" description="How the quarantine helper recognises the Autodesk email and the spam-quarantine digest.">
        <ListEditor
          label="Autodesk sender addresses"
          values={draft.quarantine.autodeskSenders}
          onChange={(autodeskSenders) => set({ quarantine: { ...draft.quarantine, autodeskSenders } })}
          type="email"
          itemLabel={(i) => `Autodesk sender ${i + 1}`}
          addLabel="Add sender"
          emptyText="No sender addresses."
          error={issues.at('quarantine.autodeskSenders')}
          issueAt={(i) => issues.at(`quarantine.autodeskSenders.${i}`)}
        />
        <div className={styles.grid}>
          <Field label="Digest sender" {...check('quarantine.digestSender')} hint="The address, or its start, that sends the quarantine digest">
            <Input value={draft.quarantine.digestSender} onChange={(_e, d) => set({ quarantine: { ...draft.quarantine, digestSender: d.value } })} />
          </Field>
          <Field label="Digest subject" {...check('quarantine.digestSubject')}>
            <Input value={draft.quarantine.digestSubject} onChange={(_e, d) => set({ quarantine: { ...draft.quarantine, digestSubject: d.value } })} />
          </Field>
        </div>
      </Section>

      <Section title="Teams channel and notifications" description="Where pool changes and alerts are posted as cards, and how people hear that their account exists, that a request arrived, or that an import did not confirm usage they logged.">
        <div className={styles.grid}>
          <Field
            label="Teams webhook URL (optional)"
            {...check('teamsWebhookUrl')}
            hint="The https:// address of a Teams Workflows webhook (on logic.azure.com, api.powerplatform.com or webhook.office.com unless IT set other hosts; the local stack also takes http://127.0.0.1:…). Leave empty to show the feed in this tab only."
          >
            <Input type="url" value={draft.teamsWebhookUrl ?? ''} onChange={(_e, d) => set({ teamsWebhookUrl: d.value.trim() === '' ? null : d.value })} />
          </Field>
          <Field label="Post pool draws" {...check('feedDigest')} hint="A busy channel can get draws as one summary card an hour or a day. Purchases and alerts always post at once.">
            <Select select={{ className: styles.select }} value={draft.feedDigest} onChange={(_e, data) => set({ feedDigest: digestMode(data.value) })}>
              {DIGEST_OPTIONS.map((option) => (
                <option key={option.value} value={option.value}>
                  {option.label}
                </option>
              ))}
            </Select>
          </Field>
          <Field
            label="Time zone (optional)"
            {...check('timeZone')}
            hint="The firm's time zone for times on the cards and in the feed, as an IANA name such as Europe/London or America/New_York. Leave empty for UTC (the cards then say UTC)."
          >
            <Input value={draft.timeZone ?? ''} placeholder="UTC" onChange={(_e, d) => set({ timeZone: d.value.trim() === '' ? null : d.value.trim() })} />
          </Field>
        </div>
        <div className={styles.grid}>
          <Field {...check('notifications.teams')} hint="People get a Teams activity when their Autodesk account is created; account managers when a request arrives.">
            <Switch
              label="Notify in Teams"
              checked={draft.notifications.teams}
              onChange={(_e, d) => set({ notifications: { ...draft.notifications, teams: d.checked } })}
            />
          </Field>
          <Field {...check('notifications.mail')} hint="A mail instead, where Teams notifications are not set up for the person.">
            <Switch
              label="Notify by mail"
              checked={draft.notifications.mail}
              onChange={(_e, d) => set({ notifications: { ...draft.notifications, mail: d.checked } })}
            />
          </Field>
          <Field label="Send mail from (optional)" {...check('notifications.mailSender')} hint="The mailbox notification mails come from. Leave empty to send no mail.">
            <Input
              type="email"
              value={draft.notifications.mailSender ?? ''}
              onChange={(_e, d) => set({ notifications: { ...draft.notifications, mailSender: d.value.trim() === '' ? null : d.value.trim() } })}
            />
          </Field>
        </div>
      </Section>

      <Section title="Alert thresholds" description="When the feed warns that the pool is low or that it is time to order.">
        <div className={styles.grid}>
          <Field label="Pool low below (% of the last purchase)" {...check('alerts.poolLowPercentOfLastPurchase')}>
            <NumberInput value={draft.alerts.poolLowPercentOfLastPurchase} onValue={(n) => set({ alerts: { ...draft.alerts, poolLowPercentOfLastPurchase: n } })} min={0} max={100} />
          </Field>
          <Field label="Safety margin (days)" {...check('alerts.safetyMarginDays')}>
            <NumberInput value={draft.alerts.safetyMarginDays} onValue={(n) => set({ alerts: { ...draft.alerts, safetyMarginDays: n } })} min={0} step={1} />
          </Field>
          <Field label="Forecast horizon (days)" {...check('alerts.forecastHorizonDays')} hint="How far ahead purchase recommendations look">
            <NumberInput value={draft.alerts.forecastHorizonDays} onValue={(n) => set({ alerts: { ...draft.alerts, forecastHorizonDays: n } })} min={1} step={1} />
          </Field>
        </div>
      </Section>

      <Section title="Limits" description="How many changes (logging usage, requests, purchase steps, settings) and how many reads one person may make, counted apart. Past a limit Credit Desk asks them to wait a moment.">
        <div className={styles.grid}>
          <Field label="Changes per minute, per person" {...check('rateLimit.perMinute')} hint="The steady rate each person gets back. 120 by default.">
            <NumberInput value={draft.rateLimit.perMinute} onValue={(n) => set({ rateLimit: { ...draft.rateLimit, perMinute: n } })} min={1} max={100_000} step={1} />
          </Field>
          <Field label="Changes at once (burst)" {...check('rateLimit.burst')} hint="How many a person may make in quick succession before the per-minute rate applies. 30 by default.">
            <NumberInput value={draft.rateLimit.burst} onValue={(n) => set({ rateLimit: { ...draft.rateLimit, burst: n } })} min={1} max={10_000} step={1} />
          </Field>
          <Field label="Reads per minute, per person" {...check('readRateLimit.perMinute')} hint="Page loads and refreshes, counted apart from changes. 600 by default.">
            <NumberInput value={draft.readRateLimit.perMinute} onValue={(n) => set({ readRateLimit: { ...draft.readRateLimit, perMinute: n } })} min={1} max={100_000} step={1} />
          </Field>
          <Field label="Reads at once (burst)" {...check('readRateLimit.burst')} hint="Opening the tab reads several things at once. 100 by default.">
            <NumberInput value={draft.readRateLimit.burst} onValue={(n) => set({ readRateLimit: { ...draft.readRateLimit, burst: n } })} min={1} max={10_000} step={1} />
          </Field>
        </div>
      </Section>
    </div>
  );
}
