package loadgen

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/qload/qload/runfolder"
)

// TestShardHelper is the body of one shard process of TestShardsMergeToTheSingleRun.
func TestShardHelper(t *testing.T) {
	spec := os.Getenv("QLOAD_LOADGEN_SHARD")
	if spec == "" {
		t.Skip("a helper process of TestShardsMergeToTheSingleRun")
	}
	shard, err := runfolder.ParseShard(spec)
	if err != nil {
		t.Fatal(err)
	}
	start, err := time.Parse(time.RFC3339Nano, os.Getenv("QLOAD_LOADGEN_START"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Run(context.Background(), shardOptions(os.Getenv("QLOAD_LOADGEN_TARGET"), os.Getenv("QLOAD_LOADGEN_OUT"), shard, start)); err != nil {
		t.Fatal(err)
	}
}

func shardOptions(target, out string, shard runfolder.Shard, start time.Time) Options {
	return Options{Target: target, Profile: journeyProfile(), SecretKey: testSecret, Out: out, Shard: shard, StartAt: start}
}

// TestShardsMergeToTheSingleRun runs the journeys as one run and as three shard processes
// started together, and checks that the shards' counts add up to the single run's and that
// their latency logs merge to as many answers.
func TestShardsMergeToTheSingleRun(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	e := startEdge(t, true)
	tmp := t.TempDir()
	single, err := Run(context.Background(), shardOptions(e.URL(), filepath.Join(tmp, "single"), runfolder.Shard{}, time.Time{}))
	if err != nil {
		t.Fatal(err)
	}
	const n = 3
	start := time.Now().Add(1500 * time.Millisecond)
	var cmds []*exec.Cmd
	for i := range n {
		cmd := exec.Command(os.Args[0], "-test.run=^TestShardHelper$")
		cmd.Env = append(os.Environ(), fmt.Sprintf("QLOAD_LOADGEN_SHARD=%d/%d", i, n), "QLOAD_LOADGEN_TARGET="+e.URL(),
			"QLOAD_LOADGEN_OUT="+filepath.Join(tmp, "shard"+strconv.Itoa(i)), "QLOAD_LOADGEN_START="+start.Format(time.RFC3339Nano))
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds = append(cmds, cmd)
	}
	for _, c := range cmds {
		if err := c.Wait(); err != nil {
			t.Fatal(err)
		}
	}
	sum := runfolder.Run{Outcomes: map[runfolder.Class]int64{}}
	var answers int64
	for i := range n {
		f, err := runfolder.Open(filepath.Join(tmp, "shard"+strconv.Itoa(i)))
		if err != nil {
			t.Fatal(err)
		}
		r := f.Run()
		if r.Shard != (runfolder.Shard{Index: i, Count: n}) || r.Interrupted {
			t.Fatalf("shard %d: run.json %+v", i, r)
		}
		sum.Intended += r.Intended
		sum.Sent += r.Sent
		sum.Visitors.Arrived += r.Visitors.Arrived
		for c, k := range r.Outcomes {
			sum.Outcomes[c] += k
		}
		ivs, err := f.Latency()
		if err != nil {
			t.Fatal(err)
		}
		for _, iv := range ivs {
			answers += iv.Histogram.TotalCount()
		}
	}
	if sum.Sent != single.Sent || sum.Intended != single.Intended || sum.Visitors.Arrived != single.Visitors.Arrived || answers != single.Sent {
		t.Fatalf("shards: sent %d, intended %d, arrived %d, %d answers logged; single run: sent %d, intended %d, arrived %d",
			sum.Sent, sum.Intended, sum.Visitors.Arrived, answers, single.Sent, single.Intended, single.Visitors.Arrived)
	}
	for _, c := range runfolder.Classes {
		if sum.Outcomes[c] != single.Outcomes[c] {
			t.Errorf("%s: shards %d, single run %d", c, sum.Outcomes[c], single.Outcomes[c])
		}
	}
}
