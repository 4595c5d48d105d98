package policy

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leakwatch/leakwatch/internal/audit"
	"github.com/leakwatch/leakwatch/internal/sharedtest"
)

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	sharedtest.Golden(t, filepath.Join("testdata", name), got, *update)
}

func TestDiffGolden(t *testing.T) {
	t.Parallel()
	old, cur := loadReport(t, "report-parcels.json"), loadReport(t, "report-parcels-next.json")
	d := Diff(old, cur)
	var text bytes.Buffer
	if err := d.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	golden(t, "diff.golden.txt", text.Bytes())
	sharedtest.GoldenJSON(t, filepath.Join("testdata", "diff.golden.json"), d, *update)
}

func TestDiff(t *testing.T) {
	t.Parallel()
	old, cur := loadReport(t, "report-parcels.json"), loadReport(t, "report-parcels-next.json")
	d := Diff(old, cur)
	if d.Empty() || !d.HasNew() {
		t.Fatal("diff is empty")
	}
	if len(d.NewCompanies) != 1 || d.NewCompanies[0].Company != "Criteo" || strings.Join(d.NewCompanies[0].DataKinds, ",") != "email" {
		t.Errorf("new companies: %+v", d.NewCompanies)
	}
	if len(d.ChangedCompanies) != 1 || d.ChangedCompanies[0].Company != "Meta" || strings.Join(d.ChangedCompanies[0].NewDataKinds, ",") != "phone" ||
		len(d.ChangedCompanies[0].GoneDataKinds) != 0 {
		t.Errorf("changed companies: %+v", d.ChangedCompanies)
	}
	if len(d.GoneCompanies) != 0 || len(d.GonePixels) != 0 {
		t.Errorf("gone: %+v %+v", d.GoneCompanies, d.GonePixels)
	}
	if len(d.NewPixels) != 2 || d.NewPixels[0].Account != "77123" || d.NewPixels[1].Account != "2222333344445555" {
		t.Errorf("new pixels: %+v", d.NewPixels)
	}
	if len(d.GoneFindingTypes) != 1 || d.GoneFindingTypes[0] != "session-replay" || len(d.NewFindingTypes) != 0 {
		t.Errorf("finding types: +%v -%v", d.NewFindingTypes, d.GoneFindingTypes)
	}
	if len(d.NewFindings) != 2 || len(d.GoneFindings) != 1 {
		t.Errorf("findings: +%q -%q", d.NewFindings, d.GoneFindings)
	}

	// The reverse diff mirrors it.
	r := Diff(cur, old)
	if !r.HasNew() {
		t.Error("reverse diff has nothing new: session-replay came back")
	}
	gone := &Changes{GoneCompanies: []CompanyChange{{Company: "X"}}, ChangedCompanies: []CompanyChange{{Company: "Y", GoneDataKinds: []string{"zip"}}}}
	if gone.HasNew() || gone.Empty() {
		t.Error("only gone things: HasNew must be false, Empty false")
	}
	if len(r.GoneCompanies) != 1 || r.GoneCompanies[0].Company != "Criteo" || len(r.ChangedCompanies) != 1 ||
		strings.Join(r.ChangedCompanies[0].GoneDataKinds, ",") != "phone" || len(r.GonePixels) != 2 || r.NewFindingTypes[0] != "session-replay" {
		t.Errorf("reverse: %+v", r)
	}
}

func TestDiffSame(t *testing.T) {
	t.Parallel()
	old := loadReport(t, "report-parcels.json")
	d := Diff(old, loadReport(t, "report-parcels.json"))
	if !d.Empty() || d.HasNew() {
		t.Fatalf("a report differs from itself: %+v", d)
	}
	var buf bytes.Buffer
	d.WriteText(&buf)
	if !strings.HasPrefix(buf.String(), "No differences") {
		t.Errorf("text: %q", buf.String())
	}
	js, _ := json.Marshal(d)
	if strings.Contains(string(js), "null") {
		t.Errorf("empty lists encode as null: %s", js)
	}
	if e := Diff(&audit.Report{}, &audit.Report{}); !e.Empty() {
		t.Error("two empty reports differ")
	}
}

func TestDiffCompanyCase(t *testing.T) {
	t.Parallel()
	a := &audit.Report{ThirdParties: []audit.ThirdParty{{Company: "Meta", DataKinds: []string{"email"}}}}
	b := &audit.Report{ThirdParties: []audit.ThirdParty{{Company: "meta", DataKinds: []string{"email"}}},
		Findings: []audit.Finding{{Type: "leak", Field: "email", Receiver: &audit.Receiver{Company: "META"}}}}
	if d := Diff(a, b); len(d.NewCompanies)+len(d.GoneCompanies)+len(d.ChangedCompanies) != 0 {
		t.Errorf("case changed the companies: %+v", d)
	}
}
