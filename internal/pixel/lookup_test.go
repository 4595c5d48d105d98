package pixel

import "testing"

func TestFieldAt(t *testing.T) {
	t.Parallel()
	fields := []Field{
		{Name: "ud[em]", Value: "h", Meaning: HashedEmail},
		{Name: "pd>em", Value: "h", Meaning: HashedEmail},
		{Name: "u1", Value: "x", Meaning: CustomData},
		{Name: "batch.1.userId", Value: "u", Meaning: UserID},
		{Name: "em>tv.1~pc0", Value: "94577", Meaning: PlainPII},
		{Name: "dl", Value: "https://shop.example/track?tn=1", Meaning: PageURL},
	}
	cases := map[string]string{
		"ud[em]": "ud[em]", "pd > em": "pd>em", ";u1": "u1", "batch.1.userId": "batch.1.userId",
		"batch.0.userId": "batch.1.userId", "em > tv.1~pc0": "em>tv.1~pc0", "nope": "", "": "",
		"dl > tn": "dl", "dl > tn > x": "dl", "nope > tn": "",
	}
	for loc, want := range cases {
		f, ok := FieldAt(fields, loc)
		if ok != (want != "") || f.Name != want {
			t.Errorf("FieldAt(%q) = %q, %v; want %q", loc, f.Name, ok, want)
		}
	}
}
