package verify

import (
	"context"
	"fmt"
)

// counters checks the tblLastChatId row of each target room whose history
// the jobs compared and that holds messages: Persistent Chat gives a new
// message the chat ID after the room's counter (moved in the same
// transaction as the insert), so a counter behind the room's highest chat
// ID, or none, makes the room's next messages take chat IDs its history
// holds. The import moves the counter to the last message it writes; a
// history that arrived with its counter behind is not one users can post
// after. Each target room is checked once, however many source rooms went
// into it; a room the archive brought no message for is not checked.
func (c *comparison) counters(ctx context.Context, jobs []*msgJob) error {
	var rooms []int32
	byRoom := map[int32]*msgJob{}
	for _, j := range jobs {
		if c.counted[j.tgt] || j.rg.none {
			continue // checked, or the archive brought it no message
		}
		c.counted[j.tgt] = true
		rooms = append(rooms, j.tgt)
		byRoom[j.tgt] = j
	}
	if len(rooms) == 0 {
		return nil
	}
	// The higher of each room's counter and its highest chat ID.
	highest, err := c.t.store.LastChatIDs(ctx, rooms)
	if err != nil {
		return fmt.Errorf("verify: %w", err)
	}
	for _, id := range rooms {
		high := highest[id]
		counter := c.t.stats[id].LastChatID
		if high == 0 || counter >= high {
			continue
		}
		d := byRoom[id].d
		if _, ok := c.t.stats[id]; !ok || counter == 0 {
			d.add(DiffChatCounter, "no tblLastChatId row (or 0), while its messages hold chat IDs up to %d: Persistent Chat would give its next message a chat ID its history holds", high)
			continue
		}
		d.add(DiffChatCounter, "tblLastChatId holds %d, while its messages hold chat IDs up to %d: Persistent Chat would give its next message a chat ID its history holds", counter, high)
	}
	return nil
}
