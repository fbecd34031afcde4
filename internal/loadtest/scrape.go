package loadtest

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// newScrapeToken makes the child's /metrics scrape token
// (INTEGRITAS_METRICS_TOKEN: at least 32 characters), so the bench reads
// the committer's counters without an admin account.
func newScrapeToken() string {
	b := make([]byte, 24)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// commitCounters are the answer writer's counters at one moment.
type commitCounters struct {
	Stored, Commits int64
}

// scrapeCommits reads integritas_committer_stored_total and
// integritas_committer_commits_total from the server's /metrics.
func scrapeCommits(ctx context.Context, c *Client, token string) (commitCounters, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.Base+"/metrics", nil)
	if err != nil {
		return commitCounters{}, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return commitCounters{}, fmt.Errorf("loadtest: scrape /metrics: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return commitCounters{}, fmt.Errorf("loadtest: scrape /metrics: status %d", resp.StatusCode)
	}
	var b bytes.Buffer
	b.ReadFrom(resp.Body)
	return parseCommits(b.String())
}

// parseCommits picks the committer's counters from a Prometheus text
// exposition.
func parseCommits(text string) (commitCounters, error) {
	var out commitCounters
	var seen int
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		name, val, ok := strings.Cut(sc.Text(), " ")
		var dst *int64
		switch name {
		case "integritas_committer_stored_total":
			dst = &out.Stored
		case "integritas_committer_commits_total":
			dst = &out.Commits
		}
		if !ok || dst == nil {
			continue
		}
		f, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
		if err != nil {
			return out, fmt.Errorf("loadtest: metric %s: %w", name, err)
		}
		*dst, seen = int64(f), seen+1
	}
	if seen != 2 {
		return out, fmt.Errorf("loadtest: /metrics lacks the committer's counters")
	}
	return out, nil
}
