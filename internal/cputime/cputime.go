// Package cputime reads the CPU time the process has used. Benchmarks
// report throughput per CPU second beside wall time: unlike wall time, it
// holds still on a machine busy with other work.
package cputime
