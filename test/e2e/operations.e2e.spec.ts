import { startTestApp, TestApp } from '../support/test-app';

describe('Operations endpoints', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('exposes Prometheus metrics for requests, commands, appends and projection lag', async () => {
    await t.api('POST', '/v1/customers', { body: { full_name: 'Metered' } });
    const id = (await t.api('GET', '/v1/customers')).body.data[0].id;
    await t.api('PATCH', `/v1/customers/${id}`, { body: { full_name: 'Metered' } });
    const res = await fetch(`${t.url}/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toMatch(/renvo_http_requests_total\{method="POST",route="\/v1\/customers",status="201"\} 1/);
    expect(text).toMatch(/renvo_commands_total\{category="customer",outcome="appended"\} 1/);
    expect(text).toMatch(/renvo_commands_total\{category="customer",outcome="noop"\} 1/);
    expect(text).toMatch(/renvo_events_appended_total 1/);
    expect(text).toMatch(/renvo_projection_lag_events\{projection="customers"\} 0/);
  });

  it('answers /healthz and /readyz without a key', async () => {
    expect(await (await fetch(`${t.url}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${t.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(((await ready.json()) as { details: unknown }).details).toMatchObject({ event_store: { status: 'up' }, read_db: { status: 'up' } });
  });

  it('serves the API reference at /docs and the OpenAPI document at /openapi.json', async () => {
    const docs = await fetch(`${t.url}/docs`);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('swagger');
    const openapi = (await (await fetch(`${t.url}/openapi.json`)).json()) as any;
    expect(Object.keys(openapi.paths)).toEqual(expect.arrayContaining(['/v1/customers', '/v1/customers/{id}']));
    expect(openapi.components.schemas.CreateCustomerRequestDto.properties).toHaveProperty('full_name');
  });
});
