package server

import (
	"context"
	"strings"
	"testing"

	"integritas/analysis"
	"integritas/results"
	"integritas/survey"
)

// TestTargetsNeverInventAPopulation: a unit whose population is blank or 0
// gets no sample target (the formula alone gives 385 for any unknown
// population), a known one gets the finite-population target, never more
// than the population; the overview counts only units with a target and
// names the others with a nudge to enter their population.
func TestTargetsNeverInventAPopulation(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	// PKM1 has no expert population (blank); DISDIK's internal one is set to 0.
	u, err := e.store.Unit(ctx, e.period.ID, "DISDIK")
	must(t, err)
	csv := "code,name,parent_code,head_email,internal_population,external_population,expert_population\n" +
		"DINKES,Dinas Kesehatan,,kadinkes@example.go.id,120,5000,10\n" +
		"PKM1,Puskesmas Satu,DINKES,kapkm1@example.go.id,30,2000,\n" +
		"DISDIK," + u.Name + ",,kadisdik@example.go.id,0,8000,10\n"
	if _, err := e.store.ImportUnitsCSV(ctx, e.period, "units.csv", strings.NewReader(csv)); err != nil {
		t.Fatal(err)
	}
	r, err := results.Compute(ctx, e.store, e.period.Code, results.Options{})
	must(t, err)
	margin := 5.0 // the method's default target margin
	seen := 0
	for _, ur := range r.Results.Units {
		for typ, rc := range ur.ResponseCounts {
			seen++
			switch {
			case rc.Population == nil && rc.Required != nil:
				t.Errorf("%s %s: a target of %d without a known population", ur.Code, typ, *rc.Required)
			case rc.Population != nil && (rc.Required == nil || *rc.Required > *rc.Population ||
				*rc.Required != analysis.RequiredSampleSize(*rc.Population, margin)):
				t.Errorf("%s %s: population %d, target %v", ur.Code, typ, *rc.Population, rc.Required)
			}
		}
		if rc, ok := ur.ResponseCounts[survey.Expert]; ur.Code == "PKM1" && ok && rc.Required != nil {
			t.Errorf("PKM1 expert: target %d for a blank population", *rc.Required)
		}
		if rc, ok := ur.ResponseCounts[survey.Internal]; ur.Code == "DISDIK" && ok && rc.Required != nil {
			t.Errorf("DISDIK internal: target %d for a population of 0", *rc.Required)
		}
	}
	if seen < 6 {
		t.Fatalf("only %d unit × type counts computed", seen)
	}
	e.run([]scenario{{name: "overview names units without a target", path: "/dash/SPI-T", header: e.loginAs("analyst"), wantStatus: 200,
		want: []string{"1 unit belum diketahui populasinya (tanpa target).", "Isi populasinya di halaman unit."}, notWant: []string{">385<"}}})
}
