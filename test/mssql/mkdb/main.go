// Command mkdb creates a scratch database for pcmig's SQL Server tests on
// a test server (test/mssql/run.sh): CREATE DATABASE with the given
// collation, unless it exists. It never touches a database it did not
// create: the tests themselves refuse a database holding a pool.
package main

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"os"
	"regexp"
	"time"

	_ "github.com/microsoft/go-mssqldb" // the sqlserver driver
)

// ident is what a database or collation name may be here.
var ident = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]{0,100}$`)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "mkdb:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("mkdb", flag.ContinueOnError)
	dsn := fs.String("dsn", "", "sqlserver:// URL of the server (its master database)")
	name := fs.String("db", "", "database to create")
	collation := fs.String("collation", "SQL_Latin1_General_CP1_CI_AS", "the database's collation")
	wait := fs.Duration("wait", 2*time.Minute, "how long to wait for the server to accept logins")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *dsn == "" || !ident.MatchString(*name) || !ident.MatchString(*collation) {
		return errors.New("want --dsn URL --db NAME [--collation NAME] (names of letters, digits and _)")
	}
	db, err := sql.Open("sqlserver", *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), *wait)
	defer cancel()
	for {
		if err = db.PingContext(ctx); err == nil || ctx.Err() != nil {
			break
		}
		time.Sleep(2 * time.Second)
	}
	if err != nil {
		return fmt.Errorf("the server does not accept logins: %w", err)
	}
	var exists int
	if err := db.QueryRowContext(ctx, `SELECT CASE WHEN DB_ID(@p1) IS NULL THEN 0 ELSE 1 END`, *name).Scan(&exists); err != nil {
		return err
	}
	if exists == 1 {
		fmt.Printf("database %s exists\n", *name)
		return nil
	}
	if _, err := db.ExecContext(ctx, fmt.Sprintf("CREATE DATABASE [%s] COLLATE %s", *name, *collation)); err != nil {
		return err
	}
	fmt.Printf("created database %s (%s)\n", *name, *collation)
	return nil
}
