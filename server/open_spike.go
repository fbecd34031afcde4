package server

import (
	"sync"
	"time"
)

// spikeWatch counts open-link submissions (stored or refused) per unit in
// 10-minute buckets over the last day, in memory, for the inspectorate's
// spike alert: a unit receiving many answers within an hour compared with
// its usual rate is worth a look even when every answer passed the caps.
type spikeWatch struct {
	mu    sync.Mutex
	units map[[2]int64]*arrivals // (period id, unit id)
}

const (
	spikeBucket  = 10 * time.Minute
	spikeBuckets = 144 // one day
	spikeWindow  = 6   // buckets: one hour
	// spikeMin is the fewest arrivals in an hour that make a spike, and
	// spikeFactor how many times the unit's usual hourly rate they must be.
	spikeMin    = 20
	spikeFactor = 5
)

type arrivals struct {
	n     [spikeBuckets]int
	stamp [spikeBuckets]int64 // bucket number (unix time / spikeBucket) the count belongs to
}

// record counts one arrival at the unit.
func (w *spikeWatch) record(period, unit int64, now time.Time) {
	b := now.Unix() / int64(spikeBucket/time.Second)
	w.mu.Lock()
	defer w.mu.Unlock()
	a := w.units[[2]int64{period, unit}]
	if a == nil {
		a = &arrivals{}
		w.units[[2]int64{period, unit}] = a
	}
	i := b % spikeBuckets
	if a.stamp[i] != b {
		a.stamp[i], a.n[i] = b, 0
	}
	a.n[i]++
}

// peak is the most arrivals at the unit within one hour (six consecutive
// buckets) over the last day, and when that hour ended.
func (w *spikeWatch) peak(period, unit int64, now time.Time) (int, time.Time) {
	cur := now.Unix() / int64(spikeBucket/time.Second)
	w.mu.Lock()
	defer w.mu.Unlock()
	a := w.units[[2]int64{period, unit}]
	if a == nil {
		return 0, time.Time{}
	}
	count := func(b int64) int {
		i := b % spikeBuckets
		if a.stamp[i] == b {
			return a.n[i]
		}
		return 0
	}
	best, at, sum := 0, int64(0), 0
	for b := cur - spikeBuckets + 1; b <= cur; b++ {
		sum += count(b)
		if b-spikeWindow >= cur-spikeBuckets+1 {
			sum -= count(b - spikeWindow)
		}
		if sum > best {
			best, at = sum, b
		}
	}
	if best == 0 {
		return 0, time.Time{}
	}
	return best, time.Unix((at+1)*int64(spikeBucket/time.Second), 0)
}

// isSpike decides from the peak hour and the unit's usual hourly rate.
func isSpike(peak int, usualPerHour float64) bool {
	return peak >= spikeMin && float64(peak) >= spikeFactor*usualPerHour
}
