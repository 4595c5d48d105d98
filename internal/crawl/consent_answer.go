package crawl

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/leakwatch/leakwatch/internal/browser"
	"github.com/leakwatch/leakwatch/internal/traffic"
)

// answer answers r's banner in the crawl's mode when it is shown, waits
// for the choice to take and says what happened.
func (c *crawler) answer(ctx context.Context, tab *browser.Tab, r ConsentRule, shown bool) traffic.ConsentAction {
	if !shown || c.o.Consent == traffic.ConsentNone || c.o.Consent == "" {
		return c.unanswered(tab, r.Name, shown, "")
	}
	how := r.Reject
	if c.o.Consent == traffic.ConsentAccept {
		how = r.Accept
	}
	if how.empty() {
		return c.unanswered(tab, r.Name, true, "the platform table has no "+c.o.Consent+" action for it")
	}
	before := c.choiceState(ctx, tab, r)
	act := traffic.ConsentAction{Platform: r.Name, Action: c.o.Consent, Time: time.Now().UTC(), Index: tab.Context().Requests()}
	detail, err := applyAnswer(ctx, tab, how)
	if err != nil {
		act.Result, act.Detail = traffic.ConsentNotFound, err.Error()
		return act
	}
	took := c.waitChoice(ctx, tab, r, before)
	if took == "" && how.API != "" && len(how.Selectors) > 0 && strings.HasPrefix(detail, "api:") {
		// An API that answered without effect (the platform not ready
		// yet): the buttons may still do it.
		how.API = ""
		if more, err := applyAnswer(ctx, tab, how); err == nil {
			detail += " (no effect); " + more
			took = c.waitChoice(ctx, tab, r, before)
		}
	}
	if took == "" {
		act.Result = traffic.ConsentFailed
		act.Detail = fmt.Sprintf("%s; the choice did not take within %s (no consent cookie or TC string changed)", detail, c.o.ConsentWait)
		return act
	}
	act.Result, act.Detail = traffic.ConsentAnswered, detail+"; "+took
	// A platform may reload the page on a choice: let that happen.
	c.afterAction(ctx, tab)
	return act
}

// waitChoice waits up to ConsentWait for the choice to show and says how
// it showed, or "" when it did not.
func (c *crawler) waitChoice(ctx context.Context, tab *browser.Tab, r ConsentRule, before choice) string {
	wctx, cancel := context.WithTimeout(ctx, c.o.ConsentWait)
	defer cancel()
	took := ""
	_ = poll(wctx, func() bool {
		took = c.choiceTook(wctx, tab, r, before)
		return took != ""
	})
	return took
}

// applyAnswer calls the platform's API, else clicks its button (in the
// page, its shadow roots and same-origin frames, then in cross-origin
// frames when the rule names a frame). It says what it did.
func applyAnswer(ctx context.Context, tab *browser.Tab, how ConsentAnswer) (string, error) {
	var why []string
	if how.API != "" {
		actx, cancel := context.WithTimeout(ctx, 5*time.Second)
		err := callAPI(actx, tab, how.API)
		cancel()
		if err == nil {
			return "api: " + how.API, nil
		}
		why = append(why, fmt.Sprintf("api %s: %v", how.API, err))
	}
	if len(how.Selectors) == 0 {
		return "", errors.New(strings.Join(why, "; "))
	}
	var res struct {
		OK          bool   `json:"ok"`
		Selector    string `json:"selector"`
		CrossOrigin bool   `json:"crossOrigin"`
		Why         string `json:"why"`
	}
	if err := consentCall(ctx, tab.Eval, "click", &res, how.Selectors, how.Frame); err != nil {
		return "", err
	}
	if res.OK {
		return "click: " + res.Selector, nil
	}
	why = append(why, res.Why)
	if how.Frame != "" {
		sel, err := clickInFrames(ctx, tab, how.Selectors)
		if err == nil {
			return "click in cross-origin frame: " + sel, nil
		}
		why = append(why, err.Error())
	}
	return "", errors.New(strings.Join(why, "; "))
}

// callAPI evaluates a platform API call, awaiting what it returns; a
// missing API or an exception is an error.
func callAPI(ctx context.Context, tab *browser.Tab, api string) error {
	js := "(async () => { await (" + api + "); return true; })()"
	_, err := tab.Eval(ctx, js)
	return err
}

// clickInFrames tries the selectors in each cross-origin iframe.
func clickInFrames(ctx context.Context, tab *browser.Tab, selectors []string) (string, error) {
	js, err := consentExpr("click", selectors, "")
	if err != nil {
		return "", err
	}
	for _, f := range tab.EvalFrames(ctx, js) {
		var res struct {
			OK       bool   `json:"ok"`
			Selector string `json:"selector"`
			URL      string `json:"url"`
		}
		if f.Err == nil && jsonInto(f.Value, &res) == nil && res.OK {
			return res.Selector + " in " + res.URL, nil
		}
	}
	return "", errors.New("no cross-origin frame has a visible button")
}

// choice is what shows a consent choice: the values of the platform's
// cookies (HttpOnly ones included) and the TCF API's TC string.
type choice struct {
	cookies  map[string]string
	tcString string
	shown    bool
}

func (c *crawler) choiceState(ctx context.Context, tab *browser.Tab, r ConsentRule) choice {
	ch := choice{cookies: map[string]string{}}
	if jar, err := tab.Context().Cookies(ctx); err == nil {
		for _, k := range jar {
			if cookieMatches(r.Cookies, k.Name) {
				ch.cookies[k.Domain+" "+k.Name] = k.Value
			}
		}
	}
	var st struct {
		TCString string `json:"tcString"`
		Shown    bool   `json:"shown"`
	}
	if err := consentCall(ctx, tab.Eval, "state", &st, r.Banner); err == nil {
		ch.tcString, ch.shown = st.TCString, st.Shown
	} else {
		ch.shown = true // the page is busy (reloading): not proof of anything
	}
	return ch
}

// choiceTook compares the state with the one before the answer and says
// what changed, or "" when nothing shows the choice yet. A banner that
// closed counts only for a platform that has no cookie to show it.
func (c *crawler) choiceTook(ctx context.Context, tab *browser.Tab, r ConsentRule, before choice) string {
	now := c.choiceState(ctx, tab, r)
	for k, v := range now.cookies {
		if before.cookies[k] != v {
			return "cookie " + strings.TrimSpace(k[strings.IndexByte(k, ' '):]) + " set"
		}
	}
	if now.tcString != "" && now.tcString != before.tcString {
		return "TC string changed"
	}
	if len(r.Cookies) == 0 && before.shown && !now.shown {
		return "banner closed (the platform has no consent cookie in the table)"
	}
	return ""
}

// cookieMatches matches a cookie name against names, a trailing "*"
// matching a prefix.
func cookieMatches(names []string, name string) bool {
	for _, n := range names {
		if p, ok := strings.CutSuffix(n, "*"); ok && strings.HasPrefix(name, p) || n == name {
			return true
		}
	}
	return false
}
