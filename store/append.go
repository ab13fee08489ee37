package store

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"sort"

	"github.com/pcmig/pcmig/numtext"
	"github.com/pcmig/pcmig/pchat"
)

// RoomMessages is a run of messages for one room.
type RoomMessages struct {
	Room int32
	Msgs []pchat.Message
	// checked is the Store whose CheckRoomMessages checked Msgs' text:
	// AppendRoomMessages of that Store does not check them again.
	checked *Store
}

// CheckRoomMessages checks the text of a run's messages as
// AppendRoomMessages does (checkMessages, the same error) and returns the
// run marked as checked, so that AppendRoomMessages of this Store does not
// check it again. A caller that decodes on one goroutine and writes on
// another checks on the first: the import's writing goroutine spent 7% of
// its time checking text. Msgs' text must not change afterwards.
func (s *Store) CheckRoomMessages(r RoomMessages) (RoomMessages, error) {
	if err := s.checkMessages(r.Room, r.Msgs); err != nil {
		return RoomMessages{}, s.wrap("append messages", err)
	}
	r.checked = s
	return r, nil
}

// LastChatID returns a room's tblLastChatId.lastChatID, or the highest
// chatId in tblChat when that is larger (or the row is absent).
func (s *Store) LastChatID(ctx context.Context, room int32) (int64, error) {
	lasts, err := s.lastChatIDs(ctx, s.q(), []int32{room}, false)
	return lasts[room], s.wrap("read tblLastChatId", err)
}

// lastChatIDs reads the rooms' counters from q and their highest chat IDs
// from the history (q itself, or the real database in a dry run): one
// statement each per 500 rooms, every row a primary-key seek. With lock
// (the reads of an append's transaction) both take update range locks
// held to the end of the transaction (the dialect's lockHint), so that
// another writer waits instead of taking the same chat IDs between these
// reads and the insert. A dry run's history is read without them: it is
// read outside any transaction.
func (s *Store) lastChatIDs(ctx context.Context, q querier, rooms []int32, lock bool) (map[int32]int64, error) {
	out := make(map[int32]int64, len(rooms))
	hq := q
	if s.sim != nil {
		hq = s.histQ()
	}
	hd := s.histDialect
	lastHint, chatHint := "", ""
	if lock {
		lastHint = s.dialect.lockHint()
		if s.sim == nil {
			chatHint = hd.lockHint()
		}
	}
	err := inLists(rooms, func(marks string, list []any) error {
		if err := scanLasts(ctx, q, out, `SELECT nodeID, MAX(lastChatID) FROM tblLastChatId`+lastHint+` WHERE nodeID IN (`+marks+`) GROUP BY nodeID`, list); err != nil {
			return err
		}
		from, id := hd.valuesTable(len(list))
		return scanLasts(ctx, hq, out, `SELECT `+id+`, (SELECT MAX(chatId) FROM tblChat`+chatHint+` WHERE channelId = `+id+`) FROM `+from, list)
	})
	for room := range out {
		if s.sim.removed(room) {
			delete(out, room)
		}
	}
	return out, err
}

// scanLasts keeps the highest value per room of a (room, value) query.
func scanLasts(ctx context.Context, q querier, out map[int32]int64, query string, args []any) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var room int32
		var v sql.NullInt64
		if err := rows.Scan(&room, &v); err != nil {
			return err
		}
		if v.Valid && v.Int64 > out[room] {
			out[room] = v.Int64
		}
	}
	return rows.Err()
}

// AppendMessages appends messages to one room in the given order, in one
// transaction: each gets the next chatId after the room's tblLastChatId,
// and tblLastChatId is moved to the last one. The messages' own ChatID and
// RoomID are ignored; Date, UserID, Alert, Content and RTF are kept. It
// returns the chatId given to the first message. A dry run moves only its
// scratch copy's tblLastChatId: the history is never copied.
func (s *Store) AppendMessages(ctx context.Context, room int32, msgs []pchat.Message) (int64, error) {
	if len(msgs) == 0 {
		return 0, nil
	}
	firsts, err := s.AppendRoomMessages(ctx, []RoomMessages{{Room: room, Msgs: msgs}})
	if err != nil {
		return 0, err
	}
	return firsts[0], nil
}

// AppendRoomMessages is AppendMessages for runs of several rooms in one
// transaction (a room may have several runs, appended in order): one
// write, one bulk copy on SQL Server, whatever the number of rooms. It
// returns the chat ID given to the first message of each run (0 for an
// empty run).
func (s *Store) AppendRoomMessages(ctx context.Context, runs []RoomMessages) ([]int64, error) {
	rooms, total, err := s.checkRuns(runs)
	if err != nil {
		return nil, s.wrap("append messages", err)
	}
	if total == 0 {
		return make([]int64, len(runs)), nil
	}
	op := fmt.Sprintf("append %s to %s", numtext.Count(total, "message", "messages"), numtext.Count(len(rooms), "room", "rooms"))
	if len(rooms) == 1 {
		op = fmt.Sprintf("append %s to room %d", numtext.Count(total, "message", "messages"), rooms[0])
	}
	var firsts []int64
	s.prepareAppend(ctx)
	err = s.write(ctx, op, func(q querier) error {
		ins := s.inserter(q)
		var err error
		if firsts, err = s.appendRuns(ctx, q, ins, runs, rooms, total); err != nil {
			return err
		}
		return ins.finish(ctx)
	})
	if err != nil {
		return nil, err
	}
	return firsts, nil
}

// checkRuns checks the text of runs not checked by s already
// (CheckRoomMessages) and returns their rooms, each once, and how many
// messages they hold.
func (s *Store) checkRuns(runs []RoomMessages) (rooms []int32, total int, err error) {
	seen := map[int32]bool{}
	for _, r := range runs {
		if r.checked != s {
			if err := s.checkMessages(r.Room, r.Msgs); err != nil {
				return nil, 0, err
			}
		}
		total += len(r.Msgs)
		if !seen[r.Room] && len(r.Msgs) > 0 {
			seen[r.Room] = true
			rooms = append(rooms, r.Room)
		}
	}
	return rooms, total, nil
}

// appendRuns appends runs (of rooms, holding total messages) inside the
// transaction of q, through ins, and returns the chat ID of each run's
// first message.
func (s *Store) appendRuns(ctx context.Context, q querier, ins *chatInserter, runs []RoomMessages, rooms []int32, total int) ([]int64, error) {
	firsts := make([]int64, len(runs))
	lasts, err := s.lastChatIDs(ctx, q, rooms, true)
	if err != nil {
		return nil, err
	}
	all := ins.rows(total)
	held := len(all) // rows of earlier groups of the transaction
	for i, r := range runs {
		if len(r.Msgs) == 0 {
			continue
		}
		if lasts[r.Room] > math.MaxInt64-int64(len(r.Msgs)) {
			return nil, fmt.Errorf("room %d: its chat IDs end at %d: %s after it would pass the largest chat ID, %d",
				r.Room, lasts[r.Room], numtext.Count(len(r.Msgs), "message", "messages"), int64(math.MaxInt64))
		}
		firsts[i] = lasts[r.Room] + 1
		for k := range r.Msgs {
			r.Msgs[k].RoomID = r.Room
			r.Msgs[k].ChatID = firsts[i] + int64(k)
		}
		lasts[r.Room] += int64(len(r.Msgs))
		all = append(all, r.Msgs...)
	}
	if s.sim == nil {
		add := all[held:]
		sort.SliceStable(add, func(i, j int) bool { return add[i].RoomID < add[j].RoomID })
		if err := ins.insert(ctx, all); err != nil {
			return nil, err
		}
	}
	set := make(map[int32]int64, len(rooms))
	for _, room := range rooms {
		set[room] = lasts[room]
	}
	return firsts, s.dialect.setLastChatIDs(ctx, q, set)
}

// LastChatIDs is LastChatID for many rooms, read in a few statements.
func (s *Store) LastChatIDs(ctx context.Context, rooms []int32) (map[int32]int64, error) {
	lasts, err := s.lastChatIDs(ctx, s.q(), rooms, false)
	return lasts, s.wrap("read tblLastChatId", err)
}
