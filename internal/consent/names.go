package consent

import (
	"fmt"
	"strings"
)

// tcfPurposes are the TCF v2.2 purpose names, by id.
var tcfPurposes = []string{1: "Store and/or access information on a device",
	2: "Use limited data to select advertising", 3: "Create profiles for personalised advertising",
	4: "Use profiles to select personalised advertising", 5: "Create profiles to personalise content",
	6: "Use profiles to select personalised content", 7: "Measure advertising performance",
	8: "Measure content performance", 9: "Understand audiences through statistics or combinations of data from different sources",
	10: "Develop and improve services", 11: "Use limited data to select content"}

// tcfSpecialFeatures are the TCF v2 special feature names, by id.
var tcfSpecialFeatures = []string{1: "Use precise geolocation data", 2: "Actively scan device characteristics for identification"}

// PurposeName returns the TCF v2 name of a purpose id ("purpose N" past
// the defined ones).
func PurposeName(id int) string { return nameOf(tcfPurposes, id, "purpose") }

// SpecialFeatureName returns the TCF v2 name of a special feature id.
func SpecialFeatureName(id int) string { return nameOf(tcfSpecialFeatures, id, "special feature") }

// nameOf looks id up in names.
func nameOf(names []string, id int, kind string) string {
	if id > 0 && id < len(names) && names[id] != "" {
		return names[id]
	}
	return fmt.Sprintf("%s %d", kind, id)
}

// usValueMeanings spell out the 2-bit values of GPP US fields, by the
// field name's ending.
var usValueMeanings = []struct {
	suffix string
	values [3]string
}{
	{"OptOut", [3]string{"not applicable", "opted out", "did not opt out"}},
	{"Notice", [3]string{"not applicable", "notice given", "notice not given"}},
	{"Consents", [3]string{"not applicable", "no consent", "consent"}},
	{"Processing", [3]string{"not applicable", "no consent", "consent"}},
	{"Mode", [3]string{"not applicable", "yes", "no"}},
	{"Transaction", [3]string{"not applicable", "yes", "no"}},
}

// USValueMeaning spells out a value of a GPP US section field, e.g.
// ("SaleOptOut", 1) is "opted out". A value the specification leaves
// undefined is "invalid N".
func USValueMeaning(field string, v int) string {
	for _, m := range usValueMeanings {
		if strings.HasSuffix(field, m.suffix) && v >= 0 && v < 3 {
			return m.values[v]
		}
	}
	return fmt.Sprintf("invalid %d", v)
}
