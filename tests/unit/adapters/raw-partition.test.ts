import { describe, expect, it } from 'vitest';
import { markNumbers, rowFromServiceJson } from '../../../server/adapters/table-storage/raw-partition.js';

/** What Table Storage sends for a query (minimal metadata): Int32 and Double unannotated, a whole Double as `3.0`. */
const PAGE = String.raw`{"odata.metadata":"x","value":[{"odata.etag":"W/\"1\"","PartitionKey":"t1","RowKey":"acct|pool","Timestamp":"2026-01-01T00:00:00.1234567Z",` +
  String.raw`"i":3,"d":3.0,"f":-2.5e-3,"big":1e+21,"n@odata.type":"Edm.Int64","n":"9007199254740993","when@odata.type":"Edm.DateTime","when":"2026-01-02T03:04:05.1234567Z",` +
  String.raw`"nan@odata.type":"Edm.Double","nan":"NaN","b":true,"s":"a \"3.0\" 4 \\ 5","bin@odata.type":"Edm.Binary","bin":"AAEC","g@odata.type":"Edm.Guid","g":"6f9619ff-8b86-d011-b42d-00c04fc964ff"}]}`;

describe('reading the service’s own JSON', () => {
  it('keeps every number’s text, and leaves strings alone', () => {
    expect(markNumbers('{"a":1,"b":"1.0","c":[2.0,-3e5]}')).toBe('{"a":{"\\u0000number":"1"},"b":"1.0","c":[{"\\u0000number":"2.0"},{"\\u0000number":"-3e5"}]}');
  });

  it('types every property as stored: Int32 vs whole Double, Int64, DateTime to the tick, NaN, Binary, Guid', () => {
    const entity = (JSON.parse(markNumbers(PAGE)) as { value: Record<string, unknown>[] }).value[0]!;
    expect(rowFromServiceJson(entity)).toEqual({
      partitionKey: 't1',
      rowKey: 'acct|pool',
      timestamp: '2026-01-01T00:00:00.1234567Z',
      properties: {
        i: { type: 'Int32', value: 3 },
        d: { type: 'Double', value: 3 },
        f: { type: 'Double', value: -0.0025 },
        big: { type: 'Double', value: 1e21 },
        n: { type: 'Int64', value: '9007199254740993' },
        when: { type: 'DateTime', value: '2026-01-02T03:04:05.1234567Z' },
        nan: { type: 'Double', value: 'NaN' },
        b: { type: 'Boolean', value: true },
        s: { type: 'String', value: 'a "3.0" 4 \\ 5' },
        bin: { type: 'Binary', value: 'AAEC' },
        g: { type: 'Guid', value: '6f9619ff-8b86-d011-b42d-00c04fc964ff' },
      },
    });
  });

  it('refuses a type it does not know rather than guess', () => {
    expect(() => rowFromServiceJson({ PartitionKey: 't', RowKey: 'r', 'x@odata.type': 'Edm.Decimal', x: '1' })).toThrow(/does not know/);
  });
});
