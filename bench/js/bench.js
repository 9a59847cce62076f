'use strict';
// Times the official connector core (@queue-it/connector-javascript 5.0.1, installed by
// conformance/node) on one scenario, the way a 5.0.1-based CloudFront connector runs it per
// request: a fresh context provider over the Lambda@Edge request, the config string parsed by
// the core, HMAC through Node's crypto. Reads {scenario, iterations, warmup} as JSON on stdin and
// prints {nsPerOp, iterations, heapBytesPerOp} as JSON.
process.env.TZ = 'UTC';
const crypto = require('crypto');
const path = require('path');
const QueueIt = require(path.join(__dirname, '../../conformance/node/node_modules/@queue-it/connector-javascript'));

// The clock is frozen to the scenario's time, as in the conformance runner.
const RealDate = Date;
let frozenMs = RealDate.now();
globalThis.Date = class extends RealDate {
  constructor(...args) { if (args.length === 0) super(frozenMs); else super(...args); }
  static now() { return frozenMs; }
};

function contextFor(s) {
  const request = { headers: s.headers, clientIp: s.clientIp };
  const response = { headers: {} };
  return {
    getHttpRequest() {
      return {
        parsedCookieDic: null,
        getUserAgent() { return this.getHeader('user-agent'); },
        getHeader(name) {
          name = (name + '').toLowerCase();
          for (const h in request.headers) {
            if (h.toLowerCase() === name && request.headers[h].length >= 1) return request.headers[h][0].value;
          }
          return '';
        },
        getAbsoluteUri() { return s.url; },
        getUserHostAddress() { return request.clientIp; },
        getCookieValue(key) {
          if (!this.parsedCookieDic) {
            const d = {};
            for (const c of request.headers.cookie || []) {
              c.value.split(';').forEach((p) => { if (p) { const parts = p.split('='); if (parts.length >= 2) d[parts[0].trim()] = parts[1].trim(); } });
            }
            this.parsedCookieDic = d;
          }
          const v = this.parsedCookieDic[key];
          return v ? decodeURIComponent(v) : v;
        },
        getRequestBodyAsString() { return ''; },
      };
    },
    getHttpResponse() {
      return {
        setCookie(name, value, domain, expiration, httpOnly, secure) {
          let c = `${name}=${encodeURIComponent(value)}; expires=${new Date(expiration * 1000).toGMTString()};`;
          if (domain) c += ` domain=${domain};`;
          if (httpOnly) c += ' HttpOnly;';
          if (secure) c += ' Secure;';
          c += ' path=/';
          (response.headers['set-cookie'] = response.headers['set-cookie'] || []).push({ key: 'Set-Cookie', value: c });
        },
      };
    },
    getCryptoProvider() {
      return { getSha256Hash: (key, text) => crypto.createHmac('sha256', key).update(text).digest('hex') };
    },
    getEnqueueTokenProvider() { return null; },
    getNormalizationProvider() { return null; },
    getVerifyActionService() { return null; },
    getDirectActionProvider() { return null; },
  };
}

async function once(s) {
  const r = await QueueIt.KnownUser.validateRequestByIntegrationConfig(s.url, s.token, s.config, s.customerId, s.secretKey, contextFor(s));
  return r;
}

async function main() {
  const chunks = [];
  for await (const c of process.stdin) chunks.push(c);
  const { scenario, iterations, warmup } = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  frozenMs = scenario.nowMs;
  const first = await once(scenario);
  for (let i = 0; i < warmup; i++) await once(scenario);
  if (global.gc) global.gc();
  const heap0 = process.memoryUsage().heapUsed;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) await once(scenario);
  const ns = Number(process.hrtime.bigint() - t0);
  const heap1 = process.memoryUsage().heapUsed;
  process.stdout.write(JSON.stringify({
    nsPerOp: ns / iterations, iterations,
    redirect: Boolean(first.redirectUrl), queueId: first.queueId, actionType: first.actionType,
    heapDeltaBytes: heap1 - heap0,
  }) + '\n');
}
main().catch((e) => { process.stderr.write(String(e && e.stack || e) + '\n'); process.exit(1); });
