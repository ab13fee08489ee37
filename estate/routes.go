package estate

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/pcmig/pcmig/fqdn"
	"github.com/pcmig/pcmig/fsguard"
	"github.com/pcmig/pcmig/textenc"
)

// Routes: one source's categories routed to several target pools, one
// estate per target (docs/estate.md, "Categories routed to several
// pools"). routes maps each target pool's FQDN to the categories it gets:
//
//	routes = {
//	  ["pchat19-emea.contoso.com"] = { "Engineering", "Sales" },
//	  ["pchat19-amer.contoso.com"] = { "Finance", "Support" },
//	  successor = "pchat19-amer.contoso.com",
//	}
//
// successor names the one target pool that takes the source pool's place
// for what is not routed by category: the source's users move to it (its
// estate alone gives target.registrar) and the source's endpoints (the
// legacy clients' SIP address, one pool's at a time) move to it (the other
// estates' runs leave them: migrate.lua). An estate of another target that
// gives target.registrar is refused when it is loaded, whichever runs
// first.
//
// or names a file that returns that table (routes = "routes.lua"), so that
// every estate of the routing reads one table. A category named twice (in
// one pool's list or in two) is refused when the estate is loaded, and so
// is an estate whose target the table gives no categories; the estate's
// export.scope is its target's list. That every source category is named
// (and no unknown one) needs the source's database: migrate.lua checks it
// before its first step.

// loadRoutes reads e.RoutesRaw (the estate file's routes: a table, or the
// path of a file returning one) into e.Routes, checks it, and makes the
// estate's export scope its target's list. src is the estate file's text.
func (e *Estate) loadRoutes(ctx context.Context, src []byte) error {
	if e.RoutesRaw == nil {
		return nil
	}
	// lineIn is "line N: " in the text the table was read from; prefix
	// names the routes file when it was read from one.
	prefix := ""
	lineIn := func(at []step) string { return lineAt(src, append([]step{{key: "routes"}}, at...)) }
	var table map[string]any
	switch v := e.RoutesRaw.(type) {
	case string:
		path := e.Path(strings.TrimSpace(v))
		if path == "" {
			return errors.New(lineAt(src, []step{{key: "routes"}}) + "routes: want a table of target pools and their categories, or the file that returns one")
		}
		data, err := fsguard.ReadFile(path, fsguard.MaxEstate, "routes")
		if err != nil {
			return err
		}
		if data, _, _, err = textenc.Decode(data); err != nil {
			return fmt.Errorf("routes %s: %w", path, err)
		}
		raw, err := eval(ctx, path, data)
		if err != nil {
			var ve *valueError
			if errors.As(err, &ve) {
				return fmt.Errorf("routes %s: %s", path, where(data, ve))
			}
			// eval names the file it read "estate PATH": this one is the
			// routes file.
			if msg, ok := strings.CutPrefix(err.Error(), "estate "+path); ok {
				return &routesError{msg: "routes " + path + msg, err: err}
			}
			return err
		}
		table, e.RoutesFile = raw, path
		prefix = fmt.Sprintf("routes %s: ", path)
		lineIn = func(at []step) string { return lineAt(data, at) }
	case map[string]any:
		table = v
	default:
		return errors.New(lineAt(src, []step{{key: "routes"}}) + "routes: want a table of target pools and their categories, or the file that returns one")
	}
	var probs []string
	if len(e.Sources) > 0 {
		probs = append(probs, "routes: routes send one source's categories to several targets; an estate with sources (several sources into one target) takes none")
	}
	if len(e.Export.Scope) > 0 {
		probs = append(probs, lineAt(src, []step{{key: "export"}, {key: "scope"}})+
			"export.scope: with routes, the estate's scope is its target's list in routes; give the categories there only")
	}
	line := func(at []step) string { return prefix + lineIn(at) }
	type named struct{ name, line, pool string }
	var seen []named
	routes := map[string][]string{}
	keyLine := map[string]string{} // a pool's first key's line
	keys := make([]string, 0, len(table))
	for k := range table {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	successor, successorKey := "", ""
	for _, k := range keys {
		if strings.EqualFold(strings.TrimSpace(k), successorName) {
			if successorKey != "" {
				probs = append(probs, line([]step{{key: k}})+"routes: successor is given twice (compared without case)")
			}
			successorKey = k
			continue
		}
		pool := strings.TrimSuffix(strings.ToLower(strings.TrimSpace(k)), ".")
		if !fqdn.Valid(pool) {
			probs = append(probs, line([]step{{key: k}})+"routes: a key is not a pool's FQDN (letters, digits, hyphens and dots, as pchat19.contoso.com)")
			continue
		}
		if _, dup := routes[pool]; dup {
			also := ""
			if l := strings.TrimSuffix(keyLine[pool], ": "); l != "" {
				also = ", here and at " + l
			}
			probs = append(probs, line([]step{{key: k}})+"routes: one target pool is given twice"+also+" (compared without case or a trailing dot)")
			continue
		}
		keyLine[pool] = lineIn([]step{{key: k}})
		if e.Source != nil && pool == strings.TrimSuffix(strings.ToLower(strings.TrimSpace(e.Source.Pool)), ".") {
			probs = append(probs, line([]step{{key: k}})+"routes: a key is the source pool: routes name the target pools the source's categories go to")
			continue
		}
		list, ok := table[k].([]any)
		if !ok || len(list) == 0 {
			probs = append(probs, line([]step{{key: k}})+"routes: want a list of the source's category names for each target pool")
			continue
		}
		var names []string
		for i, v := range list {
			at, in := line([]step{{key: k}, {index: i + 1}}), lineIn([]step{{key: k}, {index: i + 1}})
			s, ok := v.(string)
			if !ok || strings.TrimSpace(s) == "" {
				probs = append(probs, at+"routes: want a category name (a string)")
				continue
			}
			dup := false
			for _, o := range seen {
				if strings.EqualFold(o.name, s) {
					where := "another pool's list"
					if o.pool == pool {
						where = "the same list"
					}
					also := "another place"
					if o.line != "" {
						also = strings.TrimSuffix(o.line, ": ")
					}
					probs = append(probs, fmt.Sprintf("%sroutes: a category is named twice, here and at %s, in %s (compared without case): a category belongs to exactly one pool; route it once",
						at, also, where))
					dup = true
					break
				}
			}
			if !dup {
				seen = append(seen, named{name: s, line: in, pool: pool})
				names = append(names, s)
			}
		}
		routes[pool] = names
	}
	target := strings.TrimSuffix(strings.ToLower(strings.TrimSpace(e.Target.Pool)), ".")
	if _, ok := routes[target]; !ok && len(probs) == 0 {
		probs = append(probs, lineAt(src, []step{{key: "target"}, {key: "pool"}})+
			"target.pool: routes gives this estate's target no categories: each estate of a routing migrates the categories routes gives its target")
	}
	// The successor: one pool of the routing, named in the shared table.
	if successorKey == "" {
		if prefix != "" {
			probs = append(probs, strings.TrimSuffix(prefix, ": ")+": routes: "+successorWanted)
		} else {
			probs = append(probs, lineAt(src, []step{{key: "routes"}})+"routes: "+successorWanted)
		}
	} else if s, ok := table[successorKey].(string); !ok || strings.TrimSpace(s) == "" {
		probs = append(probs, line([]step{{key: successorKey}})+"routes: successor: want the FQDN of one target pool of the routing, as a string")
	} else {
		successor = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(s)), ".")
		if _, ok := routes[successor]; !ok && len(probs) == 0 {
			probs = append(probs, line([]step{{key: successorKey}})+
				"routes: successor: not one of the routing's target pools: the successor is the target pool, among those routes gives categories, that takes the source's users and endpoints")
		}
	}
	if successor != "" && target != successor && e.Target.Registrar != "" && len(probs) == 0 {
		probs = append(probs, lineAt(src, []step{{key: "target"}, {key: "registrar"}})+
			fmt.Sprintf("target.registrar: routes make %s the successor of %s, whose estate alone moves the source's users: "+
				"leave registrar out of this estate's target (two estates would each move every user of the source's registrar), or make this pool the successor", successor, sourcePool(e)))
	}
	if len(probs) > 0 {
		return errors.New(strings.Join(probs, "; "))
	}
	e.Routes = routes
	e.Successor = successor
	e.Export.Scope = routes[target]
	return nil
}

// routesError is an error of the routes file's evaluation, named as the
// routes file's; Unwrap gives the evaluation's error (a cancelled run's).
type routesError struct {
	msg string
	err error
}

func (r *routesError) Error() string { return r.msg }
func (r *routesError) Unwrap() error { return r.err }

// successorName is routes' key naming the successor pool.
const successorName = "successor"

const successorWanted = `name the successor, the one target pool that takes the source pool's users and endpoints ` +
	`(successor = "pchat19.contoso.com" beside the pools' lists): each estate of the routing reads it, and only that pool's estate moves them`

// sourcePool is the estate's source pool, for messages.
func sourcePool(e *Estate) string {
	if e.Source == nil {
		return "the source pool"
	}
	return e.Source.Pool
}
