package store

import "context"

// setChunk is how many rows one set-based write (insertSet,
// insertIdentity) takes at most. The structure of a 20,000-room pool is
// 20,000 nodes and 200,000 role rows: built as one row set each, their
// column values were 10 to 14 MB of live heap at the import's peak
// (heap profile of the big estate). In chunks they are a few hundred KB,
// at the cost of one more staging round trip per chunk on SQL Server.
const setChunk = 5000

// chunkedSet writes a row set in chunks of setChunk rows as they are
// added, and counts the rows written.
type chunkedSet struct {
	rs    rowSet
	write func(context.Context, querier, rowSet) (int64, error)
	n     int64
}

// add appends a row, writing the chunk once it is full.
func (c *chunkedSet) add(ctx context.Context, q querier, row []any) error {
	c.rs.rows = append(c.rs.rows, row)
	if len(c.rs.rows) >= setChunk {
		return c.flush(ctx, q)
	}
	return nil
}

// flush writes the rows added since the last write.
func (c *chunkedSet) flush(ctx context.Context, q querier) error {
	if len(c.rs.rows) == 0 {
		return nil
	}
	n, err := c.write(ctx, q, c.rs)
	c.n += n
	clear(c.rs.rows)
	c.rs.rows = c.rs.rows[:0]
	return err
}
