import { describe, expect, it } from 'vitest';
import {
  applyMappingNames,
  detectHeaders,
  duplicateHeaders,
  mappingNames,
  missingFields,
} from '../../../../src/core/usage-import/index.js';
import { refusal, unwrap } from '../helpers.js';
import { fixtureBytes, readExport } from './fixtures.js';

describe('detectHeaders: the sample exports', () => {
  it('cloud services usage: credits, a service and a product, by email', () => {
    const { detection } = readExport(fixtureBytes('cloud-services-usage.csv'));
    expect(detection).toEqual({
      format: 'cloud_services',
      unit: 'credits',
      mapping: { date: 0, email: 1, firstName: 2, lastName: 3, service: 4, product: 5, job: 6, amount: 7, team: 8 },
      unknownHeaders: [],
      missing: [],
    });
  });

  it('Flex token usage: tokens per product, by email', () => {
    const { detection } = readExport(fixtureBytes('flex-token-usage.csv'));
    expect(detection).toEqual({
      format: 'flex_tokens',
      unit: 'tokens',
      mapping: { date: 0, email: 1, firstName: 2, lastName: 3, product: 4, team: 6, amount: 7 },
      unknownHeaders: ['Product Version'],
      missing: [],
    });
  });

  it('Flex token usage with personal data off: a hashed id', () => {
    const { detection } = readExport(fixtureBytes('flex-token-usage-hashed.csv'));
    expect(detection).toEqual({
      format: 'flex_tokens_hashed',
      unit: 'tokens',
      mapping: { date: 0, userHash: 1, product: 2, team: 4, amount: 5 },
      unknownHeaders: ['Product Version'],
      missing: [],
    });
  });
});

describe('detectHeaders: names as other exports write them', () => {
  it('ignores case, spaces and punctuation', () => {
    const d = detectHeaders(['USAGE_DATE', 'e-mail', ' user id (HASHED) ', 'Cloud-Service', 'credits used', 'Project Code', 'job id', 'given name', 'SURNAME']);
    expect(d.mapping).toEqual({ date: 0, email: 1, userHash: 2, service: 3, amount: 4, project: 5, job: 6, firstName: 7, lastName: 8 });
    expect(d.format).toBe('cloud_services');
  });

  it.each([
    ['Date Used', 'date'],
    ['Day', 'date'],
    ['Consumption Date', 'date'],
    ['Usage Day', 'date'],
    ['Job Date', 'date'],
    ['User Email Address', 'email'],
    ['Email Address', 'email'],
    ['Hashed User ID', 'userHash'],
    ['User Hash', 'userHash'],
    ['Hashed ID', 'userHash'],
    ['Family Name', 'lastName'],
    ['Service Name', 'service'],
    ['Service Type', 'service'],
    ['Product', 'product'],
    ['Job', 'job'],
    ['Team', 'team'],
    ['Project Name', 'project'],
    ['Tokens Used', 'amount'],
    ['Flex Tokens', 'amount'],
    ['Units Consumed', 'amount'],
    ['Cloud Credits', 'amount'],
  ] as const)('%s → %s', (header, field) => {
    expect(detectHeaders([header]).mapping).toEqual({ [field]: 0 });
  });

  it('reads the unit from the amount column, or leaves it open', () => {
    expect(detectHeaders(['Tokens Consumed']).unit).toBe('tokens');
    expect(detectHeaders(['Cloud Credits Used']).unit).toBe('credits');
    expect(detectHeaders(['Units Consumed']).unit).toBeNull();
    expect(detectHeaders(['Date']).unit).toBeNull();
  });

  it('calls a file of unknown columns custom and lists what is missing', () => {
    const d = detectHeaders(['When', 'Who', 'What', 'How much']);
    expect(d).toMatchObject({ format: 'custom', unit: null, mapping: {}, unknownHeaders: ['When', 'Who', 'What', 'How much'] });
    expect(d.missing).toEqual(['date', 'email', 'service', 'amount']);
  });

  it('a credits file by hashed id is cloud services with personal data off; a tokens file without a person is custom', () => {
    expect(detectHeaders(['Date', 'User Hash', 'Service', 'Credits']).format).toBe('cloud_services_hashed');
    expect(detectHeaders(['Date', 'Product', 'Tokens']).format).toBe('custom');
    expect(detectHeaders(['Date', 'Product', 'Tokens']).missing).toEqual(['email']);
  });

  it('a second column for a field is left unknown, and duplicateHeaders names it', () => {
    const headers = ['Date', 'Email', 'E-mail', 'Service', 'Credits', 'Notes', 'Notes'];
    const d = detectHeaders(headers);
    expect(d.mapping.email).toBe(1);
    expect(d.unknownHeaders).toEqual(['E-mail', 'Notes', 'Notes']);
    expect(duplicateHeaders(headers)).toEqual(['Email']);
    expect(duplicateHeaders(['Date', 'Email', 'Credits'])).toEqual([]);
  });
});

describe('mapping by header name', () => {
  const headers = ['Day', 'Who', 'Tool', 'Used', 'Version'];

  it('maps unknown columns on top of the detected mapping and back to names', () => {
    const base = detectHeaders(headers).mapping;
    expect(base).toEqual({ date: 0 });
    const mapping = unwrap(applyMappingNames(headers, { email: 'Who', service: 'tool', amount: 'Used' }, base));
    expect(mapping).toEqual({ date: 0, email: 1, service: 2, amount: 3 });
    expect(missingFields(mapping)).toEqual([]);
    expect(mappingNames(headers, mapping)).toEqual({
      date: 'Day', email: 'Who', userHash: null, userName: null, firstName: null, lastName: null, service: 'Tool', product: null, job: null, team: null, project: null, amount: 'Used', chargeId: null,
    });
  });

  it('null unmaps a field; a field left out keeps its column', () => {
    const mapping = unwrap(applyMappingNames(headers, { date: null, amount: 'Used' }, { date: 0, email: 1 }));
    expect(mapping).toEqual({ email: 1, amount: 3 });
    expect(missingFields(mapping)).toEqual(['date', 'service']);
  });

  it('refuses a name that is not a column, naming it', () => {
    const error = refusal(applyMappingNames(headers, { amount: 'Credits Used' }, {}));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.message).toContain('"Credits Used"');
    expect(error.details).toMatchObject({ field: 'amount', header: 'Credits Used' });
  });

  it('refuses one column for two fields', () => {
    const error = refusal(applyMappingNames(headers, { service: 'Tool', product: 'Tool' }, {}));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.message).toContain('"Tool"');
    expect(refusal(applyMappingNames(headers, { project: 'Day' }, { date: 0 })).code).toBe('VALIDATION_FAILED');
  });

  it('missingFields accepts a hash for the person and a product for the service', () => {
    expect(missingFields({ date: 0, userHash: 1, product: 2, amount: 3 })).toEqual([]);
  });
});
