import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../../src/core/policy/index.js';
import type { Feature, FeatureId } from '../../../src/core/setup/index.js';
import { FEATURES, featureOf, featureReadiness, featuresOn, isFeatureOn, needsAttention, permissionsNeeded } from '../../../src/core/setup/index.js';

const ALL_ON = { ...DEFAULT_POLICY, notifications: { teams: true, mail: true, mailSender: 'desk@contoso.example' }, features: { messageTrace: true, mailboxHelper: true } };

describe('features and the Graph permission each needs', () => {
  it('runs a fresh tenant with the directory look-up alone: User.Read.All, application', () => {
    expect(featuresOn(DEFAULT_POLICY).map((f) => f.id)).toEqual(['directory']);
    expect(permissionsNeeded(DEFAULT_POLICY)).toEqual([{ name: 'User.Read.All', type: 'application' }]);
  });

  it('ties each permission to one feature, and every feature but the directory is opt-in', () => {
    expect(FEATURES.map((f) => [f.id, f.optIn, f.permissions.map((p) => `${p.name}/${p.type}`)])).toEqual([
      ['directory', false, ['User.Read.All/application']],
      ['messageTrace', true, ['ExchangeMessageTrace.Read.All/application']],
      ['teamsNotifications', true, ['TeamsActivity.Send/application']],
      ['mailNotifications', true, ['Mail.Send/application']],
      ['mailboxHelper', true, ['Mail.ReadWrite/delegated']],
    ]);
    expect(permissionsNeeded(ALL_ON).map((p) => p.name)).toEqual(['User.Read.All', 'ExchangeMessageTrace.Read.All', 'TeamsActivity.Send', 'Mail.Send', 'Mail.ReadWrite']);
  });

  it('switches each opt-in feature by its own setting; mail needs a sender to send from', () => {
    const on = (id: FeatureId, change: object) => isFeatureOn({ ...DEFAULT_POLICY, ...change }, id);
    expect(on('messageTrace', { features: { messageTrace: true, mailboxHelper: false } })).toBe(true);
    expect(on('mailboxHelper', { features: { messageTrace: true, mailboxHelper: false } })).toBe(false);
    expect(on('teamsNotifications', { notifications: { teams: true, mail: false, mailSender: null } })).toBe(true);
    expect(on('mailNotifications', { notifications: { teams: false, mail: true, mailSender: null } })).toBe(false);
    expect(on('mailNotifications', { notifications: { teams: false, mail: true, mailSender: 'desk@contoso.example' } })).toBe(true);
    expect(on('directory', {})).toBe(true);
  });

  it('grants each application permission with one command that looks the role up by its name', () => {
    for (const feature of FEATURES.filter((f) => f.id !== 'mailNotifications' && f.permissions[0]!.type === 'application')) {
      expect(feature.grant).toContain('az rest --method POST --uri "https://graph.microsoft.com/v1.0/servicePrincipals/$PRINCIPAL_ID/appRoleAssignments"');
      expect(feature.grant).toContain(`appRoles[?value=='${feature.permissions[0]!.name}']`);
    }
    expect(featureOf('mailboxHelper').grant).toContain("oauth2PermissionScopes[?value=='Mail.ReadWrite']");
    expect(featureOf('mailboxHelper').grant).toContain('az ad app permission admin-consent --id "$CLIENT_ID"');
  });

  it("grants Mail.Send through Exchange RBAC for Applications, scoped to the sender mailbox, and names resource-specific consent for Teams", () => {
    const mail = featureOf('mailNotifications');
    expect(mail.grant).toContain('New-ManagementScope -Name "Credit Desk sender" -RecipientRestrictionFilter "PrimarySmtpAddress -eq \'$SENDER\'"');
    expect(mail.grant).toContain('New-ManagementRoleAssignment -App $CLIENT_ID -Role "Application Mail.Send" -CustomResourceScope "Credit Desk sender"');
    expect(mail.grant).not.toContain('ApplicationAccessPolicy');
    expect(featureOf('teamsNotifications').narrower).toContain('TeamsActivity.Send.User');
  });
});

describe("the README's permissions table", () => {
  it('names every feature with its permission, and the minimum set', () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('#### Least privilege, by feature'), readme.indexOf("The backend's directory is configured with"));
    expect(section).toContain('The minimum set is `User.Read.All` (application) alone');
    for (const feature of FEATURES) {
      const row = section.split('\n').find((line) => line.startsWith(`| ${feature.title} |`));
      expect(row, feature.title).toContain(`\`${feature.permissions[0]!.name}\` (${feature.permissions[0]!.type}`);
    }
    expect(section).toContain('New-ManagementRoleAssignment -App $CLIENT_ID -Role "Application Mail.Send" -CustomResourceScope "Credit Desk sender"');
  });
});

describe('a feature on the first-run page', () => {
  const trace: Feature = featureOf('messageTrace');

  it('is off, with what it adds and its command, when switched off, whatever was seen', () => {
    const item = featureReadiness(trace, false, { kind: 'probe', result: 'refused', status: 403, message: 'no' });
    expect(item).toMatchObject({ id: 'feature:messageTrace', status: 'off', fix: null, command: trace.grant });
    expect(item.detail).toContain(trace.adds);
  });

  it('is red with the fix and the command when Graph refuses; green when it answers', () => {
    const refused = featureReadiness(trace, true, { kind: 'probe', result: 'refused', status: 401, message: 'Unauthorized' });
    expect(refused).toMatchObject({ status: 'not_set_up', command: trace.grant });
    expect(refused.fix).toMatch(/ExchangeMessageTrace\.Read\.All.*8bd644d1/);
    expect(featureReadiness(trace, true, { kind: 'probe', result: 'granted' }).status).toBe('ready');
    expect(featureReadiness(trace, true, { kind: 'probe', result: 'failed', message: 'Graph answered 503' }).status).toBe('unknown');
    expect(featureReadiness(trace, true, { kind: 'no_graph' })).toMatchObject({ status: 'not_set_up', fix: expect.stringMatching(/CREDIT_DESK_GRAPH_MANAGED_IDENTITY/) });
  });

  it("reads Teams notifications from the token's roles", () => {
    const teams = featureOf('teamsNotifications');
    expect(featureReadiness(teams, true, { kind: 'roles', roles: ['TeamsActivity.Send'] }).status).toBe('ready');
    expect(featureReadiness(teams, true, { kind: 'roles', roles: ['User.Read.All'] })).toMatchObject({ status: 'unknown', fix: expect.stringMatching(/TeamsActivity\.Send\.User/) });
  });

  it('says a delegated permission cannot be seen by the backend, with the grant', () => {
    const helper = featureOf('mailboxHelper');
    expect(featureReadiness(helper, true, { kind: 'not_observable' })).toMatchObject({ status: 'unknown', command: helper.grant });
  });

  it('needs attention only while something is red', () => {
    const ready = featureReadiness(trace, true, { kind: 'probe', result: 'granted' });
    const off = featureReadiness(trace, false, { kind: 'not_observable' });
    const unknown = featureReadiness(featureOf('mailboxHelper'), true, { kind: 'not_observable' });
    expect(needsAttention([ready, off, unknown])).toBe(false);
    expect(needsAttention([ready, featureReadiness(trace, true, { kind: 'no_graph' })])).toBe(true);
  });
});
