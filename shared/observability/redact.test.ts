import { httpEvent, caller } from '../../test/support/http';
import { REDACTED, redactEvent } from './redact';

const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJib2xhIn0.c2lnbmF0dXJl';

describe('redactEvent', () => {
  it('drops the Authorization header and cookies, whatever their case, and keeps the rest', () => {
    const event = httpEvent('GET /sessions/{sessionId}', {
      as: caller('student-bola', 'student'),
      pathParameters: { sessionId: 's1' },
      headers: { Authorization: `Bearer ${JWT}`, cookie: 'sid=abc', 'user-agent': 'jest' },
    });
    const out = redactEvent({ ...event, cookies: ['sid=abc'] }) as any;
    expect(out.headers).toEqual({ Authorization: REDACTED, cookie: REDACTED, 'user-agent': 'jest' });
    expect(out.cookies).toBe(REDACTED);
    expect(out.pathParameters).toEqual({ sessionId: 's1' });
    expect(out.requestContext.authorizer.jwt.claims.sub).toBe('student-bola');
    expect(JSON.stringify(out)).not.toMatch(/Bearer|eyJ|sid=abc/);
  });

  it('drops webhook signatures, and the body of a signed webhook (card data) entirely', () => {
    const body = JSON.stringify({ event: 'charge.success', data: { reference: 'mtr-1', authorization: { last4: '4081', bin: '408408' }, customer: { email: 'b@example.com' } } });
    const event = httpEvent('POST /webhooks/paystack', { rawBody: body, headers: { 'x-paystack-signature': 'f00d', 'X-Zm-Signature': 'v0=beef' } });
    const out = redactEvent(event, { body: false }) as any;
    expect(out.headers['x-paystack-signature']).toBe(REDACTED);
    expect(out.headers['X-Zm-Signature']).toBe(REDACTED);
    expect(out.body).toBe(`[omitted: ${Buffer.byteLength(body)} bytes]`);
    expect(JSON.stringify(out)).not.toMatch(/f00d|beef|4081|408408|b@example\.com/);
  });

  it('redacts credentials inside a JSON body it does log', () => {
    const out = redactEvent({ body: JSON.stringify({ title: 'Chat', nested: { accessToken: 'x', authorization: { last4: '4081' } } }) }) as any;
    expect(out.body).toEqual({ title: 'Chat', nested: { accessToken: REDACTED, authorization: REDACTED } });
  });

  it('drops the WebSocket token query parameter, in the parameters and in the raw query string', () => {
    const event = {
      type: 'REQUEST',
      methodArn: 'arn:aws:execute-api:eu-west-1:1:api/live/$connect',
      queryStringParameters: { token: JWT, lang: 'en' },
      multiValueQueryStringParameters: { token: [JWT] },
      rawQueryString: `lang=en&token=${JWT}`,
      requestContext: { connectionId: 'c1=' },
    };
    const out = redactEvent(event) as any;
    expect(out.queryStringParameters).toEqual({ token: REDACTED, lang: 'en' });
    expect(out.multiValueQueryStringParameters).toEqual({ token: REDACTED });
    expect(new URLSearchParams(out.rawQueryString).get('token')).toBe(REDACTED);
    expect(new URLSearchParams(out.rawQueryString).get('lang')).toBe('en');
    expect(JSON.stringify(out)).not.toContain('eyJ');
  });

  it('drops Step Functions task tokens from a step input', () => {
    expect(redactEvent({ sessionId: 's1', taskToken: 'AQB…', deadline: '2030-01-01T00:00:00Z' })).toEqual({
      sessionId: 's1',
      taskToken: REDACTED,
      deadline: '2030-01-01T00:00:00Z',
    });
  });

  it('leaves the event itself untouched', () => {
    const event = { headers: { authorization: 'Bearer x' }, body: '{"a":1}' };
    redactEvent(event, { body: false });
    expect(event).toEqual({ headers: { authorization: 'Bearer x' }, body: '{"a":1}' });
  });
});
