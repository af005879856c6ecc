import { fieldChanges, previousAttributes, PublicObject, publicEventId } from './public-event';

const customer = (fields: Record<string, unknown>): PublicObject => ({
  id: 'cu_1',
  object: 'customer',
  livemode: false,
  version: 1,
  updated_at: '2030-01-01T00:00:00.000Z',
  ...fields,
});

describe('public event helpers', () => {
  it('derives the same evt_ id from an internal event id every time', () => {
    const internal = '3F2504E0-4F89-11D3-9A0C-0305E82C3301';
    expect(publicEventId(internal)).toBe('evt_3f2504e04f8911d39a0c0305e82c3301');
    expect(publicEventId(internal)).toBe(publicEventId(internal.toLowerCase()));
  });

  it('reports changed fields with their old and new values, not version or updated_at', () => {
    const before = customer({ full_name: 'Ada', email: 'a@example.com' });
    const after = { ...customer({ full_name: 'Ada L.', email: 'a@example.com' }), version: 2, updated_at: 'later' };
    expect(fieldChanges(before, after)).toEqual({ full_name: { from: 'Ada', to: 'Ada L.' } });
    expect(previousAttributes(before, after)).toEqual({ full_name: 'Ada' });
  });

  it('does not count a metadata map whose keys merely changed order as a change', () => {
    const before = customer({ metadata: { a: '1', b: '2' } });
    const after = customer({ metadata: { b: '2', a: '1' } });
    expect(fieldChanges(before, after)).toEqual({});
  });

  it('reports a creation as every field set from null, and has no previous attributes', () => {
    const after = customer({ full_name: 'Ada', phone: null });
    expect(fieldChanges(null, after)).toEqual({ full_name: { from: null, to: 'Ada' } });
    expect(previousAttributes(null, after)).toEqual({});
  });
});
