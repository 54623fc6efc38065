package cli

import (
	"fmt"
	"os"
	"strconv"

	"github.com/smarthook/smarthook/internal/input"
	"github.com/spf13/pflag"
)

// shardIndexEnv is the variable a Kubernetes Indexed Job sets to each pod's index.
const shardIndexEnv = "JOB_COMPLETION_INDEX"

// addShardFlags declares --shard I/N and --shard-count N (the index then taken from
// JOB_COMPLETION_INDEX) into s.
func addShardFlags(f *pflag.FlagSet, s *input.Shard) {
	st := &shardState{s: s}
	f.Var(&shardValue{st}, "shard",
		"process only shard I of N (I/N, I from 0): N workers given the same inputs process every document once, split by chat")
	f.Var(&shardCountValue{st}, "shard-count",
		"split into N shards and process the one "+shardIndexEnv+" names (as a Kubernetes Indexed Job sets it)")
}

// shardState is what the two shard flags set, in whichever order they come.
type shardState struct {
	s        *input.Shard
	explicit bool // --shard was given
}

type shardValue struct{ st *shardState }

func (v *shardValue) String() string { return v.st.s.String() }
func (v *shardValue) Type() string   { return "I/N" }
func (v *shardValue) Set(s string) error {
	sh, err := input.ParseShard(s)
	if err != nil {
		return err
	}
	if v.st.s.Count > 0 && v.st.s.Count != sh.Count {
		return fmt.Errorf("shard %s does not match --shard-count %d", s, v.st.s.Count)
	}
	*v.st.s, v.st.explicit = sh, true
	return nil
}

type shardCountValue struct{ st *shardState }

func (v *shardCountValue) String() string {
	if v.st.s.Count == 0 {
		return "0"
	}
	return strconv.Itoa(v.st.s.Count)
}
func (v *shardCountValue) Type() string { return "int" }
func (v *shardCountValue) Set(s string) error {
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return fmt.Errorf("%q is not a shard count (1 or more)", s)
	}
	if v.st.explicit {
		if v.st.s.Count != n {
			return fmt.Errorf("--shard %s does not match shard count %d", v.st.s, n)
		}
		return nil
	}
	env, ok := os.LookupEnv(shardIndexEnv)
	if !ok {
		return fmt.Errorf("%s is not set: give the shard with --shard I/N", shardIndexEnv)
	}
	index, err := strconv.Atoi(env)
	if err != nil {
		return fmt.Errorf("%s=%q is not a shard index", shardIndexEnv, env)
	}
	sh, err := input.NewShard(index, n)
	if err != nil {
		return fmt.Errorf("%s=%s: %w", shardIndexEnv, env, err)
	}
	*v.st.s = sh
	return nil
}
