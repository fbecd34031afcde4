package analysis

import (
	"runtime"
	"sync"
)

// parallel calls f(worker, i) for i in [0, n) on GOMAXPROCS goroutines;
// results must be written by index so they do not depend on scheduling.
func parallel(n int, f func(worker, i int)) {
	workers := min(n, max(1, runtime.GOMAXPROCS(0)))
	if workers <= 1 {
		for i := range n {
			f(0, i)
		}
		return
	}
	var wg sync.WaitGroup
	next := make(chan int, n)
	for i := range n {
		next <- i
	}
	close(next)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				f(w, i)
			}
		}()
	}
	wg.Wait()
}

// workers is the number of goroutines parallel uses.
func workers() int { return max(1, runtime.GOMAXPROCS(0)) }
