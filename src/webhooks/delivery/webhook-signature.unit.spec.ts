import { Webhook as StandardWebhook } from 'standardwebhooks';
import { Webhook as SvixWebhook } from 'svix';
import { activeSecrets, newSigningSecret, PREVIOUS_SECRET_GRACE_MS, webhookHeaders } from './webhook-signature';

const body = JSON.stringify({ id: 'evt_1', object: 'event', type: 'customer.created', data: { object: { id: 'cu_1' } } });

describe('webhook signatures', () => {
  it('are what the reference libraries verify', () => {
    const secret = newSigningSecret();
    const headers = webhookHeaders('evt_1', body, [secret], new Date());
    expect(headers['webhook-id']).toBe('evt_1');
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(new StandardWebhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(new SvixWebhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
  });

  it('do not verify a tampered body, another secret or a stale timestamp', () => {
    const secret = newSigningSecret();
    const headers = webhookHeaders('evt_1', body, [secret], new Date());
    expect(() => new StandardWebhook(secret).verify(body.replace('cu_1', 'cu_2'), headers)).toThrow();
    expect(() => new StandardWebhook(newSigningSecret()).verify(body, headers)).toThrow();
    const old = webhookHeaders('evt_1', body, [secret], new Date(Date.now() - 3_600_000));
    expect(() => new StandardWebhook(secret).verify(body, old)).toThrow();
  });

  it('carry one signature per active secret, each verifying on its own', () => {
    const [current, previous] = [newSigningSecret(), newSigningSecret()];
    const headers = webhookHeaders('evt_1', body, [current, previous], new Date());
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    for (const secret of [current, previous]) expect(() => new StandardWebhook(secret).verify(body, headers)).not.toThrow();
  });
});

describe('activeSecrets', () => {
  const now = Date.parse('2025-03-01T12:00:00.000Z');
  const rotatedAt = now - 1000;
  const secrets = { current: 'whsec_new', previous: 'whsec_old', previousExpiresAt: rotatedAt + PREVIOUS_SECRET_GRACE_MS };

  it('keeps the rotated-out secret signing for 24 hours, then drops it', () => {
    expect(activeSecrets(secrets, now)).toEqual(['whsec_new', 'whsec_old']);
    expect(activeSecrets(secrets, rotatedAt + PREVIOUS_SECRET_GRACE_MS)).toEqual(['whsec_new']);
    expect(activeSecrets({ current: 'whsec_only', previous: null, previousExpiresAt: null }, now)).toEqual(['whsec_only']);
  });
});
