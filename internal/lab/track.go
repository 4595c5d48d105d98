package lab

import (
	"net/http"
	"strings"
)

// maxTrackingLen bounds what the tracking form accepts (UPU S10 is 13,
// IMpb with routing prefix up to 34).
const maxTrackingLen = 34

// parcel is what the tracking page shows for a known number.
type parcel struct {
	Number string
	Status string
	// Mine is true when the logged-in customer is the addressee; the page
	// then shows the delivery address.
	Mine   bool
	Events []parcelEvent
}

type parcelEvent struct {
	When, What, Where string
}

// normalizeTrackingNumber strips spaces and dashes and uppercases. ok is
// false when what remains is empty, too long, or not letters and digits.
func normalizeTrackingNumber(raw string) (tn string, ok bool) {
	var b strings.Builder
	for _, c := range raw {
		switch {
		case c == ' ' || c == '-' || c == '\t':
			continue
		case c >= '0' && c <= '9', c >= 'A' && c <= 'Z':
			b.WriteRune(c)
		case c >= 'a' && c <= 'z':
			b.WriteRune(c - 'a' + 'A')
		default:
			return "", false
		}
		if b.Len() > maxTrackingLen {
			return "", false
		}
	}
	return b.String(), b.Len() > 0
}

// lookupParcel returns the demo parcel's history, or nil for any other number.
func lookupParcel(tn string, u *account) *parcel {
	if tn != demoAccount.Parcel {
		return nil
	}
	where := strings.ToUpper(demoAccount.City) + ", " + demoAccount.State + " " + demoAccount.Zip
	return &parcel{
		Number: tn,
		Status: "Out for Delivery",
		Mine:   u != nil && u.Email == demoAccount.Email,
		Events: []parcelEvent{
			{"November 28, 2026, 7:42 am", "Out for Delivery", where},
			{"November 28, 2026, 6:31 am", "Arrived at Post Office", where},
			{"November 27, 2026, 9:15 pm", "Departed USPS Regional Facility", "CHICAGO IL NETWORK DISTRIBUTION CENTER"},
			{"November 26, 2026, 4:03 pm", "Accepted at USPS Origin Facility", "COLUMBUS, OH 43215"},
		},
	}
}

func (a *siteApp) track(w http.ResponseWriter, r *http.Request) {
	raw := r.URL.Query().Get("tn")
	u := a.user(r)
	if strings.TrimSpace(raw) == "" {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	tn, ok := normalizeTrackingNumber(raw)
	if !ok {
		a.render(w, http.StatusBadRequest, "track", pageData{Title: "Invalid tracking number | ParcelPost", Path: "/track", User: u,
			Error: "A tracking number has up to 34 letters and digits."})
		return
	}
	a.render(w, http.StatusOK, "track", pageData{Title: "Tracking " + tn + " | ParcelPost", Path: "/track", User: u,
		TN: tn, Parcel: lookupParcel(tn, u)})
}
