import { Field, Input, Select, Switch } from '@fluentui/react-components';
import { DIGEST_OPTIONS, digestMode } from '../settings-form.js';
import { useSettingsFormStyles } from '../SettingsForm.styles.js';
import type { SectionProps } from './Section.js';
import { Section } from './Section.js';

export function NotificationsSection({ draft, set, check }: SectionProps) {
  const styles = useSettingsFormStyles();
  const notifications = draft.notifications;
  return (
    <Section
      title="Teams channel and notifications"
      description="Where pool changes and alerts are posted as cards, and how people hear that their account exists, that a request arrived, or that an import did not confirm usage they logged."
    >
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
          <Switch label="Notify in Teams" checked={notifications.teams} onChange={(_e, d) => set({ notifications: { ...notifications, teams: d.checked } })} />
        </Field>
        <Field {...check('notifications.mail')} hint="A mail instead, where Teams notifications are not set up for the person.">
          <Switch label="Notify by mail" checked={notifications.mail} onChange={(_e, d) => set({ notifications: { ...notifications, mail: d.checked } })} />
        </Field>
        <Field label="Send mail from (optional)" {...check('notifications.mailSender')} hint="The mailbox notification mails come from. Leave empty to send no mail.">
          <Input type="email" value={notifications.mailSender ?? ''} onChange={(_e, d) => set({ notifications: { ...notifications, mailSender: d.value.trim() === '' ? null : d.value.trim() } })} />
        </Field>
      </div>
    </Section>
  );
}
