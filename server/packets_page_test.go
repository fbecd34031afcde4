package server

import (
	"regexp"
	"testing"
)

// TestPacketsPageSizesAndProgress: built packets show their size as a
// person reads it, and while a build runs the page shows its progress and
// refreshes itself (a script polls; without JavaScript, <noscript> refresh).
func TestPacketsPageSizesAndProgress(t *testing.T) {
	e := newTestEnv(t)
	insp := e.loginAs("inspector")
	e.run([]scenario{{name: "build", method: "POST", path: "/inspectorate/SPI-T/packets/build", header: insp, body: form("lang", "id"), wantStatus: 200}})
	if j := e.waitJob("SPI-T"); j.Err != "" || j.Done != 3 {
		t.Fatalf("job = %+v", j)
	}
	_, body, _ := e.do("GET", "/inspectorate/SPI-T/packets", "", insp)
	if !regexp.MustCompile(` · [0-9]+,[0-9] (kB|MB)<br>`).MatchString(body) || regexp.MustCompile(`[0-9] B<br>`).MatchString(body) {
		t.Errorf("packet sizes not human-readable:\n%s", body)
	}
	e.srv.insp.mu.Lock()
	e.srv.insp.jobs["SPI-T"] = &buildJob{Lang: "id", Done: 1, Total: 3, Running: true}
	e.srv.insp.mu.Unlock()
	e.run([]scenario{{name: "building", path: "/inspectorate/SPI-T/packets", header: insp, wantStatus: 200,
		want: []string{`id="job-status" data-running="true"`, `<progress value="1" max="3">`, `<noscript><meta http-equiv="refresh" content="5"></noscript>`, `/static/packets.js`}}})
	e.srv.insp.mu.Lock()
	e.srv.insp.jobs["SPI-T"].Running = false
	e.srv.insp.mu.Unlock()
	e.run([]scenario{{name: "built", path: "/inspectorate/SPI-T/packets", header: insp, wantStatus: 200, notWant: []string{"http-equiv", "packets.js"}}})
}
