package analysis

import (
	"fmt"
	"math"
	"regexp"
)

// MCP areas: KPK's Monitoring Center for Prevention scores local governments
// in these eight areas (codes used in imports, settings and URLs).
const (
	AreaPerencanaan = "perencanaan_penganggaran" // perencanaan dan penganggaran APBD
	AreaPengadaan   = "pengadaan"                // pengadaan barang dan jasa
	AreaPelayanan   = "pelayanan_publik"         // perizinan / pelayanan publik
	AreaAPIP        = "apip"                     // pengawasan APIP
	AreaASN         = "manajemen_asn"            // manajemen ASN
	AreaPajak       = "pajak_daerah"             // optimalisasi pajak daerah
	AreaBMD         = "barang_milik_daerah"      // manajemen barang milik daerah
	AreaDanaDesa    = "dana_desa"                // tata kelola keuangan desa
)

// MCPAreas lists the areas in KPK's order.
func MCPAreas() []string {
	return []string{AreaPerencanaan, AreaPengadaan, AreaPelayanan, AreaAPIP, AreaASN, AreaPajak, AreaBMD, AreaDanaDesa}
}

// MCPArea maps one MCP area to the SPI elements that measure the same
// practice as lived, and to the units responsible for it.
type MCPArea struct {
	Elements []string `json:"elements"`
	Units    []string `json:"units,omitempty"`
}

// MCPSettings are the cross-reference settings (key "mcp" of the period settings).
type MCPSettings struct {
	// High is the lower end of MCP's top band: an area scoring at least this
	// on paper is claimed to be well prevented.
	High float64 `json:"high"`
	// Rise is the MCP rise over two years (points) that, with a significant
	// fall of the mapped element, makes a gap.
	Rise float64 `json:"rise"`
	// Areas replace the default mapping area by area.
	Areas map[string]MCPArea `json:"areas"`
}

// DefaultMCP returns the documented default mapping. Dana desa maps to
// anggaran (misuse of village funds is budget misuse) under the unit for
// village empowerment (DPMD); pajak daerah to integritas_tugas of the
// revenue agency (BAPENDA). Other areas' units come from the MCP import.
func DefaultMCP() MCPSettings {
	return MCPSettings{High: 85, Rise: 5, Areas: map[string]MCPArea{
		AreaPerencanaan: {Elements: []string{"anggaran"}},
		AreaPengadaan:   {Elements: []string{"pbj"}},
		AreaPelayanan:   {Elements: []string{"transparansi", "integritas_tugas"}},
		AreaAPIP:        {Elements: []string{"sosialisasi"}},
		AreaASN:         {Elements: []string{"sdm"}},
		AreaPajak:       {Elements: []string{"integritas_tugas"}, Units: []string{"BAPENDA"}},
		AreaBMD:         {Elements: []string{"anggaran"}},
		AreaDanaDesa:    {Elements: []string{"anggaran"}, Units: []string{"DPMD"}},
	}}
}

var codePattern = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,32}$`)

// problems reports every invalid MCP setting.
func (m MCPSettings) problems() []string {
	var out []string
	bad := func(format string, args ...any) { out = append(out, "mcp: "+fmt.Sprintf(format, args...)) }
	if math.IsNaN(m.High) || m.High <= 0 || m.High > 100 {
		bad("high must lie in (0, 100]")
	}
	if math.IsNaN(m.Rise) || m.Rise <= 0 || m.Rise > 100 {
		bad("rise must lie in (0, 100]")
	}
	known := map[string]bool{}
	for _, a := range MCPAreas() {
		known[a] = true
	}
	for _, a := range sortedKeys(m.Areas) {
		if !known[a] {
			bad("areas: unknown area %q", a)
			continue
		}
		for _, e := range m.Areas[a].Elements {
			if !codePattern.MatchString(e) {
				bad("areas: %s: element %q is not an element code", a, e)
			}
		}
		for _, u := range m.Areas[a].Units {
			if !codePattern.MatchString(u) {
				bad("areas: %s: unit %q is not a unit code", a, u)
			}
		}
	}
	return out
}
