package export

import (
	"reflect"
	"testing"
)

func TestHide(t *testing.T) {
	cases := []struct {
		name   string
		counts []int
		k      int
		want   map[int]string
	}{
		{"all large", []int{10, 20, 30}, 5, map[int]string{}},
		{"empty cells are not cells", []int{0, 20, 30}, 5, map[int]string{}},
		{"one small hides the next smallest", []int{3, 20, 8, 30}, 5, map[int]string{0: OutMinGroup, 2: OutComplementary}},
		{"two small holding k need nothing more", []int{3, 2, 20, 30}, 5, map[int]string{0: OutMinGroup, 1: OutMinGroup}},
		{"two small under k hide one more", []int{1, 2, 20, 6}, 5, map[int]string{0: OutMinGroup, 1: OutMinGroup, 3: OutComplementary}},
		{"everything small", []int{1, 2}, 5, map[int]string{0: OutMinGroup, 1: OutMinGroup}},
		{"single cell under k", []int{4}, 5, map[int]string{0: OutMinGroup}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := hide(c.counts, c.k); !reflect.DeepEqual(got, c.want) {
				t.Errorf("hide(%v, %d) = %v, want %v", c.counts, c.k, got, c.want)
			}
		})
	}
}

func TestPlanGroupsPerType(t *testing.T) {
	counts := map[string]map[string]int{
		"A": {"internal": 4, "external": 50},
		"B": {"internal": 30, "external": 60},
		"C": {"internal": 9, "external": 70},
	}
	got := planGroups(counts, []string{"A", "B", "C"}, []string{"internal", "external", "expert"}, 5)
	want := map[[2]string]string{{"A", "internal"}: OutMinGroup, {"C", "internal"}: OutComplementary}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("planGroups = %v, want %v", got, want)
	}
}
