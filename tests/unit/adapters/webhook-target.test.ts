import { describe, expect, it } from 'vitest';
import { DEFAULT_WEBHOOK_HOSTS, DEV_MODE_TARGETS, PRODUCTION_TARGETS, parseWebhookHosts, webhookUrlProblem } from '../../../server/adapters/teams/webhook-target.js';
import { configFromEnv } from '../../../server/config.js';

const STORAGE = { CREDIT_DESK_STORAGE: 'UseDevelopmentStorage=true' };

describe('webhookUrlProblem', () => {
  it.each([
    'https://prod-00.westeurope.logic.azure.com/workflows/abc/triggers/manual/paths/invoke?api-version=2016-06-01&sig=x',
    'https://prod-27.westus.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke?sig=x',
    'https://default1234abcd.09.environment.api.powerplatform.com:443/powerautomate/automations/direct/workflows/abc/triggers/manual/paths/invoke?sig=x',
    'https://contoso.webhook.office.com/webhookb2/abc@def/IncomingWebhook/123/456',
    'https://PROD-00.WestEurope.Logic.Azure.com/workflows/abc',
  ])('allows a Teams Workflows URL: %s', (url) => {
    expect(webhookUrlProblem(url, PRODUCTION_TARGETS)).toBeUndefined();
  });

  it.each([
    'http://prod-00.westeurope.logic.azure.com/workflows/abc',
    'https://prod-00.westeurope.logic.azure.com:8443/workflows/abc',
    'https://logic.azure.com/workflows/abc',
    'https://evillogic.azure.com/x',
    'https://prod-00.westeurope.logic.azure.com.evil.example/x',
    'https://hooks.example.com/x',
    'https://user:pw@prod-00.westeurope.logic.azure.com/workflows/abc',
    'http://127.0.0.1:7072/webhook',
    'http://localhost:7072/webhook',
    'https://127.0.0.1/webhook',
    'https://[::1]/webhook',
    'https://10.0.0.5/hook',
    'https://169.254.169.254/metadata',
    'ftp://prod-00.westeurope.logic.azure.com/x',
    'not a url',
  ])('refuses outside dev mode: %s', (url) => {
    expect(webhookUrlProblem(url, PRODUCTION_TARGETS)).toMatch(/webhook URL/);
  });

  it('names the allowed hosts and, in dev mode, this machine', () => {
    expect(webhookUrlProblem('https://hooks.example.com/x', PRODUCTION_TARGETS)).toBe(
      'The Teams webhook URL must be https:// (standard port) on one of the Teams Workflows hosts *.logic.azure.com, *.api.powerplatform.com, *.webhook.office.com (CREDIT_DESK_WEBHOOK_HOSTS).',
    );
    expect(webhookUrlProblem('https://hooks.example.com/x', DEV_MODE_TARGETS)).toMatch(/, or http\(s\) to this machine \(dev mode\)\.$/);
  });

  it('in dev mode also allows the stand-in on this machine, and nothing else that is local', () => {
    for (const url of ['http://127.0.0.1:7072/webhook', 'http://localhost:7072/webhook', 'https://[::1]:8443/webhook', 'http://127.0.0.2/webhook']) {
      expect(webhookUrlProblem(url, DEV_MODE_TARGETS), url).toBeUndefined();
    }
    for (const url of ['http://10.0.0.5/hook', 'https://169.254.169.254/metadata', 'http://hooks.example.com/x', 'https://hooks.example.com/x', 'ftp://127.0.0.1/x']) {
      expect(webhookUrlProblem(url, DEV_MODE_TARGETS), url).toBeDefined();
    }
  });
});

describe('CREDIT_DESK_WEBHOOK_HOSTS', () => {
  it('defaults to the Teams Workflows hosts', () => {
    expect(parseWebhookHosts(undefined)).toEqual([...DEFAULT_WEBHOOK_HOSTS]);
    expect(parseWebhookHosts(' , ')).toEqual([...DEFAULT_WEBHOOK_HOSTS]);
    expect(configFromEnv(STORAGE).webhookHosts).toEqual([...DEFAULT_WEBHOOK_HOSTS]);
  });

  it('takes comma-separated host names and *. patterns', () => {
    expect(configFromEnv({ ...STORAGE, CREDIT_DESK_WEBHOOK_HOSTS: '*.logic.azure.us, Hooks.Contoso.example' }).webhookHosts).toEqual(['*.logic.azure.us', 'hooks.contoso.example']);
  });

  it.each(['*', '*.com', 'https://hooks.contoso.example', '10.0.0.5', 'hooks.contoso.example:443', 'a.*.example', '*.example.com/x'])('refuses %j at start-up', (entry) => {
    expect(() => configFromEnv({ ...STORAGE, CREDIT_DESK_WEBHOOK_HOSTS: entry })).toThrow(/CREDIT_DESK_WEBHOOK_HOSTS/);
  });
});
