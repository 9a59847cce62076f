package loadgen

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/qload/qload/connector"
	"github.com/qload/qload/runfolder"
)

// Classify sorts one answer into design.md's outcome classes: its status code (0 when no
// answer came: a transport error), its headers, and the queue domain of the waiting room (a
// redirect there, or to any *.queue-it.net host, is a queue redirect).
func Classify(code int, h http.Header, queueDomain string) runfolder.Class {
	if code == 0 {
		return runfolder.TransportError
	}
	xcache := h.Get("X-Cache")
	switch {
	case code == http.StatusFound || code == http.StatusMovedPermanently || code == http.StatusSeeOther || code == http.StatusTemporaryRedirect:
		loc := h.Get("Location")
		if host, path, ok := locationHost(loc); ok && isQueueHost(host, queueDomain) {
			if strings.Contains(path, "/error/") {
				return runfolder.ErrorRedirect
			}
			return runfolder.QueueRedirect
		}
		if setsSession(h) {
			return runfolder.TokenAccepted
		}
		return runfolder.Pass
	case code == http.StatusOK && h.Get("X-Queueit-Redirect") != "":
		return runfolder.AjaxRedirect
	case code == http.StatusServiceUnavailable && strings.HasPrefix(xcache, "LambdaLimitExceeded"):
		return runfolder.Throttled
	case code >= 500 && strings.HasPrefix(xcache, "Lambda"):
		return runfolder.LambdaError
	case code >= 400:
		return runfolder.OriginError
	case setsSession(h):
		return runfolder.PassExtended
	}
	return runfolder.Pass
}

func locationHost(loc string) (host, path string, ok bool) {
	if loc == "" {
		return "", "", false
	}
	u, err := url.Parse(loc)
	if err != nil {
		return "", "", false
	}
	return u.Hostname(), u.Path, true
}

func isQueueHost(host, queueDomain string) bool {
	host = strings.ToLower(host)
	return (queueDomain != "" && host == strings.ToLower(queueDomain)) || strings.HasSuffix(host, ".queue-it.net")
}

func setsSession(h http.Header) bool {
	for _, c := range h["Set-Cookie"] {
		if strings.HasPrefix(c, connector.CookiePrefix) {
			return true
		}
	}
	return false
}
