package demo

import (
	"context"
	"fmt"
	"strings"

	"integritas/survey"
)

// mcpAreas are the demo's MCP scores for 2024, 2025 and 2026 per area
// (unit "" is the city as a whole). Pengadaan at DPUPR is the paper-only
// gap: its MCP climbs to 94 while its staff report procurement at Rentan
// (the unit is weak in pbj).
var mcpAreas = []struct {
	area, unit string
	scores     [3]float64
}{
	{"perencanaan_penganggaran", "", [3]float64{84, 86, 88}},
	{"perencanaan_penganggaran", "BAPPEDA", [3]float64{85, 87, 90}},
	{"pengadaan", "", [3]float64{82, 88, 93}},
	{"pengadaan", "DPUPR", [3]float64{85, 90, 94}},
	{"pelayanan_publik", "", [3]float64{75, 80, 84}},
	{"pelayanan_publik", "DPMPTSP", [3]float64{80, 86, 91}},
	{"apip", "", [3]float64{70, 74, 78}},
	{"manajemen_asn", "", [3]float64{72, 78, 81}},
	{"manajemen_asn", "BKPSDM", [3]float64{70, 76, 80}},
	{"pajak_daerah", "", [3]float64{70, 74, 78}},
	{"barang_milik_daerah", "", [3]float64{77, 80, 83}},
	{"barang_milik_daerah", "BPKAD", [3]float64{78, 81, 84}},
}

// pmprb are the demo units' PMPRB self-assessment scores for 2024–2026.
var pmprb = map[string][3]float64{
	"DPUPR": {68.5, 72.25, 77.1}, "BAPENDA": {65, 67.5, 70.2}, "BKPSDM": {70, 71.75, 73.4},
	"BPKAD": {74, 76.5, 78}, "DPMPTSP": {78, 80.5, 82.75}, "BAPPEDA": {76, 77.5, 79.9},
}

// mcp imports the demo's MCP and PMPRB scores through the same CSV imports
// the inspectorate uses.
func mcp(ctx context.Context, st *survey.Store) error {
	var b strings.Builder
	b.WriteString("year,area,unit,score\n")
	for _, a := range mcpAreas {
		for i, s := range a.scores {
			fmt.Fprintf(&b, "%d,%s,%s,%g\n", 2024+i, a.area, a.unit, s)
		}
	}
	if _, err := st.ImportMCPCSV(ctx, "demo-mcp.csv", strings.NewReader(b.String())); err != nil {
		return err
	}
	b.Reset()
	b.WriteString("year,unit,score\n")
	for _, u := range []string{"BAPPEDA", "BAPENDA", "BKPSDM", "BPKAD", "DPMPTSP", "DPUPR"} {
		for i, s := range pmprb[u] {
			fmt.Fprintf(&b, "%d,%s,%g\n", 2024+i, u, s)
		}
	}
	_, err := st.ImportPMPRBCSV(ctx, "demo-pmprb.csv", strings.NewReader(b.String()))
	return err
}
