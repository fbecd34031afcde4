package loadtest

import (
	"math/rand/v2"
	"net/url"
	"strconv"

	"integritas/survey"
)

// MarkerItem is the free-text item that carries a submission's marker: a
// unique text that lets a test find exactly that submission in the database.
const MarkerItem = "X01"

// answers draws a plausible respondent's raw answers ("1".."k", "yes",
// "no", "dk", text), as the form posts them, for a respondent of type typ.
// A marker, when given, is the free-text answer of MarkerItem; without one,
// about one respondent in seven writes a remark.
func answers(in *survey.Instrument, typ string, r *rand.Rand, marker string) map[string]string {
	out := map[string]string{}
	for _, it := range in.Items {
		if !it.For(typ) {
			continue
		}
		switch it.Scale.Kind {
		case survey.KindOrdinal:
			if it.DontKnow && r.IntN(20) == 0 {
				out[it.Code] = "dk"
				continue
			}
			// Most respondents lean favourable, as in real SPI data.
			p := it.Scale.Points
			v := p - r.IntN(p)/2 - r.IntN(2)
			out[it.Code] = strconv.Itoa(max(1, min(p, v)))
		case survey.KindExperience:
			switch n := r.IntN(10); {
			case n < 2:
				out[it.Code] = "yes"
			case n == 2 && it.DontKnow:
				out[it.Code] = "dk"
			default:
				out[it.Code] = "no"
			}
		case survey.KindText:
			switch {
			case it.Code == MarkerItem && marker != "":
				out[it.Code] = marker
			case marker == "" && r.IntN(7) == 0:
				out[it.Code] = remarks[r.IntN(len(remarks))]
			}
		}
	}
	if st := in.Strata; st.For(typ) && len(st.Options) > 0 {
		out[st.Code] = st.Options[r.IntN(len(st.Options))].Code
	}
	return out
}

// remarks are free-text answers of the length respondents write.
var remarks = []string{
	"Pelayanan perlu lebih cepat dan biaya diumumkan di loket.",
	"Antrean sudah tertib, tetapi petugas sering tidak ada di tempat pada jam kerja.",
	"Mohon informasi persyaratan diumumkan di situs web dan papan pengumuman.",
	"Tidak ada pungutan, pelayanan baik.",
}

// formBody encodes answers and the page's hidden fields as the browser
// posts them when the respondent presses "Kirim".
func formBody(ans map[string]string, hidden map[string]string) string {
	v := make(url.Values, len(ans)+len(hidden)+1)
	for k, x := range ans {
		v.Set(k, x)
	}
	for k, x := range hidden {
		v.Set(k, x)
	}
	v.Set("_action", "submit")
	return v.Encode()
}
