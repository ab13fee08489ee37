//go:build !linux

package verify_test

import "errors"

func resetPeakRSS() error      { return errors.New("peak RSS: Linux only") }
func peakRSS() (uint64, error) { return 0, errors.New("peak RSS: Linux only") }
