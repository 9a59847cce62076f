'use strict';
// Reference runner for qload's conformance cases (see /conformance.md of the project).
//
// Reads a JSON array of cases on stdin and writes the JSON array of results on stdout, in the
// same order. Every case runs the OFFICIAL connector core (@queue-it/connector-javascript 5.0.1)
// behind a faithful copy of the CloudFront connector v1.2.10 glue (context provider over the
// Lambda@Edge request, token extraction and URL stripping, Set-Cookie format, the
// ViewerRequest outcomes and the ViewerResponse Set-Cookie copy), with:
//   * the clock frozen to the case's time (Date.now() and `new Date()`), TZ=UTC;
//   * stubs instead of network features (verify action, direct pass, enqueue token);
//   * the official DefaultNormalizationProvider unless the case disables it.
// One case failing never stops the others; every case gets fresh provider objects.
// The package keeps no per-request module-global state (KnownUser.UserInQueueService is a
// static test hook that stays null; MissingSha256ImplementationException is a shared constant).

process.env.TZ = 'UTC';

const crypto = require('crypto');
const querystring = require('querystring');
const QueueIt = require('@queue-it/connector-javascript');

const KnownUser = QueueIt.KnownUser;
const ENGINE = 'javascript-connector-5.0.1';
const CLOUDFRONT_SDK_VERSION = '1.2.10';
const QUEUEIT_FAILED_HEADERNAME = 'x-queueit-failed';
const QUEUEIT_CONNECTOR_EXECUTED_HEADER_NAME = 'x-queueit-connector';
const QUEUEIT_CONNECTOR_NAME = 'cloudfront';

// ---------------------------------------------------------------------------------------------
// Frozen clock. The core reads the time through Date.now() (st: in icr) and `new Date()`
// (getCurrentTime, cookie expiry, ServerUtcTime); both see frozenMs.
const RealDate = Date;
let frozenMs = RealDate.now();
class FrozenDate extends RealDate {
    constructor(...args) {
        if (args.length === 0) {
            super(frozenMs);
        } else {
            super(...args);
        }
    }
    static now() {
        return frozenMs;
    }
}
globalThis.Date = FrozenDate;

// ---------------------------------------------------------------------------------------------
// Helpers.

// byteOrder sorts strings by their UTF-8 bytes (as Go's sort.Strings does).
function byteOrder(a, b) {
    return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

function strOrNull(v) {
    if (v === null || v === undefined) {
        return null;
    }
    return String(v);
}

function headerValues(v) {
    if (v === null || v === undefined) {
        return [];
    }
    if (Array.isArray(v)) {
        return v.map(String);
    }
    return [String(v)];
}

// caseConfigString returns the integration config text passed to the core.
function caseConfigString(c) {
    if (c.config === undefined || c.config === null) {
        return '';
    }
    if (typeof c.config === 'string') {
        return c.config;
    }
    return JSON.stringify(c.config);
}

// someIntegrationNormalizes reports whether the config enables normalization anywhere.
function someIntegrationNormalizes(configString) {
    let cfg;
    try {
        cfg = JSON.parse(configString);
    } catch (_e) {
        return false;
    }
    if (!cfg || !Array.isArray(cfg.Integrations)) {
        return false;
    }
    return cfg.Integrations.some((i) => i && i.IsNormalizationEnabled);
}

// buildCloudFrontRequest turns a case request into a Lambda@Edge request object.
// Header names are lower-cased (as CloudFront does) and merged in byte order of the case's
// names; the case's "cookies" map becomes one more `cookie` header value (names in byte order).
function buildCloudFrontRequest(c) {
    const r = c.request || {};
    const url = String(r.url || '');
    const q = url.indexOf('?');
    const headers = {};
    const names = Object.keys(r.headers || {}).sort(byteOrder);
    for (const name of names) {
        const lk = name.toLowerCase();
        headers[lk] = headers[lk] || [];
        for (const v of headerValues(r.headers[name])) {
            headers[lk].push({ key: name, value: v });
        }
    }
    const cookieNames = Object.keys(r.cookies || {}).sort(byteOrder);
    if (cookieNames.length > 0) {
        const joined = cookieNames.map((n) => `${n}=${r.cookies[n]}`).join('; ');
        headers.cookie = headers.cookie || [];
        headers.cookie.push({ key: 'Cookie', value: joined });
    }
    return {
        absoluteUrl: url,
        querystring: q >= 0 ? url.slice(q + 1) : '',
        method: r.method || 'GET',
        clientIp: r.clientIp === undefined || r.clientIp === null ? '' : String(r.clientIp),
        headers: headers,
        body: r.body ? { data: String(r.body), encoding: 'text' } : undefined,
    };
}

// ---------------------------------------------------------------------------------------------
// The CloudFront v1.2.10 context provider (cloudFrontHttpContextProvider.js), extended with the
// 5.0.1 hooks (crypto provider, normalization, verify action, direct action, enqueue token).

function parseCookies(headers) {
    // Verbatim logic of __parseCookies.
    var parsedCookie = {};
    if (headers.cookie) {
        for (let i = 0; i < headers.cookie.length; i++) {
            headers.cookie[i].value.split(';').forEach(function (cookie) {
                if (cookie) {
                    var parts = cookie.split('=');
                    if (parts.length >= 2) {
                        parsedCookie[parts[0].trim()] = parts[1].trim();
                    }
                }
            });
        }
    }
    return parsedCookie;
}

function decodeBody(request) {
    if (!request || !request.body || !request.body.data) {
        return '';
    }
    const bodyData = request.body.data;
    if (request.body.encoding !== 'base64') {
        return bodyData;
    }
    return Buffer.from(request.body.data, 'base64').toString();
}

function makeContext(c, request, response, rec) {
    const stubs = c.stubs || {};
    const httpRequestFactory = function () {
        return {
            decodedBody: null,
            parsedCookieDic: null,
            getUserAgent: function () {
                return this.getHeader('user-agent');
            },
            getHeader: function (headerNameArg) {
                headerNameArg = (headerNameArg + '').toLowerCase();
                for (let header in request.headers) {
                    if (header.toLowerCase() === headerNameArg) {
                        if (request.headers[header].length >= 1) {
                            return request.headers[header][0].value;
                        }
                    }
                }
                return '';
            },
            getAbsoluteUri: function () {
                return request.absoluteUrl;
            },
            getUserHostAddress: function () {
                return request.clientIp;
            },
            getCookieValue: function (cookieKey) {
                if (!this.parsedCookieDic) {
                    this.parsedCookieDic = parseCookies(request.headers);
                }
                var cookieValue = this.parsedCookieDic[cookieKey];
                if (cookieValue) return decodeURIComponent(cookieValue);
                return cookieValue;
            },
            getRequestBodyAsString: function () {
                if (!this.decodedBody) {
                    this.decodedBody = decodeBody(request);
                }
                return this.decodedBody;
            },
        };
    };

    const httpResponse = {
        setCookie: function (cookieName, cookieValue, domain, expiration, httpOnly, isSecure, sameSiteValue) {
            rec.setCookies.push({
                name: String(cookieName),
                value: String(cookieValue),
                domain: domain ? String(domain) : '',
                expires: Number(expiration),
                httpOnly: Boolean(httpOnly),
                secure: Boolean(isSecure),
            });
            // Verbatim logic of the glue's setCookie.
            let expirationDate = new Date(expiration * 1000);
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
            rec.setCookieHeaders.push(setCookieString);
            response.headers['set-cookie'] = response.headers['set-cookie'] || [];
            response.headers['set-cookie'].push({ key: 'Set-Cookie', value: setCookieString });
            request.headers['queueit-response-set-cookie'] = request.headers['queueit-response-set-cookie'] || [];
            request.headers['queueit-response-set-cookie'].push({
                key: 'queueit-response-set-cookie',
                value: setCookieString,
            });
        },
    };

    const cryptoProvider = {
        getSha256Hash: function (secretKey, plaintext) {
            return crypto.createHmac('sha256', secretKey).update(plaintext).digest('hex');
        },
    };

    let enqueueTokenProvider = null;
    if (stubs.enqueueToken !== undefined && stubs.enqueueToken !== null) {
        enqueueTokenProvider = {
            getEnqueueToken: function (waitingRoomId) {
                rec.enqueueTokenCalls.push({ waitingRoomId: strOrNull(waitingRoomId) });
                return stubs.enqueueToken;
            },
        };
    }

    let normalizationProvider = null;
    if (stubs.normalization !== false) {
        const real = new QueueIt.DefaultNormalizationProvider();
        normalizationProvider = {
            normalizeUrl: function (url) {
                const out = real.normalizeUrl(url);
                rec.normalizerOutputs.push(out);
                return out;
            },
        };
    }

    const verifyActionService = {
        verify: function (customerId, waitingRoomId, queueId, queueIdUsageLimit, apiKey, actionName) {
            rec.verifyCalls.push({
                customerId: strOrNull(customerId),
                waitingRoomId: strOrNull(waitingRoomId),
                queueId: strOrNull(queueId),
                queueIdUsageLimit: queueIdUsageLimit === undefined ? null : queueIdUsageLimit,
                apiKey: strOrNull(apiKey),
                actionName: strOrNull(actionName),
            });
            const allowed = stubs.verifyActionAllowed === undefined || stubs.verifyActionAllowed === null
                ? true
                : Boolean(stubs.verifyActionAllowed);
            return Promise.resolve(allowed);
        },
    };

    let directActionProvider = null;
    if (stubs.directPass) {
        const dp = stubs.directPass;
        directActionProvider = {
            getSettings: function () {
                return {
                    disabled: Boolean(dp.disabled),
                    proxyKey: dp.proxyKey === undefined ? undefined : dp.proxyKey,
                    directPass: { timeoutMillis: dp.timeoutMillis === undefined ? undefined : dp.timeoutMillis },
                };
            },
            tryDirectPass: function (customerId, waitingRoomId, actionName, protectedUrl, proxyKey, clientIp,
                userAgent, referer, timeout, sdkVersion, _debugService) {
                rec.directPassCalls.push({
                    customerId: strOrNull(customerId),
                    waitingRoomId: strOrNull(waitingRoomId),
                    actionName: strOrNull(actionName),
                    protectedUrl: strOrNull(protectedUrl),
                    proxyKey: strOrNull(proxyKey),
                    clientIp: strOrNull(clientIp),
                    userAgent: strOrNull(userAgent),
                    referer: strOrNull(referer),
                    timeout: Number(timeout),
                    sdkVersion: strOrNull(sdkVersion),
                });
                if (dp.throws) {
                    return Promise.reject(new Error('direct pass stub: simulated failure'));
                }
                const res = { hasPassed: Boolean(dp.hasPassed) };
                if (dp.queueitToken !== undefined && dp.queueitToken !== null) {
                    res.queueitToken = dp.queueitToken;
                }
                return Promise.resolve(res);
            },
        };
    }

    return {
        getHttpRequest: httpRequestFactory,
        getHttpResponse: function () {
            return httpResponse;
        },
        getCryptoProvider: function () {
            return cryptoProvider;
        },
        getEnqueueTokenProvider: function () {
            return enqueueTokenProvider;
        },
        getNormalizationProvider: function () {
            return normalizationProvider;
        },
        getVerifyActionService: function () {
            return verifyActionService;
        },
        getDirectActionProvider: function () {
            return directActionProvider;
        },
    };
}

// ---------------------------------------------------------------------------------------------
// One case through the ViewerRequest glue (index.js handleRequest) and ViewerResponse.

function addKUPlatformVersion(redirectQueueUrl) {
    return redirectQueueUrl + '&kupver=cloudfront-' + CLOUDFRONT_SDK_VERSION;
}

function headerMap(h) {
    const out = {};
    for (const k of Object.keys(h)) {
        const lk = k.toLowerCase();
        out[lk] = (out[lk] || []).concat(h[k].map((e) => e.value));
    }
    return out;
}

function viewerResponseSetCookies(request) {
    const out = [];
    if (request.headers['queueit-response-set-cookie']) {
        for (const e of request.headers['queueit-response-set-cookie']) {
            out.push(e.value);
        }
    }
    return out;
}

async function runCase(c) {
    frozenMs = c.nowMs !== undefined && c.nowMs !== null ? Number(c.nowMs) : Number(c.now) * 1000;

    const rec = {
        setCookies: [],
        setCookieHeaders: [],
        verifyCalls: [],
        directPassCalls: [],
        enqueueTokenCalls: [],
        normalizerOutputs: [],
    };
    const request = buildCloudFrontRequest(c);
    const response = { headers: {} };
    response.headers[QUEUEIT_CONNECTOR_EXECUTED_HEADER_NAME] = [
        { key: QUEUEIT_CONNECTOR_EXECUTED_HEADER_NAME, value: QUEUEIT_CONNECTOR_NAME },
    ];
    const httpContext = makeContext(c, request, response, rec);
    const configString = caseConfigString(c);

    // Token: as given, or extracted the CloudFront way (getQueueItToken).
    let queueitToken;
    if (Object.prototype.hasOwnProperty.call(c, 'queueitToken')) {
        queueitToken = c.queueitToken;
    } else {
        queueitToken = querystring.parse(request.querystring)[KnownUser.QueueITTokenKey];
        if (!queueitToken) {
            queueitToken = httpContext.getHttpRequest().getHeader(`x-${KnownUser.QueueITTokenKey}`);
        }
    }
    const requestUrl = httpContext.getHttpRequest().getAbsoluteUri();
    let requestUrlWithoutToken = requestUrl.replace(new RegExp('([\?&])(' + KnownUser.QueueITTokenKey + '=[^&]*)', 'i'), '');
    requestUrlWithoutToken = requestUrlWithoutToken.replace(new RegExp('[?]$'), '');

    let validationResult = null;
    let error = null;
    try {
        validationResult = await KnownUser.validateRequestByIntegrationConfig(
            requestUrlWithoutToken, queueitToken, configString,
            c.customerId, c.secretKey, httpContext, c.apiKey);
    } catch (e) {
        error = e instanceof Error ? e.message : String(e);
    }

    const cf = {
        kind: 'pass',
        status: null,
        location: null,
        ajaxRedirectHeader: null,
        responseHeaders: {},
        viewerResponseSetCookies: [],
        failedHeader: false,
    };
    if (error !== null) {
        // handler catch: setQueueItErrorHeaders(request, null); return request.
        request.headers['queueit-response-error'] = [{ key: 'queueit-response-error', value: 'true' }];
        cf.kind = 'error-pass';
        cf.viewerResponseSetCookies = viewerResponseSetCookies(request);
        cf.failedHeader = true;
    } else if (validationResult.doRedirect()) {
        response.headers['cache-control'] = [{ key: 'Cache-Control', value: 'no-cache, no-store, must-revalidate, max-age=0' }];
        response.headers['pragma'] = [{ key: 'Pragma', value: 'no-cache' }];
        response.headers['expires'] = [{ key: 'Expires', value: 'Fri, 01 Jan 1990 00:00:00 GMT' }];
        if (validationResult.isAjaxResult) {
            const headerName = validationResult.getAjaxQueueRedirectHeaderKey();
            const v = addKUPlatformVersion(validationResult.getAjaxRedirectUrl());
            response.headers[headerName] = [{ key: headerName, value: v }];
            response.headers['Access-Control-Expose-Headers'] = [{ key: 'Access-Control-Expose-Headers', value: headerName }];
            response.status = '200';
            cf.kind = 'ajax';
            cf.ajaxRedirectHeader = v;
        } else {
            response.status = '302';
            const loc = addKUPlatformVersion(validationResult.redirectUrl);
            response.headers['location'] = [{ key: 'Location', value: loc }];
            cf.kind = 'redirect';
            cf.location = loc;
        }
        cf.status = response.status;
        cf.responseHeaders = headerMap(response.headers);
    } else if (queueitToken && validationResult.actionType === 'Queue') {
        response.status = '302';
        response.headers['location'] = [{ key: 'Location', value: requestUrlWithoutToken }];
        cf.kind = 'strip-token';
        cf.status = response.status;
        cf.location = requestUrlWithoutToken;
        cf.responseHeaders = headerMap(response.headers);
    } else {
        cf.kind = 'pass';
        cf.viewerResponseSetCookies = viewerResponseSetCookies(request);
    }

    const vr = validationResult;
    const doRedirect = vr ? Boolean(vr.doRedirect()) : false;
    let involved = vr ? vr.involvedWaitingRoomIds : null;
    if (involved === null || involved === undefined) {
        involved = [];
    } else if (!Array.isArray(involved)) {
        involved = [involved];
    }
    return {
        name: c.name === undefined || c.name === null ? '' : String(c.name),
        tags: Array.isArray(c.tags) ? c.tags.map(String) : [],
        engine: ENGINE,
        action: vr ? strOrNull(vr.actionType) : null,
        doRedirect: doRedirect,
        redirectUrl: vr ? strOrNull(vr.redirectUrl) : null,
        isAjax: vr ? Boolean(vr.isAjaxResult) : false,
        ajaxRedirectUrl: doRedirect ? vr.getAjaxRedirectUrl() : null,
        eventId: vr ? strOrNull(vr.eventId) : null,
        queueId: vr ? strOrNull(vr.queueId) : null,
        redirectType: vr ? strOrNull(vr.redirectType) : null,
        actionName: vr ? strOrNull(vr.actionName) : null,
        involvedWaitingRoomIds: involved.map(String),
        normalizedUrl: rec.normalizerOutputs.length > 0 && someIntegrationNormalizes(configString)
            ? strOrNull(rec.normalizerOutputs[0])
            : null,
        setCookies: rec.setCookies,
        setCookieHeaders: rec.setCookieHeaders,
        verifyCalls: rec.verifyCalls,
        directPassCalls: rec.directPassCalls,
        enqueueTokenCalls: rec.enqueueTokenCalls,
        error: error,
        cloudfront: cf,
    };
}

function runnerFailure(c, e) {
    return {
        name: c && c.name !== undefined ? String(c.name) : '',
        tags: c && Array.isArray(c.tags) ? c.tags.map(String) : [],
        engine: ENGINE,
        action: null,
        doRedirect: false,
        redirectUrl: null,
        isAjax: false,
        ajaxRedirectUrl: null,
        eventId: null,
        queueId: null,
        redirectType: null,
        actionName: null,
        involvedWaitingRoomIds: [],
        normalizedUrl: null,
        setCookies: [],
        setCookieHeaders: [],
        verifyCalls: [],
        directPassCalls: [],
        enqueueTokenCalls: [],
        error: 'conformance runner failure: ' + (e && e.stack ? e.stack : String(e)),
        cloudfront: {
            kind: 'error-pass', status: null, location: null, ajaxRedirectHeader: null,
            responseHeaders: {}, viewerResponseSetCookies: [], failedHeader: true,
        },
    };
}

async function main() {
    const chunks = [];
    for await (const chunk of process.stdin) {
        chunks.push(chunk);
    }
    const cases = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    if (!Array.isArray(cases)) {
        throw new Error('stdin: want a JSON array of cases');
    }
    const results = [];
    for (const c of cases) {
        try {
            results.push(await runCase(c));
        } catch (e) {
            results.push(runnerFailure(c, e));
        }
    }
    process.stdout.write(JSON.stringify(results));
    process.stdout.write('\n');
}

main().catch((e) => {
    process.stderr.write('runner: ' + (e && e.stack ? e.stack : String(e)) + '\n');
    process.exit(1);
});
