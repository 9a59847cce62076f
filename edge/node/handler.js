'use strict';
// qload's Node.js connector: Queue-it's CloudFront connector v1.2.10 glue (ViewerRequest and
// ViewerResponse) applied to the official core @queue-it/connector-javascript 5.0.1, as one
// Lambda@Edge handler serving both events (told apart by Records[0].cf.config.eventType).
//
// It is what a customer deploys, written down once more (protocol.md §8):
//   * the context provider over the Lambda@Edge request (absolute URL, headers, cookies, body)
//     and the Set-Cookie writer (generated response + queueit-response-set-cookie request header);
//   * token extraction (query string, else x-queueittoken) and URL stripping;
//   * the ViewerRequest outcomes (queue redirect with kupver, ajax redirect, 302 that strips the
//     token, forward) and fail-open on any exception;
//   * the ViewerResponse copy of the carried Set-Cookie values, x-queueit-failed and
//     x-queueit-connector;
//   * the official config provider's semantics (module-global cache, download inside the
//     request, 1000 ms timeout, stale copy on timeout, error otherwise).
// What 5.0.1 needs and v1.2.10 did not have: the core is awaited (it is async), the context
// provider supplies a Node crypto HMAC provider and the official default normalization provider
// (QUEUEIT_NORMALIZATION=false: none); there is no enqueue-token, verify-action or direct-pass
// provider (an integration with VerifyQueueIdEnabled therefore throws and fails open).
//
// Instead of constants edited into the source, the settings come from the environment variables
// of qload's Go binary (cmd/connector-lambda, connector/cloudfront/env.go):
//
//	QUEUEIT_CUSTOMER_ID        customer id (required)
//	QUEUEIT_SECRET_KEY         secret key, or QUEUEIT_SECRET_KEY_FILE: a file holding it (required)
//	QUEUEIT_API_KEY            API key for the config download, or QUEUEIT_API_KEY_FILE
//	QUEUEIT_CONFIG_FILE        integration config file (re-read when it changes, checked at most
//	                           once per second); else the config is downloaded from
//	QUEUEIT_CONFIG_BASE_URL    base URL of the config endpoint (default https://<customer>.queue-it.net;
//	                           http: and https: work; %s stands for the customer id)
//	QUEUEIT_CONFIG_TTL         download cache TTL (Go duration syntax, default 5m)
//	QUEUEIT_IGNORE_OPTIONS     true: forward OPTIONS requests untouched
//	QUEUEIT_NORMALIZATION      false: no URL-normalization provider (default: the official one)
//	QLOAD_TIMING               true: cold-start and Server-Timing headers (as the Go handler)
//
// The settings are read when the module loads (the Lambda init phase): a missing customer id or
// secret key, an unreadable key file, an unusable config file or a malformed value makes the load
// throw, which the bootstrap reports to the Runtime API as an init error.
// The secret key and the API key are never logged.

const crypto = require('crypto');
const fs = require('fs');
const http = require('http');
const https = require('https');
const querystring = require('querystring');
const { performance } = require('perf_hooks');
const QueueIt = require('@queue-it/connector-javascript');

const KnownUser = QueueIt.KnownUser;

// Constants of the v1.2.10 glue.
const CLOUDFRONT_SDK_VERSION = '1.2.10';
const QUEUEIT_FAILED_HEADERNAME = 'x-queueit-failed';
const QUEUEIT_CONNECTOR_EXECUTED_HEADER_NAME = 'x-queueit-connector';
const QUEUEIT_CONNECTOR_NAME = 'cloudfront';
const RESPONSE_SET_COOKIE_HEADER = 'queueit-response-set-cookie';
const RESPONSE_ERROR_HEADER = 'queueit-response-error';

// The official config provider's download timeout (a socket inactivity timeout, as there).
const CONFIG_REQUEST_TIMEOUT_MS = 1000;
// How often a config file is checked for changes at most (as configsource.File).
const CONFIG_FILE_CHECK_MS = 1000;

// Timing headers (connector/cloudfront/handler.go), emitted when QLOAD_TIMING is on.
const HEADER_SERVER_TIMING = 'server-timing';
const HEADER_COLD_START = 'x-qload-cold-start';
const HEADER_VREQ_TIMING = 'x-qload-vreq-timing';

// ---------------------------------------------------------------------------------------------
// Settings from the environment.

// parseBool accepts what Go's strconv.ParseBool accepts.
function parseBool(name, v) {
    if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) {
        return true;
    }
    if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) {
        return false;
    }
    throw new Error(`${name}=${JSON.stringify(v)}: want true or false`);
}

// boolEnv returns {value, set} for an optional boolean variable.
function boolEnv(env, name) {
    const v = env[name];
    if (v === undefined || v === '') {
        return { value: false, set: false };
    }
    return { value: parseBool(name, v), set: true };
}

// valueOrFile returns the variable's value, else the trimmed content of the file named by
// fileName, else "".
function valueOrFile(env, name, fileName) {
    if (env[name]) {
        return env[name];
    }
    const path = env[fileName];
    if (!path) {
        return '';
    }
    try {
        return fs.readFileSync(path, 'utf8').trim();
    } catch (e) {
        throw new Error(`${fileName}: ${e.message}`);
    }
}

// Go's time.ParseDuration units, in milliseconds.
const DURATION_UNITS = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1000, m: 60000, h: 3600000 };

// parseGoDuration parses Go duration syntax ("5m", "30s", "1h30m", "1.5s", "250ms") into
// milliseconds; NaN when the text is not a duration.
function parseGoDuration(text) {
    let s = text;
    let sign = 1;
    if (s.startsWith('-') || s.startsWith('+')) {
        sign = s[0] === '-' ? -1 : 1;
        s = s.slice(1);
    }
    if (s === '0') {
        return 0;
    }
    if (s === '') {
        return NaN;
    }
    const re = /^(\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h)/;
    let total = 0;
    while (s !== '') {
        const m = re.exec(s);
        if (!m) {
            return NaN;
        }
        total += parseFloat(m[1]) * DURATION_UNITS[m[2]];
        s = s.slice(m[0].length);
    }
    return sign * total;
}

// loadSettings reads the configuration as connector/cloudfront.HandlerFromEnv does.
function loadSettings(env) {
    const customerId = env.QUEUEIT_CUSTOMER_ID || '';
    if (!customerId) {
        throw new Error('QUEUEIT_CUSTOMER_ID is not set');
    }
    const secretKey = valueOrFile(env, 'QUEUEIT_SECRET_KEY', 'QUEUEIT_SECRET_KEY_FILE');
    if (!secretKey) {
        throw new Error('QUEUEIT_SECRET_KEY or QUEUEIT_SECRET_KEY_FILE must be set');
    }
    const apiKey = valueOrFile(env, 'QUEUEIT_API_KEY', 'QUEUEIT_API_KEY_FILE');
    const norm = boolEnv(env, 'QUEUEIT_NORMALIZATION');
    const settings = {
        customerId,
        secretKey,
        apiKey,
        normalize: !norm.set || norm.value,
        configFile: env.QUEUEIT_CONFIG_FILE || '',
        configUrl: null,
        configTtlMs: 5 * 60 * 1000,
        ignoreOptions: boolEnv(env, 'QUEUEIT_IGNORE_OPTIONS').value,
        timing: boolEnv(env, 'QLOAD_TIMING').value,
    };
    if (!settings.configFile) {
        let base = env.QUEUEIT_CONFIG_BASE_URL || 'https://%s.queue-it.net';
        base = base.split('%s').join(customerId);
        if (base.endsWith('/')) {
            base = base.slice(0, -1);
        }
        let url;
        try {
            url = new URL(`${base}/status/integrationconfig/secure/${customerId}`);
        } catch (_e) {
            url = null;
        }
        if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
            throw new Error(`QUEUEIT_CONFIG_BASE_URL=${JSON.stringify(env.QUEUEIT_CONFIG_BASE_URL)}: want an http: or https: URL`);
        }
        settings.configUrl = url;
        const ttl = env.QUEUEIT_CONFIG_TTL;
        if (ttl) {
            const v = parseGoDuration(ttl);
            if (!(v > 0)) {
                throw new Error(`QUEUEIT_CONFIG_TTL=${JSON.stringify(ttl)}: want a positive duration such as 5m`);
            }
            settings.configTtlMs = v;
        }
    }
    return settings;
}

// ---------------------------------------------------------------------------------------------
// Integration config providers. Both return the config as a string (the core parses it on every
// request, as the official glue lets it).

// The official provider (integrationConfigProvider.js), with the URL and TTL configurable:
// a module-global cache of the downloaded string; when it has expired the download happens
// inside the request, with no single-flight (every concurrent request downloads). A download
// that stays idle for 1000 ms resolves with the stale copy if there is one (the download goes
// on and refreshes the cache when it completes) and fails otherwise; a non-200 answer or a
// network error fails even when a stale copy exists.
let globalCache = null; // {integrationConfig: string, expirationTime: ms since epoch}

function downloadConfig(settings) {
    return new Promise((resolve, reject) => {
        if (globalCache && globalCache.expirationTime > Date.now()) {
            resolve(globalCache.integrationConfig);
            return;
        }
        const url = settings.configUrl;
        const client = url.protocol === 'http:' ? http : https;
        const request = client.get(url, { headers: { 'api-key': settings.apiKey } }, (resp) => {
            let data = '';
            resp.setEncoding('utf8');
            resp.on('data', (chunk) => {
                data += chunk;
            });
            resp.on('end', () => {
                if (resp.statusCode === 200) {
                    globalCache = {
                        expirationTime: Date.now() + settings.configTtlMs,
                        integrationConfig: data,
                    };
                    resolve(globalCache.integrationConfig);
                } else {
                    reject(new Error(data));
                }
            });
            // Not in the official provider: a response cut mid-body must not crash the process.
            resp.on('error', (error) => reject(error));
        });
        request.on('error', (error) => reject(error));
        request.setTimeout(CONFIG_REQUEST_TIMEOUT_MS, () => {
            const timeoutMessage = `Timeout: It took more than ${CONFIG_REQUEST_TIMEOUT_MS} to retrieve Integrationconfig.`;
            if (globalCache) {
                console.log(timeoutMessage + ' (using old config)');
                resolve(globalCache.integrationConfig);
            } else {
                reject(new Error(timeoutMessage));
            }
        });
    });
}

// A config file, as the Go binary's configsource.File: re-read when its modification time or
// size changes, checked at most once per second; a changed file that is not a usable config
// (not JSON, or no truthy Version) keeps the previous one.
const fileState = { text: null, mtimeMs: 0, size: -1, checkedAt: 0 };

function readConfigFile(path) {
    const now = Date.now();
    if (fileState.text !== null && now - fileState.checkedAt < CONFIG_FILE_CHECK_MS) {
        return fileState.text;
    }
    fileState.checkedAt = now;
    let st = null;
    let text;
    let err = null;
    try {
        st = fs.statSync(path);
        if (fileState.text !== null && st.mtimeMs === fileState.mtimeMs && st.size === fileState.size) {
            return fileState.text;
        }
        text = fs.readFileSync(path, 'utf8');
        const cfg = JSON.parse(text);
        if (!cfg || !cfg.Version) {
            throw new Error('integrationsConfigString can not be null or empty.');
        }
    } catch (e) {
        err = new Error(`config file ${path}: ${e.message}`);
    }
    if (err) {
        if (fileState.text === null) {
            throw err;
        }
        console.log('ERROR: ' + err.message + ' (keeping the previous config)');
        return fileState.text;
    }
    fileState.text = text;
    fileState.mtimeMs = st.mtimeMs;
    fileState.size = st.size;
    return text;
}

function getConfig(settings) {
    if (settings.configFile) {
        return Promise.resolve(readConfigFile(settings.configFile));
    }
    return downloadConfig(settings);
}

// ---------------------------------------------------------------------------------------------
// The context provider over a Lambda@Edge request (cloudFrontHttpContextProvider.js), with the
// 5.0.1 providers.

// parseCookies splits every cookie header value on ";" and each piece on "="; pieces with fewer
// than two parts are skipped, anything after a second "=" is dropped, later duplicates win.
function parseCookies(headers) {
    const parsed = {};
    if (headers.cookie) {
        for (let i = 0; i < headers.cookie.length; i++) {
            for (const piece of headers.cookie[i].value.split(';')) {
                if (!piece) {
                    continue;
                }
                const parts = piece.split('=');
                if (parts.length >= 2) {
                    parsed[parts[0].trim()] = parts[1].trim();
                }
            }
        }
    }
    return parsed;
}

// decodeBody returns the request body as text ("" without one).
function decodeBody(request) {
    if (!request || !request.body || !request.body.data) {
        return '';
    }
    if (request.body.encoding !== 'base64') {
        return request.body.data;
    }
    return Buffer.from(request.body.data, 'base64').toString();
}

// The crypto provider 5.0.1 needs: HMAC-SHA256, lowercase hex.
const cryptoProvider = {
    getSha256Hash(secretKey, plaintext) {
        return crypto.createHmac('sha256', secretKey).update(plaintext).digest('hex');
    },
};

function makeContextProvider(request, response, normalizationProvider) {
    // As the official provider, every getHttpRequest() call returns a new object (the cookie
    // header is parsed again for each one).
    const getHttpRequest = function () {
        return {
            decodedBody: null,
            parsedCookieDic: null,
            getUserAgent() {
                return this.getHeader('user-agent');
            },
            getHeader(headerNameArg) {
                const wanted = String(headerNameArg).toLowerCase();
                for (const name in request.headers) {
                    if (name.toLowerCase() === wanted && request.headers[name].length >= 1) {
                        return request.headers[name][0].value;
                    }
                }
                return '';
            },
            getAbsoluteUri() {
                // Throws on a request without a Host header: the request then fails open.
                let url = `https://${request.headers.host[0].value}${request.uri}`;
                if (request.querystring) {
                    url += `?${request.querystring}`;
                }
                return url;
            },
            getUserHostAddress() {
                return request.clientIp;
            },
            getCookieValue(cookieKey) {
                if (!this.parsedCookieDic) {
                    this.parsedCookieDic = parseCookies(request.headers);
                }
                const cookieValue = this.parsedCookieDic[cookieKey];
                // decodeURIComponent throws on a malformed escape, as in the official glue.
                return cookieValue ? decodeURIComponent(cookieValue) : cookieValue;
            },
            getRequestBodyAsString() {
                if (!this.decodedBody) {
                    this.decodedBody = decodeBody(request);
                }
                return this.decodedBody;
            },
        };
    };

    const httpResponse = {
        // Writes the Set-Cookie value onto the generated response and onto the request header
        // that carries it through the origin to ViewerResponse (§8.3).
        setCookie(cookieName, cookieValue, domain, expiration, httpOnly, isSecure, sameSiteValue) {
            const expirationDate = new Date(expiration * 1000);
            let setCookieString = `${cookieName}=${encodeURIComponent(cookieValue)}; expires=${expirationDate.toGMTString()};`;
            if (domain) {
                setCookieString += ` domain=${domain};`;
            }
            if (httpOnly) {
                setCookieString += ' HttpOnly;';
            }
            if (isSecure) {
                setCookieString += ' Secure;';
            }
            if (sameSiteValue) {
                setCookieString += ` SameSite=${sameSiteValue};`;
            }
            setCookieString += ' path=/';
            response.headers['set-cookie'] = response.headers['set-cookie'] || [];
            response.headers['set-cookie'].push({ key: 'Set-Cookie', value: setCookieString });
            request.headers[RESPONSE_SET_COOKIE_HEADER] = request.headers[RESPONSE_SET_COOKIE_HEADER] || [];
            request.headers[RESPONSE_SET_COOKIE_HEADER].push({ key: RESPONSE_SET_COOKIE_HEADER, value: setCookieString });
        },
    };

    return {
        getHttpRequest,
        getHttpResponse() {
            return httpResponse;
        },
        getCryptoProvider() {
            return cryptoProvider;
        },
        getEnqueueTokenProvider() {
            return null;
        },
        getNormalizationProvider() {
            return normalizationProvider;
        },
        getVerifyActionService() {
            return null;
        },
        getDirectActionProvider() {
            return null;
        },
    };
}

// ---------------------------------------------------------------------------------------------
// ViewerRequest (ViewerRequest/index.js of v1.2.10, the core awaited).

function addKUPlatformVersion(redirectQueueUrl) {
    return redirectQueueUrl + '&kupver=cloudfront-' + CLOUDFRONT_SDK_VERSION;
}

function setQueueItErrorHeaders(request, response) {
    request.headers[RESPONSE_ERROR_HEADER] = [{ key: RESPONSE_ERROR_HEADER, value: 'true' }];
    if (response) {
        response.headers[QUEUEIT_FAILED_HEADERNAME] = [{ key: QUEUEIT_FAILED_HEADERNAME, value: 'true' }];
    }
}

function getErrorText(e) {
    if (e instanceof Error) {
        return e.toString();
    }
    if (typeof e === 'object') {
        return JSON.stringify(e);
    }
    return String(e);
}

// getQueueItToken: the queueittoken query parameter (Node querystring semantics: decoded, "+"
// is a space, an array when repeated), else the x-queueittoken header.
function getQueueItToken(request, httpContext) {
    const token = querystring.parse(request.querystring)[KnownUser.QueueITTokenKey];
    if (token) {
        return token;
    }
    return httpContext.getHttpRequest().getHeader(`x-${KnownUser.QueueITTokenKey}`);
}

// handleRequest returns the generated response, or the request to forward to the origin.
async function handleRequest(settings, normalizationProvider, request) {
    const response = { headers: {} };
    response.headers[QUEUEIT_CONNECTOR_EXECUTED_HEADER_NAME] = [
        { key: QUEUEIT_CONNECTOR_EXECUTED_HEADER_NAME, value: QUEUEIT_CONNECTOR_NAME },
    ];
    if (settings.ignoreOptions && request.method === 'OPTIONS') {
        return request;
    }

    const httpContext = makeContextProvider(request, response, normalizationProvider);
    const queueitToken = getQueueItToken(request, httpContext);
    const requestUrl = httpContext.getHttpRequest().getAbsoluteUri();
    // The first queueittoken parameter goes, with its "?" or "&", then one trailing "?".
    let requestUrlWithoutToken = requestUrl.replace(new RegExp('([?&])(' + KnownUser.QueueITTokenKey + '=[^&]*)', 'i'), '');
    requestUrlWithoutToken = requestUrlWithoutToken.replace(/[?]$/, '');

    let integrationConfig = '';
    try {
        integrationConfig = await getConfig(settings);
    } catch (e) {
        setQueueItErrorHeaders(request, response);
        console.log('ERROR: Downloading config ' + getErrorText(e));
    }

    // 5.0.1 is async: awaited (v1.2.10 called the synchronous V3 SDK). An empty config string
    // makes it throw, and the caller fails open.
    const validationResult = await KnownUser.validateRequestByIntegrationConfig(
        requestUrlWithoutToken, queueitToken, integrationConfig,
        settings.customerId, settings.secretKey, httpContext, settings.apiKey || undefined);

    if (validationResult.doRedirect()) {
        // No-cache headers keep browsers from caching the redirect.
        response.headers['cache-control'] = [{ key: 'Cache-Control', value: 'no-cache, no-store, must-revalidate, max-age=0' }];
        response.headers['pragma'] = [{ key: 'Pragma', value: 'no-cache' }];
        response.headers['expires'] = [{ key: 'Expires', value: 'Fri, 01 Jan 1990 00:00:00 GMT' }];
        if (validationResult.isAjaxResult) {
            // Ajax call: the queue's JavaScript redirects, told by the x-queueit-redirect header.
            const headerName = validationResult.getAjaxQueueRedirectHeaderKey();
            response.headers[headerName] = [{ key: headerName, value: addKUPlatformVersion(validationResult.getAjaxRedirectUrl()) }];
            response.headers['Access-Control-Expose-Headers'] = [{ key: 'Access-Control-Expose-Headers', value: headerName }];
            response.status = '200';
            response.statusDescription = 'OK';
            return response;
        }
        response.status = '302';
        response.statusDescription = 'Found';
        response.headers['location'] = [{ key: 'Location', value: addKUPlatformVersion(validationResult.redirectUrl) }];
        return response;
    }
    if (queueitToken && validationResult.actionType === 'Queue') {
        // The visitor passes: redirect to the URL without the token, so that it is not shared.
        response.status = '302';
        response.statusDescription = 'Found';
        response.headers['location'] = [{ key: 'Location', value: requestUrlWithoutToken }];
        return response;
    }
    return request;
}

// viewerRequest fails open: any exception forwards the request marked with
// queueit-response-error (cookies written before it still travel).
async function viewerRequest(settings, normalizationProvider, request) {
    try {
        return await handleRequest(settings, normalizationProvider, request);
    } catch (e) {
        setQueueItErrorHeaders(request, null);
        console.log('ERROR: Queue-it Connector ' + getErrorText(e));
        return request;
    }
}

// ---------------------------------------------------------------------------------------------
// ViewerResponse (ViewerResponse/index.js of v1.2.10).

function viewerResponse(request, response) {
    if (request.headers[RESPONSE_SET_COOKIE_HEADER]) {
        for (const h of request.headers[RESPONSE_SET_COOKIE_HEADER]) {
            response.headers['set-cookie'] = response.headers['set-cookie'] || [];
            response.headers['set-cookie'].push({ key: 'Set-Cookie', value: h.value });
        }
    }
    if (request.headers[RESPONSE_ERROR_HEADER]) {
        response.headers[QUEUEIT_FAILED_HEADERNAME] = [{ key: QUEUEIT_FAILED_HEADERNAME, value: 'true' }];
    }
    response.headers[QUEUEIT_CONNECTOR_EXECUTED_HEADER_NAME] = [
        { key: QUEUEIT_CONNECTOR_EXECUTED_HEADER_NAME, value: QUEUEIT_CONNECTOR_NAME },
    ];
    return response;
}

// ---------------------------------------------------------------------------------------------
// Timing (QLOAD_TIMING), in the format of connector/cloudfront/handler.go. Times are
// performance.now() values: milliseconds since the process started (performance.timeOrigin).
// The init duration is the time until this module finished loading (initDone, set at the end
// of the init phase below), not until the first invocation: a pre-warmed environment may wait
// long before its first request.

function ms(d) {
    return d.toFixed(3);
}

function setHeader(headers, name, key, value) {
    headers[name] = [{ key, value }];
}

// requestTiming adds vreq (and vreq-init when cold) to a generated response, or carries them to
// ViewerResponse on the forwarded request in x-qload-vreq-timing (";cold" marks a cold start).
function requestTiming(request, out, start, cold) {
    let timing = 'vreq;dur=' + ms(performance.now() - start);
    if (cold) {
        timing += ', vreq-init;dur=' + ms(initDone);
    }
    if (out !== request) {
        out.headers = out.headers || {};
        setHeader(out.headers, HEADER_SERVER_TIMING, 'Server-Timing', timing);
        if (cold) {
            setHeader(out.headers, HEADER_COLD_START, 'X-Qload-Cold-Start', 'viewer-request');
        }
        return;
    }
    request.headers = request.headers || {};
    setHeader(request.headers, HEADER_VREQ_TIMING, HEADER_VREQ_TIMING, cold ? timing + ';cold' : timing);
}

// responseTiming appends one Server-Timing value (the carried vreq timing, then vres and
// vres-init when cold) and lists the cold functions in X-Qload-Cold-Start.
function responseTiming(request, response, start, cold) {
    const parts = [];
    const colds = [];
    const carried = request && request.headers && request.headers[HEADER_VREQ_TIMING];
    if (carried && carried.length > 0 && carried[0].value) {
        let v = carried[0].value;
        if (v.endsWith(';cold')) {
            v = v.slice(0, -';cold'.length);
            colds.push('viewer-request');
        }
        parts.push(v);
    }
    let t = 'vres;dur=' + ms(performance.now() - start);
    if (cold) {
        t += ', vres-init;dur=' + ms(initDone);
        colds.push('viewer-response');
    }
    parts.push(t);
    response.headers[HEADER_SERVER_TIMING] = response.headers[HEADER_SERVER_TIMING] || [];
    response.headers[HEADER_SERVER_TIMING].push({ key: 'Server-Timing', value: parts.join(', ') });
    if (colds.length > 0) {
        setHeader(response.headers, HEADER_COLD_START, 'X-Qload-Cold-Start', colds.join(', '));
    }
}

// ---------------------------------------------------------------------------------------------
// Init phase and the handler.

const settings = loadSettings(process.env);
const normalizationProvider = settings.normalize ? new QueueIt.DefaultNormalizationProvider() : null;
if (settings.configFile) {
    // Load the file once now: a config that cannot be used fails the init, as the Go binary.
    readConfigFile(settings.configFile);
}

// invoked turns true at the first invocation of this execution environment.
let invoked = false;

// initDone is when the init phase ended (milliseconds since the process started).
const initDone = performance.now();

exports.handler = async (event, _context) => {
    const start = performance.now();
    const cold = !invoked;
    invoked = true;
    if (!event || !Array.isArray(event.Records) || event.Records.length === 0) {
        throw new Error('cloudfront: event without records');
    }
    const cf = event.Records[0].cf || {};
    const eventType = (cf.config && cf.config.eventType) || '';
    switch (eventType) {
        case 'viewer-request':
        case '': {
            const request = cf.request;
            if (!request) {
                throw new Error('cloudfront: viewer-request event without request');
            }
            const out = await viewerRequest(settings, normalizationProvider, request);
            if (settings.timing) {
                requestTiming(request, out, start, cold);
            }
            return out;
        }
        case 'viewer-response': {
            if (!cf.response) {
                throw new Error('cloudfront: viewer-response event without response');
            }
            cf.response.headers = cf.response.headers || {};
            const out = viewerResponse(cf.request, cf.response);
            if (settings.timing) {
                responseTiming(cf.request, out, start, cold);
            }
            return out;
        }
        default:
            throw new Error(`cloudfront: unsupported event type ${JSON.stringify(eventType)}`);
    }
};
