'use strict';
// The official connector's side of qload's benchmarks: one long-lived node process that runs
// the official core @queue-it/connector-javascript 5.0.1 behind Queue-it's CloudFront v1.2.10
// glue (edge/node/handler.js, what a customer deploys to Lambda@Edge) on the cases Go sends.
//
//   node bench/js/harness.js <path of edge/node/handler.js>
//
// Requests arrive on stdin, one JSON object a line; each answer goes to file descriptor 3 as one
// JSON line (the handler may log on stdout):
//
//   {"op":"load","handler":K,"customerId":C,"secretKeyFile":F,"configFile":G}
//       loads a fresh instance of the handler module for config G under the name K (the
//       handler reads its settings when it loads, as in a Lambda init phase) → {}
//   {"op":"run","handler":K,"case":N,"request":R,"iterations":n,"check":b,"warmup":w}
//       runs the viewer-request handler n times on the Lambda@Edge request R (the headers the
//       glue adds to a forwarded request are removed before each run, as Go's benchmark does)
//       and answers {"ns": nanoseconds for the n runs, "summary": what the first run did}. The
//       first run of a case N is preceded by an untimed warm-up, so that V8 has compiled the
//       path. With check, the core's result (actionType, queueId) is recorded in the summary by
//       wrapping KnownUser.validateRequestByIntegrationConfig for that one call only; timed runs
//       call the unmodified core.
//
// The clock is the real one and nothing is stubbed: the config comes from a file through the
// handler's config-file provider (cached in memory, checked once a second), and the core parses
// the config JSON on every request, as the official glue makes it do.

const fs = require('fs');
const path = require('path');
const readline = require('readline');

const handlerPath = path.resolve(process.argv[2] || path.join(__dirname, '../../edge/node/handler.js'));
const QueueIt = require(require.resolve('@queue-it/connector-javascript', { paths: [path.dirname(handlerPath)] }));
const KnownUser = QueueIt.KnownUser;

const SET_COOKIE_CARRIED = 'queueit-response-set-cookie';
const ERROR_CARRIED = 'queueit-response-error';
const WARMUP_RUNS = 2000;
const WARMUP_NS = 250e6;
const FIRST_WARMUP_RUNS = 20000;
const FIRST_WARMUP_NS = 1e9;

const handlers = new Map(); // handler name → the module's handler function
const warm = new Set(); // cases already warmed up

function loadHandler(msg) {
    // The settings come from the environment when the module loads; only file names are set.
    for (const k of Object.keys(process.env)) {
        if (k.startsWith('QUEUEIT_') || k === 'QLOAD_TIMING') delete process.env[k];
    }
    process.env.QUEUEIT_CUSTOMER_ID = msg.customerId;
    process.env.QUEUEIT_SECRET_KEY_FILE = msg.secretKeyFile;
    process.env.QUEUEIT_CONFIG_FILE = msg.configFile;
    delete require.cache[handlerPath];
    const mod = require(handlerPath);
    handlers.set(msg.handler, mod.handler);
    delete process.env.QUEUEIT_SECRET_KEY_FILE;
    return {};
}

function eventFor(request) {
    return { Records: [{ cf: { config: { eventType: 'viewer-request' }, request } }] };
}

// withoutToken is the request's absolute URL without its queueittoken parameter, as the glue
// strips it: a 302 there is the glue's strip-token answer.
function withoutToken(request) {
    const host = request.headers.host && request.headers.host.length ? request.headers.host[0].value : '';
    const url = 'https://' + host + request.uri + (request.querystring ? '?' + request.querystring : '');
    return url.replace(new RegExp('([?&])(' + KnownUser.QueueITTokenKey + '=[^&]*)', 'i'), '').replace(/[?]$/, '');
}

// summarize describes what the handler returned, in the format of bench/cases_test.go.
function summarize(request, out, core) {
    const s = { kind: 'pass', action: '', queueId: '', location: '', setCookies: [] };
    if (out === request) {
        if (request.headers[ERROR_CARRIED]) s.kind = 'error-pass';
        for (const h of request.headers[SET_COOKIE_CARRIED] || []) s.setCookies.push(h.value);
    } else {
        const loc = out.headers.location;
        s.location = loc && loc.length ? loc[0].value : '';
        if (out.status === '200') s.kind = 'ajax';
        else if (out.status === '302' && s.location === withoutToken(request)) s.kind = 'strip-token';
        else if (out.status === '302') s.kind = 'redirect';
        else s.kind = 'status-' + out.status;
        for (const h of out.headers['set-cookie'] || []) s.setCookies.push(h.value);
    }
    if (core) {
        s.action = core.actionType || '';
        s.queueId = core.queueId || '';
    }
    return s;
}

async function runOnce(handler, request) {
    delete request.headers[SET_COOKIE_CARRIED];
    delete request.headers[ERROR_CARRIED];
    return handler(eventFor(request));
}

async function run(msg) {
    const handler = handlers.get(msg.handler);
    if (!handler) throw new Error(`no handler ${JSON.stringify(msg.handler)} loaded`);
    const request = msg.request;
    const n = msg.iterations;
    if (!(Number.isInteger(n) && n >= 1)) throw new Error(`iterations ${JSON.stringify(n)}: want a positive integer`);
    if (msg.warmup && !warm.has(msg.case)) {
        // The process's first warm-up is longer: V8 compiles most of the core then.
        const runs = warm.size === 0 ? FIRST_WARMUP_RUNS : WARMUP_RUNS;
        const limit = warm.size === 0 ? FIRST_WARMUP_NS : WARMUP_NS;
        const t0 = process.hrtime.bigint();
        for (let i = 0; i < runs && Number(process.hrtime.bigint() - t0) < limit; i++) {
            await runOnce(handler, request);
        }
        warm.add(msg.case);
    }
    let core = null;
    if (msg.check) {
        const original = KnownUser.validateRequestByIntegrationConfig;
        KnownUser.validateRequestByIntegrationConfig = async function (...args) {
            core = await original.apply(this, args);
            return core;
        };
        try {
            const first = await runOnce(handler, request);
            return { ns: 0, summary: summarize(request, first, core) };
        } finally {
            KnownUser.validateRequestByIntegrationConfig = original;
        }
    }
    let last;
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) last = await runOnce(handler, request);
    const ns = Number(process.hrtime.bigint() - t0);
    return { ns, summary: summarize(request, last, null) };
}

async function main() {
    const out = fs.createWriteStream(null, { fd: 3 });
    const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
    for await (const line of rl) {
        if (!line.trim()) continue;
        let answer;
        try {
            const msg = JSON.parse(line);
            switch (msg.op) {
                case 'load': answer = loadHandler(msg); break;
                case 'run': answer = await run(msg); break;
                default: throw new Error(`unknown op ${JSON.stringify(msg.op)}`);
            }
        } catch (e) {
            answer = { error: String((e && e.stack) || e) };
        }
        await new Promise((resolve, reject) => out.write(JSON.stringify(answer) + '\n', (err) => (err ? reject(err) : resolve())));
    }
    out.end();
}

main().catch((e) => {
    process.stderr.write(String((e && e.stack) || e) + '\n');
    process.exit(1);
});
