'use strict';
// A minimal Lambda custom runtime for handler.js: a client of the Lambda Runtime API at
// http://$AWS_LAMBDA_RUNTIME_API (qload's local edge, AWS's runtime interface emulator, or a
// Lambda execution environment).
//
//   init:  load handler.js; on failure POST /2018-06-01/runtime/init/error and exit 1.
//   loop:  GET  /2018-06-01/runtime/invocation/next   (blocks until an event arrives; headers
//               Lambda-Runtime-Aws-Request-Id, Lambda-Runtime-Deadline-Ms, ...)
//          call handler(event, context)
//          POST /2018-06-01/runtime/invocation/{id}/response   with the JSON result, or
//          POST /2018-06-01/runtime/invocation/{id}/error      with {errorMessage, errorType, trace}
//               and Lambda-Runtime-Function-Error-Type: Unhandled when it throws.
//
// When the Runtime API cannot be reached for good (connection refused: the emulator is gone)
// the process exits, so that no orphan stays behind. Only Node's http module is used.

// Lambda runs functions with TZ=UTC; the core computes cookie expiries with local-time date
// arithmetic, so the environment must be UTC here too.
process.env.TZ = 'UTC';

const http = require('http');
const path = require('path');

const API_PREFIX = '/2018-06-01/runtime';
// Consecutive failures of /next tolerated before giving up; the pauses between attempts double
// from 50 ms (about 1.5 s in all).
const NEXT_ATTEMPTS = 6;
const NEXT_FIRST_PAUSE_MS = 50;

const runtimeApi = process.env.AWS_LAMBDA_RUNTIME_API;
if (!runtimeApi) {
    console.error('bootstrap: AWS_LAMBDA_RUNTIME_API is not set');
    process.exit(1);
}
const sep = runtimeApi.lastIndexOf(':');
const apiHost = sep > 0 ? runtimeApi.slice(0, sep) : runtimeApi;
const apiPort = sep > 0 ? Number(runtimeApi.slice(sep + 1)) : 80;

// One keep-alive connection serves the whole loop (next, response, next, ...).
const agent = new http.Agent({ keepAlive: true });

// call sends one Runtime API request and resolves with {status, headers, body}.
function call(method, apiPath, body, headers) {
    return new Promise((resolve, reject) => {
        const req = http.request({
            host: apiHost.replace(/^\[|\]$/g, ''),
            port: apiPort,
            path: API_PREFIX + apiPath,
            method,
            agent,
            headers: Object.assign(
                body === undefined ? {} : { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
                headers || {}),
        }, (res) => {
            const chunks = [];
            res.on('data', (c) => chunks.push(c));
            res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
            res.on('error', reject);
        });
        req.on('error', reject);
        req.end(body);
    });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// errorDocument is the error JSON of the Node.js Lambda runtime.
function errorDocument(e) {
    const err = e instanceof Error ? e : new Error(typeof e === 'string' ? e : JSON.stringify(e));
    return JSON.stringify({
        errorType: err.name || 'Error',
        errorMessage: err.message || String(err),
        trace: typeof err.stack === 'string' ? err.stack.split('\n') : [],
    });
}

// post delivers a response or an error document; one retry covers a keep-alive connection the
// server closed meanwhile. A failure is logged: the loop goes on with /next.
async function post(apiPath, body, headers) {
    for (let attempt = 1; ; attempt++) {
        try {
            const res = await call('POST', apiPath, body, headers);
            if (res.status !== 202) {
                console.error(`bootstrap: POST ${apiPath}: status ${res.status}: ${res.body}`);
            }
            return;
        } catch (e) {
            if (attempt >= 2) {
                console.error(`bootstrap: POST ${apiPath}: ${e.message}`);
                return;
            }
        }
    }
}

// next waits for the next invocation. Failures are retried with a doubling pause; after
// NEXT_ATTEMPTS in a row the Runtime API is taken as gone and the process exits.
async function next() {
    let pause = NEXT_FIRST_PAUSE_MS;
    for (let attempt = 1; ; attempt++) {
        let problem;
        try {
            const res = await call('GET', '/invocation/next');
            if (res.status === 200) {
                return res;
            }
            problem = `status ${res.status}: ${res.body}`;
        } catch (e) {
            problem = e.code || e.message;
        }
        if (attempt >= NEXT_ATTEMPTS) {
            console.error(`bootstrap: runtime API at ${runtimeApi} is gone (${problem}); exiting`);
            process.exit(1);
        }
        await sleep(pause);
        pause *= 2;
    }
}

// makeContext builds the Lambda context object of one invocation.
function makeContext(headers) {
    const deadline = Number(headers['lambda-runtime-deadline-ms']);
    return {
        awsRequestId: headers['lambda-runtime-aws-request-id'],
        invokedFunctionArn: headers['lambda-runtime-invoked-function-arn'],
        functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
        functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
        memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
        logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
        logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
        callbackWaitsForEmptyEventLoop: true,
        getRemainingTimeInMillis() {
            return Number.isFinite(deadline) ? Math.max(deadline - Date.now(), 0) : 0;
        },
    };
}

// current is the request id of the invocation in progress (for uncaught errors).
let current = null;

async function main() {
    let handler;
    try {
        handler = require(path.join(__dirname, 'handler.js')).handler;
        if (typeof handler !== 'function') {
            throw new TypeError('handler.js does not export a function "handler"');
        }
    } catch (e) {
        console.error('bootstrap: init failed: ' + (e && e.message));
        await post('/init/error', errorDocument(e), { 'Lambda-Runtime-Function-Error-Type': 'Runtime.InitError' })
            .catch(() => {});
        process.exit(1);
    }

    for (;;) {
        const inv = await next();
        const id = inv.headers['lambda-runtime-aws-request-id'];
        const traceId = inv.headers['lambda-runtime-trace-id'];
        if (traceId) {
            process.env._X_AMZN_TRACE_ID = traceId;
        } else {
            delete process.env._X_AMZN_TRACE_ID;
        }
        current = id;
        let body;
        let failure = null;
        try {
            const event = JSON.parse(inv.body);
            const result = await handler(event, makeContext(inv.headers));
            body = JSON.stringify(result === undefined ? null : result);
        } catch (e) {
            failure = e;
        }
        const where = `/invocation/${encodeURIComponent(id)}`;
        if (failure === null) {
            await post(where + '/response', body);
        } else {
            console.error(`bootstrap: invocation ${id} failed: ${failure && failure.stack ? failure.stack : failure}`);
            await post(where + '/error', errorDocument(failure), { 'Lambda-Runtime-Function-Error-Type': 'Unhandled' });
        }
        current = null;
    }
}

// An error escaping the handler's promise chain ends the environment, as in Lambda: it is
// reported for the invocation in progress, then the process exits.
function fatal(e) {
    console.error('bootstrap: uncaught: ' + (e && e.stack ? e.stack : e));
    const id = current;
    current = null;
    const done = id === null
        ? Promise.resolve()
        : post(`/invocation/${encodeURIComponent(id)}/error`, errorDocument(e), { 'Lambda-Runtime-Function-Error-Type': 'Unhandled' });
    done.finally(() => process.exit(1));
}
process.on('uncaughtException', fatal);
process.on('unhandledRejection', fatal);

main();
