package lab

import (
	"crypto/rand"
	"crypto/subtle"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"net"
	"net/http"
	"strings"
	"sync"
)

//go:embed site
var siteFiles embed.FS

//go:embed tags
var tagFiles embed.FS

// sessionCookie names the demo site's login cookie.
const sessionCookie = "pp_session"

// handler routes by Host: the demo site, its bare domain, the vendor hosts.
func (s *Site) handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host := hostOnly(r.Host)
		s.log.Debug("lab request", "method", r.Method, "host", host, "path", r.URL.Path)
		switch {
		case host == SiteHost:
			s.site.ServeHTTP(w, r)
		case host == SiteApex:
			http.Redirect(w, r, "https://"+SiteHost+r.URL.RequestURI(), http.StatusMovedPermanently)
		case vendorOfHost(host) != nil:
			s.serveVendor(w, r, host)
		default:
			http.Error(w, fmt.Sprintf("the leakwatch lab does not serve %q", host), http.StatusMisdirectedRequest)
		}
	})
}

// hostOnly lowercases a Host header and drops its port and trailing dot.
func hostOnly(hostport string) string {
	h := hostport
	if host, _, err := net.SplitHostPort(hostport); err == nil {
		h = host
	}
	return strings.TrimSuffix(strings.ToLower(h), ".")
}

// siteApp is the parcel-delivery site.
type siteApp struct {
	pages    map[string]*template.Template
	static   http.Handler
	sessions *sessionStore
	mux      *http.ServeMux
}

func newSiteApp() (*siteApp, error) {
	a := &siteApp{pages: map[string]*template.Template{}, sessions: &sessionStore{live: map[string]bool{}}}
	for _, name := range []string{"home", "login", "account", "track", "notfound"} {
		t, err := template.New(name).ParseFS(siteFiles, "site/layout.html", "site/tags.html", "site/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("lab: parse page %s: %w", name, err)
		}
		a.pages[name] = t
	}
	static, err := fs.Sub(siteFiles, "site/static")
	if err != nil {
		return nil, fmt.Errorf("lab: static files: %w", err)
	}
	a.static = http.StripPrefix("/static/", http.FileServerFS(static))
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", a.home)
	mux.HandleFunc("GET /login", a.loginForm)
	mux.HandleFunc("POST /login", a.login)
	mux.HandleFunc("POST /logout", a.logout)
	mux.HandleFunc("GET /account", a.account)
	mux.HandleFunc("GET /track", a.track)
	mux.Handle("GET /static/", a.static)
	mux.HandleFunc("POST /consent", a.consent)
	mux.HandleFunc("GET /.well-known/gpc.json", a.gpc)
	mux.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) })
	mux.HandleFunc("/", a.notFound)
	a.mux = mux
	return a, nil
}

func (a *siteApp) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	a.mux.ServeHTTP(w, r)
}

// tagIDs are the vendor IDs the pages' tag snippets use.
type tagIDs struct {
	Meta, LinkedIn, Snap, UET, GA4, Ads, Pinterest string
}

var pageTags = tagIDs{MetaPixelID, LinkedInPartnerID, SnapPixelID, UETTagID, GA4MeasurementID, GoogleAdsID, PinterestTagID}

// pageData is what every page template receives.
type pageData struct {
	Title string
	Path  string
	// User is the logged-in customer, nil when logged out.
	User *account
	Tags tagIDs
	// TagPolicy is each vendor's treatment of consent, for the tag gate.
	TagPolicy map[string]tagPolicy
	// Page-specific fields.
	Error  string
	Email  string
	TN     string
	Parcel *parcel
}

func (a *siteApp) render(w http.ResponseWriter, status int, page string, d pageData) {
	t, ok := a.pages[page]
	if !ok {
		http.Error(w, "no such page template: "+page, http.StatusInternalServerError)
		return
	}
	d.Tags = pageTags
	d.TagPolicy = tagPolicies()
	var b strings.Builder
	if err := t.ExecuteTemplate(&b, "layout", d); err != nil {
		http.Error(w, "render "+page+": "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(b.String()))
}

// user returns the logged-in customer, or nil.
func (a *siteApp) user(r *http.Request) *account {
	c, err := r.Cookie(sessionCookie)
	if err != nil || !a.sessions.valid(c.Value) {
		return nil
	}
	acct := demoAccount
	return &acct
}

func (a *siteApp) home(w http.ResponseWriter, r *http.Request) {
	a.render(w, http.StatusOK, "home", pageData{Title: "ParcelPost – Track packages, ship with confidence", Path: "/", User: a.user(r)})
}

func (a *siteApp) notFound(w http.ResponseWriter, r *http.Request) {
	a.render(w, http.StatusNotFound, "notfound", pageData{Title: "Page not found | ParcelPost", Path: r.URL.Path, User: a.user(r)})
}

func (a *siteApp) loginForm(w http.ResponseWriter, r *http.Request) {
	if a.user(r) != nil {
		http.Redirect(w, r, "/account", http.StatusSeeOther)
		return
	}
	a.render(w, http.StatusOK, "login", pageData{Title: "Sign in | ParcelPost", Path: "/login"})
}

func (a *siteApp) login(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		a.render(w, http.StatusBadRequest, "login", pageData{Title: "Sign in | ParcelPost", Path: "/login", Error: "The form could not be read."})
		return
	}
	email := strings.TrimSpace(r.PostForm.Get("email"))
	pass := r.PostForm.Get("password")
	okEmail := strings.EqualFold(email, demoAccount.Email)
	okPass := subtle.ConstantTimeCompare([]byte(pass), []byte(demoAccount.Password)) == 1
	if !okEmail || !okPass {
		a.render(w, http.StatusUnauthorized, "login", pageData{Title: "Sign in | ParcelPost", Path: "/login",
			Error: "That email and password do not match our records.", Email: email})
		return
	}
	v, err := a.sessions.create()
	if err != nil {
		http.Error(w, "could not start a session: "+err.Error(), http.StatusInternalServerError)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: v, Path: "/", HttpOnly: true, Secure: true,
		SameSite: http.SameSiteLaxMode, MaxAge: 8 * 3600})
	http.Redirect(w, r, "/account", http.StatusSeeOther)
}

func (a *siteApp) logout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(sessionCookie); err == nil {
		a.sessions.drop(c.Value)
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", HttpOnly: true, Secure: true,
		SameSite: http.SameSiteLaxMode, MaxAge: -1})
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

func (a *siteApp) account(w http.ResponseWriter, r *http.Request) {
	u := a.user(r)
	if u == nil {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	}
	a.render(w, http.StatusOK, "account", pageData{Title: "Your account | ParcelPost", Path: "/account", User: u})
}

// sessionStore holds live session values and remembers every value issued,
// so tests can check that none of them is written to a report.
type sessionStore struct {
	mu     sync.Mutex
	live   map[string]bool
	issued []string
}

func (s *sessionStore) create() (string, error) {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("session id: %w", err)
	}
	v := hex.EncodeToString(b)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.live[v] = true
	s.issued = append(s.issued, v)
	return v, nil
}

func (s *sessionStore) valid(v string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.live[v]
}

func (s *sessionStore) drop(v string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.live, v)
}

func (s *sessionStore) values() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.issued...)
}
