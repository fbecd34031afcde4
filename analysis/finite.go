package analysis

import (
	"fmt"
	"math"
	"reflect"
	"regexp"
)

// Round2 rounds half up to 2 decimals, as figures are published (§3.9); the
// category of an index is that of Round2(index). The tolerance makes a value
// such as 73.699999999999989 (73.70 after float noise) round to 73.70, and
// 73.694999999999 (73.695 after noise) round up to 73.70. Callers printing
// figures should format Round2(x) so page and category agree.
func Round2(x float64) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return x
	}
	return math.Floor(x*100+0.5+1e-7) / 100
}

// CheckFinite walks v (structs, pointers, maps, slices, arrays, interfaces)
// and reports the path of the first float that is NaN or ±Inf, so a test of
// any package can prove no such value reaches JSON, CSV, XLSX or a page.
func CheckFinite(v any) error {
	return checkFinite(reflect.ValueOf(v), "$")
}

func checkFinite(v reflect.Value, path string) error {
	switch v.Kind() {
	case reflect.Float32, reflect.Float64:
		if f := v.Float(); math.IsNaN(f) || math.IsInf(f, 0) {
			return fmt.Errorf("analysis: %s is %v", path, f)
		}
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			return checkFinite(v.Elem(), path)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if !v.Type().Field(i).IsExported() {
				continue
			}
			if err := checkFinite(v.Field(i), path+"."+v.Type().Field(i).Name); err != nil {
				return err
			}
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			if err := checkFinite(v.Index(i), fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
	case reflect.Map:
		iter := v.MapRange()
		for iter.Next() {
			if err := checkFinite(iter.Value(), fmt.Sprintf("%s[%v]", path, iter.Key())); err != nil {
				return err
			}
		}
	}
	return nil
}

// nonFinite matches how Go, Excel and printf spell non-finite numbers.
var nonFinite = regexp.MustCompile(`(?i)(^|[^\p{L}])([+-]?inf(inity)?|nan)([^\p{L}]|$)`)

// NonFiniteText returns the spellings of NaN or ±Inf found in printed
// output (a CSV cell, a page, an XLSX cell's text), nil when there are none.
// Words merely containing the letters (e.g. "Informasi", "Kenanga") do not match.
func NonFiniteText(s string) []string {
	var out []string
	for _, m := range nonFinite.FindAllStringSubmatch(s, -1) {
		out = append(out, m[2])
	}
	return out
}
