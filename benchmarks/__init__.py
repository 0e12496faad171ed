"""Speed and memory benchmarks (``make bench``); they print ratios and never assert timings."""
