package export

import "testing"

func TestSafeCell(t *testing.T) {
	for in, want := range map[string]string{"": "", "abc": "abc", "=1": "'=1", "+1": "'+1", "-1": "'-1", "@x": "'@x",
		"\tx": "'\tx", "\rx": "'\rx", " =1": " =1", "a=1": "a=1", "'=1": "'=1", "=HYPERLINK(\"x\")": "'=HYPERLINK(\"x\")"} {
		if got := SafeCell(in); got != want {
			t.Errorf("SafeCell(%q) = %q, want %q", in, got, want)
		}
	}
}
