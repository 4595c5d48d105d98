package lab

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Hostnames of the demo site. ".test" is reserved (RFC 2606), so the names can
// never belong to anyone.
const (
	SiteHost = "www.parcelpost.test"
	SiteApex = "parcelpost.test"
)

// account is the one customer of the demo site.
type account struct {
	FirstName, LastName string
	Email, Password     string
	Phone               string
	Street, City        string
	State, StateName    string
	Zip, Country        string
	// Parcel is a USPS IMpb tracking number with a valid check digit,
	// addressed to this customer.
	Parcel string
}

func (a account) FullName() string { return a.FirstName + " " + a.LastName }

// demoAccount uses reserved values: example.com mail, a 555-01xx phone.
var demoAccount = account{
	FirstName: "Dana",
	LastName:  "Whitfield",
	Email:     "dana.whitfield@example.com",
	Password:  "Juniper-Parcel-4417",
	Phone:     "(217) 555-0148",
	Street:    "1427 Juniper Hollow Rd",
	City:      "Springfield",
	State:     "IL",
	StateName: "Illinois",
	Zip:       "62704",
	Country:   "US",
	Parcel:    "9400111899561482037727",
}

// impbCheckDigit computes the USPS IMpb mod-10 check digit of digits (the
// tracking number without its last digit): weights 3,1,3,1,... from the right.
func impbCheckDigit(digits string) (byte, error) {
	sum := 0
	for i := len(digits) - 1; i >= 0; i-- {
		c := digits[i]
		if c < '0' || c > '9' {
			return 0, fmt.Errorf("impb: %q is not a digit", c)
		}
		w := 1
		if (len(digits)-1-i)%2 == 0 {
			w = 3
		}
		sum += int(c-'0') * w
	}
	return byte('0' + (10-sum%10)%10), nil
}

// validIMpb reports whether tn is a 20-22 digit USPS IMpb number starting
// with 9 whose last digit checks.
func validIMpb(tn string) bool {
	if len(tn) < 20 || len(tn) > 22 || tn[0] != '9' {
		return false
	}
	c, err := impbCheckDigit(tn[:len(tn)-1])
	return err == nil && c == tn[len(tn)-1]
}

// persona mirrors internal/leak's Persona YAML keys (lab may not import leak).
type persona struct {
	Name            string   `yaml:"name"`
	Email           string   `yaml:"email"`
	Phone           string   `yaml:"phone"`
	FirstName       string   `yaml:"first_name"`
	LastName        string   `yaml:"last_name"`
	Street          string   `yaml:"street"`
	City            string   `yaml:"city"`
	State           string   `yaml:"state"`
	Zip             string   `yaml:"zip"`
	Country         string   `yaml:"country"`
	TrackingNumbers []string `yaml:"tracking_numbers"`
}

// Persona returns the demo account as a persona YAML document, the format
// `leakwatch --persona` reads.
func (s *Site) Persona() []byte { return personaYAML(demoAccount) }

func personaYAML(a account) []byte {
	p := persona{
		Name: a.FullName(), Email: a.Email, Phone: a.Phone,
		FirstName: a.FirstName, LastName: a.LastName,
		Street: a.Street, City: a.City, State: a.State, Zip: a.Zip, Country: a.Country,
		TrackingNumbers: []string{a.Parcel},
	}
	out, err := yaml.Marshal(p)
	if err != nil { // a fixed struct of strings always marshals
		panic(fmt.Sprintf("lab: marshal persona: %v", err))
	}
	return append([]byte("# Demo account of the leakwatch lab (www.parcelpost.test); every value is made up.\n"), out...)
}

// Steps returns the crawler steps that reproduce the incident: log in, look
// at the account page, type a tracking number into the tracking form. Forms
// are sent by clicking their buttons, as a person does, so the tags' click
// listeners (Meta inferred events, LinkedIn click signals) fire too.
func (s *Site) Steps() []byte { return stepsYAML(demoAccount) }

func stepsYAML(a account) []byte {
	base := "https://" + SiteHost
	type typeStep struct {
		Selector string `yaml:"selector"`
		Text     string `yaml:"text"`
	}
	type waitSel struct {
		Selector string `yaml:"selector"`
	}
	steps := []map[string]any{
		{"goto": base + "/login"},
		{"type": typeStep{"#email", a.Email}},
		{"type": typeStep{"#password", a.Password}},
		{"click": "#login-submit"},
		{"wait": waitSel{"#account-name"}},
		{"goto": base + "/account"},
		{"wait": waitSel{"#mailing-address"}},
		{"wait": "2s"},
		{"goto": base + "/"},
		{"type": typeStep{"#tn", a.Parcel}},
		{"click": "#track-submit"},
		{"wait": waitSel{"#tracking-status"}},
		{"wait": "2s"},
		{"screenshot": "tracking"},
	}
	out, err := yaml.Marshal(steps)
	if err != nil {
		panic(fmt.Sprintf("lab: marshal steps: %v", err))
	}
	head := strings.Join([]string{
		"# Steps for `leakwatch scan --steps`: log in to the lab's parcel site,",
		"# open the account page, then type a tracking number into the tracking form.",
		"",
	}, "\n")
	return append([]byte(head), out...)
}
