// Package proc tells whether a process still runs, so that what a killed
// pcmig left (a scratch folder, a temporary file it recorded) can be told
// from what a running one is still using.
package proc
