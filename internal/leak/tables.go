package leak

import "strings"

// usStates maps US state, territory and Canadian province codes to names.
var usStates = parseTable(`AL:Alabama|AK:Alaska|AZ:Arizona|AR:Arkansas|CA:California|CO:Colorado|
CT:Connecticut|DE:Delaware|FL:Florida|GA:Georgia|HI:Hawaii|ID:Idaho|IL:Illinois|IN:Indiana|IA:Iowa|
KS:Kansas|KY:Kentucky|LA:Louisiana|ME:Maine|MD:Maryland|MA:Massachusetts|MI:Michigan|MN:Minnesota|
MS:Mississippi|MO:Missouri|MT:Montana|NE:Nebraska|NV:Nevada|NH:New Hampshire|NJ:New Jersey|
NM:New Mexico|NY:New York|NC:North Carolina|ND:North Dakota|OH:Ohio|OK:Oklahoma|OR:Oregon|
PA:Pennsylvania|RI:Rhode Island|SC:South Carolina|SD:South Dakota|TN:Tennessee|TX:Texas|UT:Utah|
VT:Vermont|VA:Virginia|WA:Washington|WV:West Virginia|WI:Wisconsin|WY:Wyoming|
DC:District of Columbia|PR:Puerto Rico|GU:Guam|VI:Virgin Islands|AS:American Samoa|
MP:Northern Mariana Islands|AB:Alberta|BC:British Columbia|MB:Manitoba|NB:New Brunswick|
NL:Newfoundland and Labrador|NS:Nova Scotia|NT:Northwest Territories|NU:Nunavut|ON:Ontario|
PE:Prince Edward Island|QC:Quebec|SK:Saskatchewan|YT:Yukon`)

// countries maps ISO 3166-1 alpha-2 codes to English short names.
var countries = parseTable(`US:United States|CA:Canada|MX:Mexico|GB:United Kingdom|IE:Ireland|
FR:France|DE:Germany|ES:Spain|PT:Portugal|IT:Italy|NL:Netherlands|BE:Belgium|LU:Luxembourg|
CH:Switzerland|AT:Austria|DK:Denmark|SE:Sweden|NO:Norway|FI:Finland|IS:Iceland|PL:Poland|
CZ:Czechia|SK:Slovakia|HU:Hungary|RO:Romania|BG:Bulgaria|GR:Greece|HR:Croatia|SI:Slovenia|
RS:Serbia|BA:Bosnia and Herzegovina|AL:Albania|MK:North Macedonia|ME:Montenegro|EE:Estonia|
LV:Latvia|LT:Lithuania|UA:Ukraine|BY:Belarus|MD:Moldova|RU:Russia|TR:Turkey|CY:Cyprus|MT:Malta|
IL:Israel|AE:United Arab Emirates|SA:Saudi Arabia|QA:Qatar|KW:Kuwait|BH:Bahrain|OM:Oman|
JO:Jordan|LB:Lebanon|EG:Egypt|MA:Morocco|DZ:Algeria|TN:Tunisia|NG:Nigeria|GH:Ghana|KE:Kenya|
ET:Ethiopia|ZA:South Africa|IN:India|PK:Pakistan|BD:Bangladesh|LK:Sri Lanka|NP:Nepal|CN:China|
HK:Hong Kong|TW:Taiwan|JP:Japan|KR:South Korea|SG:Singapore|MY:Malaysia|TH:Thailand|VN:Vietnam|
PH:Philippines|ID:Indonesia|AU:Australia|NZ:New Zealand|BR:Brazil|AR:Argentina|CL:Chile|
CO:Colombia|PE:Peru|VE:Venezuela|EC:Ecuador|UY:Uruguay|PY:Paraguay|BO:Bolivia|CR:Costa Rica|
PA:Panama|GT:Guatemala|DO:Dominican Republic|CU:Cuba|JM:Jamaica|PR:Puerto Rico|IR:Iran|IQ:Iraq|
AF:Afghanistan|KZ:Kazakhstan|UZ:Uzbekistan|GE:Georgia|AM:Armenia|AZ:Azerbaijan`)

// countryAliases are other names people write for a country.
var countryAliases = map[string]string{
	"usa": "US", "united states of america": "US", "america": "US", "uk": "GB",
	"great britain": "GB", "england": "GB", "czech republic": "CZ", "holland": "NL",
	"korea": "KR", "republic of korea": "KR", "russian federation": "RU", "türkiye": "TR",
	"deutschland": "DE", "españa": "ES", "the netherlands": "NL", "viet nam": "VN",
}

// streetSuffixes pairs USPS street suffix abbreviations with full words.
var streetSuffixes = [][2]string{
	{"st", "street"}, {"ave", "avenue"}, {"rd", "road"}, {"blvd", "boulevard"},
	{"dr", "drive"}, {"ln", "lane"}, {"ct", "court"}, {"pl", "place"}, {"sq", "square"},
	{"ter", "terrace"}, {"pkwy", "parkway"}, {"hwy", "highway"}, {"cir", "circle"},
	{"way", "way"}, {"trl", "trail"}, {"apt", "apartment"}, {"ste", "suite"},
	{"n", "north"}, {"s", "south"}, {"e", "east"}, {"w", "west"},
}

type codeTable struct {
	byCode map[string]string // "CA" -> "California"
	byName map[string]string // "california" -> "CA"
}

func parseTable(s string) codeTable {
	t := codeTable{byCode: map[string]string{}, byName: map[string]string{}}
	for _, e := range strings.Split(strings.ReplaceAll(s, "\n", ""), "|") {
		code, name, ok := strings.Cut(e, ":")
		if !ok {
			continue
		}
		t.byCode[code] = name
		t.byName[strings.ToLower(name)] = code
	}
	return t
}

// lookup resolves a code or a name to (code, name).
func (t codeTable) lookup(v string) (string, string, bool) {
	v = strings.TrimSpace(v)
	if n, ok := t.byCode[strings.ToUpper(v)]; ok {
		return strings.ToUpper(v), n, true
	}
	if c, ok := t.byName[strings.ToLower(v)]; ok {
		return c, t.byCode[c], true
	}
	return "", "", false
}
