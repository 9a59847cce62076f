package connector

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Config is an integration config compiled for evaluation: parsed once per config version into
// matchers, so that the per-request path does no JSON parsing. A Config is immutable and safe
// for concurrent use.
//
// A config that the official connector would reject (broken JSON, a falsy Version, a
// malformed integration) still compiles: the rejection is kept and returned by Validate at the
// same point of the request flow where the official connector throws, so that decisions stay
// identical. Err reports it up front.
type Config struct {
	parseErr     error  // JSON syntax error: thrown before anything else
	versionOK    bool   // Version is truthy
	version      string // String(Version), printed as cver=
	versionDebug string // the ConfigVersion debug entry

	integrations      []*Integration
	integrationsFault error        // Integrations is a truthy non-iterable: thrown when matching starts
	normalization     bool         // some integration has IsNormalizationEnabled truthy
	index             *needleIndex // the prefiltered integrations' needles, when there are enough (needleindex.go)

	warnings []Warning
}

// Warning is a value of the config that the official connector tolerates but that is probably
// a mistake (an unknown operator, validator or action type, a missing field), located by the
// JSON path of the value.
type Warning struct {
	// Path is the JSON path, e.g. Integrations[2].Triggers[0].TriggerParts[1].Operator.
	Path string
	// Message says what is wrong and what the connector does with it.
	Message string
}

// String formats the warning as "path: message".
func (w Warning) String() string { return w.Path + ": " + w.Message }

// Integration is one compiled integration (action) of a config.
type Integration struct {
	index     int
	fault     error // thrown when the evaluator reaches this integration
	normalize bool

	triggers      []trigger
	triggersFault error // thrown when the evaluator starts on this integration's triggers

	prefiltered bool        // every trigger is an And led by a quickPart (prefilter.go)
	quick       []quickPart // the first part of each trigger, when prefiltered

	kind     ActionType
	name     jsVal
	nameNull NullString // name as results carry it (jsNullString)
	queue    queueAction
	cancelID []string // Cancel: [EventId] + InvolvedWaitingRoomIds, deduplicated
}

// ActionType is what a matched integration does: Queue, Cancel or Ignore.
type ActionType string

// The action types of the official connector; "" stands for no match (null).
const (
	ActionQueue       ActionType = "Queue"
	ActionCancel      ActionType = "Cancel"
	ActionIgnore      ActionType = "Ignore"
	ActionDiagnostics ActionType = "ConnectorDiagnosticsRedirect"
)

// redirectLogic is the integration's RedirectLogic.
type redirectLogic uint8

const (
	logicAllowTParameter redirectLogic = iota
	logicForcedTargetURL
	logicEventTargetURL
)

// queueAction holds the fields of a Queue or Cancel integration as the official connector's
// QueueEventConfig/CancelEventConfig see them.
type queueAction struct {
	eventID      jsVal
	eventIDStr   string
	allowed      []string // InvolvedWaitingRoomIds ([] when absent)
	allIDs       []string // [EventId] + allowed, deduplicated: the ids whose cookies count
	cookieNames  []string // cookie name of each of allIDs
	layoutName   jsVal
	culture      jsVal
	queueDomain  jsVal
	domainStr    string
	prefix       string // QueuePathPrefix as used in URLs ("" or "x/")
	prefixRaw    string // QueuePathPrefix || ""
	extend       jsVal
	validityRaw  jsVal
	validity     float64 // Number(CookieValidityMinute); NaN when absent
	cookieDomain string  // "" when falsy
	cookieDomRaw jsVal
	httpOnly     jsVal // IsCookieHttpOnly || false
	secure       jsVal
	actionName   jsVal // Name, undefined → "unspecified"
	verify       jsVal
	usageLimit   jsVal
	logic        redirectLogic
	forcedTarget jsVal
	configErr    error // the action-config exception, customer-independent part

	eventIDNull    NullString // EventId and Name as results carry them (jsNullString)
	actionNameNull NullString
	redirectBase   string // https://<QueueDomain>/<prefix> of redirect URLs
	query          string // &e=…&ver=…&cver=…&man=…[&cid=…][&l=…] of redirect URLs
}

// CookieName is the session cookie name for a waiting room id.
func CookieName(waitingRoomID string) string { return CookiePrefix + waitingRoomID }

// CookiePrefix is the session cookie name without the waiting room id.
const CookiePrefix = "QueueITAccepted-SDFrts345E-V3_"

// ParseConfig compiles an integration config and reports a JSON syntax error (with line and
// column) or a config the official connector rejects. Values the official connector tolerates
// are accepted and listed by Warnings.
func ParseConfig(data []byte) (*Config, error) {
	c := Compile(data)
	return c, c.Err()
}

// Err reports why every request on this config fails (the official connector throws): a JSON
// syntax error or a missing Version. Nil for a usable config.
func (c *Config) Err() error {
	if c.parseErr != nil {
		return c.parseErr
	}
	if !c.versionOK {
		return ErrConfigEmpty
	}
	return nil
}

// Warnings lists the tolerated-but-suspicious values of the config, in document order.
func (c *Config) Warnings() []Warning { return c.warnings }

// Version is the config's Version as printed in redirect URLs (cver=).
func (c *Config) Version() string { return c.version }

// UsesNormalization reports whether some integration enables URL normalization.
func (c *Config) UsesNormalization() bool { return c.normalization }

// Integrations returns the number of integrations.
func (c *Config) Integrations() int { return len(c.integrations) }

// Compile compiles an integration config. It never fails: a config that the official
// connector rejects compiles to a Config whose requests fail the same way (see Err).
func Compile(data []byte) *Config {
	c := &Config{}
	var root any
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&root); err != nil {
		c.parseErr = syntaxError(data, err)
		return c
	}
	if _, err := dec.Token(); err != io.EOF {
		off := dec.InputOffset()
		for off < int64(len(data)) && strings.IndexByte(" \t\r\n", data[off]) >= 0 {
			off++
		}
		c.parseErr = syntaxError(data, &json.SyntaxError{Offset: off + 1})
		return c
	}
	obj, isObj := root.(map[string]any)
	w := &warner{}
	if !isObj {
		c.versionDebug = "NULL"
		w.add("", "the config is not a JSON object: every request fails")
		c.warnings = w.list
		return c
	}
	version := field(obj, "Version")
	c.versionOK = version.truthy()
	c.version = version.String()
	c.versionDebug = "NULL"
	if c.versionOK {
		c.versionDebug = c.version
	} else {
		w.add("Version", "missing or falsy: every request fails with "+ErrConfigEmpty.Error())
	}
	integ := field(obj, "Integrations")
	switch {
	case integ.kind == jsArray:
		for i, v := range integ.arr {
			in := compileIntegration(i, v, c.version, w)
			c.normalization = c.normalization || in.normalize
			c.integrations = append(c.integrations, in)
		}
	case !integ.truthy():
		if integ.kind != jsUndefined {
			w.add("Integrations", "not an array: no integration matches")
		}
	default:
		c.integrationsFault = notIterable(integ)
		w.add("Integrations", "not an array: every request fails")
	}
	c.warnings = w.list
	c.compileIndex()
	return c
}

func compileIntegration(i int, v any, version string, w *warner) *Integration {
	path := fmt.Sprintf("Integrations[%d]", i)
	in := &Integration{index: i}
	obj, ok := v.(map[string]any)
	if !ok {
		if v == nil {
			in.fault = readProp("null", "IsNormalizationEnabled")
		} else {
			in.fault = notIterable(jsVal{kind: jsUndefined}) // (5).Triggers is undefined
		}
		w.add(path, "not an object: requests that reach it fail")
		return in
	}
	in.normalize = field(obj, "IsNormalizationEnabled").truthy()
	in.name = field(obj, "Name")
	in.nameNull = jsNullString(in.name)

	at := field(obj, "ActionType")
	switch {
	case at.kind == jsString && at.s == string(ActionQueue):
		in.kind = ActionQueue
	case at.kind == jsString && at.s == string(ActionCancel):
		in.kind = ActionCancel
	default:
		in.kind = ActionIgnore
		if !(at.kind == jsString && at.s == string(ActionIgnore)) {
			w.add(path+".ActionType", fmt.Sprintf("unknown action type %s: treated as Ignore", describe(at)))
		}
	}
	trig := field(obj, "Triggers")
	switch trig.kind {
	case jsArray:
		for j, t := range trig.arr {
			in.triggers = append(in.triggers, compileTrigger(fmt.Sprintf("%s.Triggers[%d]", path, j), t, w))
		}
	case jsString:
		if trig.s != "" {
			// Each character is a trigger whose TriggerParts is undefined.
			in.triggersFault = notIterable(jsVal{kind: jsUndefined})
			w.add(path+".Triggers", "not an array: requests that reach it fail")
		} else {
			w.add(path+".Triggers", "empty: the integration never matches")
		}
	default:
		in.triggersFault = notIterable(trig)
		w.add(path+".Triggers", "missing or not an array: requests that reach it fail")
	}

	in.compilePrefilter()
	if in.kind != ActionIgnore {
		compileQueueAction(path, obj, &in.queue, in.kind, w)
		in.queue.compileRedirect(version)
		in.queue.eventIDNull, in.queue.actionNameNull = jsNullString(in.queue.eventID), jsNullString(in.queue.actionName)
		if in.kind == ActionCancel {
			in.cancelID = in.queue.allIDs
		}
	}
	return in
}

func compileQueueAction(path string, obj map[string]any, q *queueAction, kind ActionType, w *warner) {
	q.eventID = field(obj, "EventId")
	q.eventIDStr = q.eventID.String()
	if q.eventID.kind != jsString && q.eventID.truthy() {
		w.add(path+".EventId", "not a string")
	}
	inv := field(obj, "InvolvedWaitingRoomIds")
	q.allowed = []string{}
	switch inv.kind {
	case jsArray:
		for j, e := range inv.arr {
			s, ok := e.(string)
			if !ok {
				w.add(fmt.Sprintf("%s.InvolvedWaitingRoomIds[%d]", path, j), "not a string")
				s = jsToString(e, false)
			}
			q.allowed = append(q.allowed, s)
		}
	case jsUndefined, jsNull:
	default:
		if inv.truthy() {
			w.add(path+".InvolvedWaitingRoomIds", "not an array: ignored")
		}
	}
	if q.eventID.truthy() {
		q.allIDs = append(q.allIDs, q.eventIDStr)
	}
	for _, id := range q.allowed {
		if !contains(q.allIDs, id) {
			q.allIDs = append(q.allIDs, id)
		}
	}
	for _, id := range q.allIDs {
		q.cookieNames = append(q.cookieNames, CookieName(id))
	}
	q.layoutName = field(obj, "LayoutName")
	q.culture = field(obj, "Culture")
	q.queueDomain = field(obj, "QueueDomain")
	q.domainStr = q.queueDomain.String()
	prefix := field(obj, "QueuePathPrefix")
	if prefix.truthy() {
		q.prefixRaw = prefix.String()
	}
	q.prefix = strings.TrimPrefix(q.prefixRaw, "/")
	if q.prefix != "" && !strings.HasSuffix(q.prefix, "/") {
		q.prefix += "/"
	}
	q.extend = field(obj, "ExtendCookieValidity")
	q.validityRaw = field(obj, "CookieValidityMinute")
	q.validity = q.validityRaw.number()
	q.cookieDomRaw = field(obj, "CookieDomain")
	if q.cookieDomRaw.truthy() {
		q.cookieDomain = q.cookieDomRaw.String()
	}
	q.httpOnly = orFalse(field(obj, "IsCookieHttpOnly"))
	q.secure = orFalse(field(obj, "IsCookieSecure"))
	q.actionName = actionNameOrDefault(field(obj, "Name"))
	q.verify = field(obj, "VerifyQueueIdEnabled")
	if q.verify.kind == jsUndefined {
		q.verify = jsVal{kind: jsBool}
	}
	q.usageLimit = field(obj, "QueueIdUsageLimit")
	if q.usageLimit.kind == jsUndefined {
		q.usageLimit = jsVal{kind: jsNull}
	}
	rl := field(obj, "RedirectLogic")
	switch {
	case rl.kind == jsString && rl.s == "ForcedTargetUrl":
		q.logic = logicForcedTargetURL
	case rl.kind == jsString && rl.s == "EventTargetUrl":
		q.logic = logicEventTargetURL
	default:
		if rl.kind != jsUndefined && !(rl.kind == jsString && rl.s == "AllowTParameter") && kind == ActionQueue {
			w.add(path+".RedirectLogic", fmt.Sprintf("unknown redirect logic %s: treated as AllowTParameter", describe(rl)))
		}
	}
	q.forcedTarget = field(obj, "ForcedTargetUrl")

	if kind == ActionQueue {
		switch {
		case !q.eventID.truthy():
			q.configErr = errors.New("queueConfig.eventId can not be null or empty.")
		case !q.queueDomain.truthy():
			q.configErr = errors.New("queueConfig.queueDomain can not be null or empty.")
		case q.validityRaw.kind != jsUndefined && q.validity <= 0:
			q.configErr = errors.New("queueConfig.cookieValidityMinute should be integer greater than 0.")
		}
		if q.validityRaw.kind == jsUndefined {
			w.add(path+".CookieValidityMinute", "missing: session cookies never expire")
		}
	} else {
		switch {
		case len(q.allIDs) == 0:
			q.configErr = errors.New("cancelConfig.waitingRoomIds can not be null or empty.")
		case !q.queueDomain.truthy():
			q.configErr = errors.New("cancelConfig.queueDomain can not be null or empty.")
		}
	}
	if q.configErr != nil {
		w.add(path, "requests that match it fail: "+q.configErr.Error())
	}
}

// actionNameOrDefault applies the "actionName = 'unspecified'" default of the official
// QueueEventConfig and CancelEventConfig.
func actionNameOrDefault(name jsVal) jsVal {
	if name.kind == jsUndefined {
		return jsVal{kind: jsString, s: "unspecified"}
	}
	return name
}

// orFalse is JavaScript's `v || false`.
func orFalse(v jsVal) jsVal {
	if v.truthy() {
		return v
	}
	return jsVal{kind: jsBool}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// describe quotes a value for a warning.
func describe(v jsVal) string {
	switch v.kind {
	case jsUndefined:
		return "(missing)"
	case jsString:
		return fmt.Sprintf("%q", v.s)
	}
	return v.String()
}

// warner collects lint warnings.
type warner struct{ list []Warning }

func (w *warner) add(path, msg string) { w.list = append(w.list, Warning{Path: path, Message: msg}) }
