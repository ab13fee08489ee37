package lab

import (
	"errors"
	"fmt"
	"strings"
)

// Options say what Init writes. Zero fields take the values of
// DefaultOptions, except Seed, for which zero is a seed like any other.
type Options struct {
	Users      int   // user principals, pcadmin and disabled or deleted users included (at least 12)
	Categories int   // categories (at least 1)
	Rooms      int   // rooms, spread over the categories (at least 1)
	Messages   int   // messages in total, exactly (at least 1)
	Seed       int64 // everything generated derives from it
	Overwrite  bool  // replace an existing estate (and reset its run state)

	Name            string // estate name, shown in plans and reports
	Domain          string // SIP and AD domain
	Site            string // the central site holding both pools
	SourcePool      string // 2015 Persistent Chat pool FQDN
	TargetPool      string // 2019 Persistent Chat pool FQDN
	SourceRegistrar string // 2015 Front End pool FQDN, where every user is homed
	TargetRegistrar string // 2019 Front End pool FQDN
	SourceSQL       string // 2015 back end, host\instance
	TargetSQL       string // 2019 back end, host\instance
	FileStore       string // file server of the Persistent Chat file store
	Admin           string // local part of the administrator added as creator everywhere
}

// DefaultOptions returns the default lab: 60 users, 6 categories, 24 rooms
// and 5,000 messages at Contoso, site Redmond.
func DefaultOptions() Options {
	return Options{
		Users: 60, Categories: 6, Rooms: 24, Messages: 5000,
		Name:            "Contoso lab",
		Domain:          "contoso.com",
		Site:            "Redmond",
		SourcePool:      "pchat15.contoso.com",
		TargetPool:      "pchat19.contoso.com",
		SourceRegistrar: "fe15.contoso.com",
		TargetRegistrar: "fe19.contoso.com",
		SourceSQL:       `sql15.contoso.com\rtc`,
		TargetSQL:       `sql19.contoso.com\rtc`,
		FileStore:       "fs01.contoso.com",
		Admin:           "pcadmin",
	}
}

// MinUsers is the smallest number of users a lab holds: the administrator,
// the named users and enough others for every kind of access list.
const MinUsers = 12

// withDefaults fills zero fields from DefaultOptions. Host names follow a
// changed Domain unless given.
func (o Options) withDefaults() Options {
	d := DefaultOptions()
	if o.Domain != "" && o.Domain != d.Domain {
		for _, p := range []*string{&d.SourcePool, &d.TargetPool, &d.SourceRegistrar, &d.TargetRegistrar,
			&d.SourceSQL, &d.TargetSQL, &d.FileStore} {
			*p = strings.Replace(*p, d.Domain, o.Domain, 1)
		}
	}
	num := func(v *int, def int) {
		if *v == 0 {
			*v = def
		}
	}
	str := func(v *string, def string) {
		if strings.TrimSpace(*v) == "" {
			*v = def
		}
	}
	num(&o.Users, d.Users)
	num(&o.Categories, d.Categories)
	num(&o.Rooms, d.Rooms)
	num(&o.Messages, d.Messages)
	str(&o.Name, d.Name)
	str(&o.Domain, d.Domain)
	str(&o.Site, d.Site)
	str(&o.SourcePool, d.SourcePool)
	str(&o.TargetPool, d.TargetPool)
	str(&o.SourceRegistrar, d.SourceRegistrar)
	str(&o.TargetRegistrar, d.TargetRegistrar)
	str(&o.SourceSQL, d.SourceSQL)
	str(&o.TargetSQL, d.TargetSQL)
	str(&o.FileStore, d.FileStore)
	str(&o.Admin, d.Admin)
	return o
}

// MaxCount is the largest count of users, categories, rooms or messages a
// lab takes: it keeps a lab within what the embedded store builds in seconds.
const MaxCount = 10_000_000

func (o Options) validate() error {
	var errs []error
	for _, c := range []struct {
		name     string
		v, least int
	}{
		{"users", o.Users, MinUsers}, {"categories", o.Categories, 1}, {"rooms", o.Rooms, 1}, {"messages", o.Messages, 1},
	} {
		if c.v < c.least || c.v > MaxCount {
			errs = append(errs, fmt.Errorf("lab: %s: %d is out of range: want %d to %d", c.name, c.v, c.least, MaxCount))
		}
	}
	if !validLocalPart(o.Admin) {
		errs = append(errs, fmt.Errorf("lab: administrator %q: want a SIP local part of letters, digits, '.', '-' or '_'", o.Admin))
	}
	if strings.ContainsAny(o.Domain, " ,=/\\@") || !strings.Contains(o.Domain, ".") {
		errs = append(errs, fmt.Errorf("lab: domain %q is not a DNS domain", o.Domain))
	}
	return errors.Join(errs...)
}

func validLocalPart(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}
