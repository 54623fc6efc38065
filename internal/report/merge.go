package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/smarthook/smarthook/internal/exit"
	"github.com/smarthook/smarthook/internal/input"
	"github.com/smarthook/smarthook/internal/replay"
)

// MergeOptions are what `smarthook report merge` reads and where it writes.
type MergeOptions struct {
	Paths []string  // files holding reports; "-" for stdin
	Stdin io.Reader // read for "-"
	Out   io.Writer // the lines that are not reports, then the merged report
	Err   io.Writer // warnings
}

// found is one report line and where it came from.
type found struct {
	kind  string
	shard string
	raw   []byte
	where string
}

// Merge reads the files of opts.Paths line by line. Lines that are reports (JSON
// objects with a "report" member: validate, convert or replay) are added up; every
// other line (validate's findings, which --report json writes before its report) is
// copied to Out as it is, in the files' order; the merged report comes last.
func Merge(opts MergeOptions) error {
	var reports []found
	for _, p := range opts.Paths {
		got, err := scanFile(p, opts.Stdin, opts.Out)
		if err != nil {
			return err
		}
		reports = append(reports, got...)
	}
	if len(reports) == 0 {
		return exit.Usagef("no report in %s: write them with --report json", strings.Join(opts.Paths, ", "))
	}
	kind := reports[0].kind
	for _, r := range reports[1:] {
		if r.kind != kind {
			return exit.Usagef("%s is a %s report, %s a %s report: they do not add up", reports[0].where, kind, r.where, r.kind)
		}
	}
	full, err := checkShards(reports, opts.Err)
	if err != nil {
		return err
	}
	var merged any
	switch kind {
	case KindValidate:
		merged, err = mergeValidate(reports, full)
	case KindConvert:
		merged, err = mergeConvert(reports, full)
	default:
		merged, err = mergeReplay(reports)
	}
	if err != nil {
		return err
	}
	return Write(opts.Out, merged)
}

// scanFile copies the lines of path that are not reports to out and returns the reports.
func scanFile(path string, stdin io.Reader, out io.Writer) ([]found, error) {
	var r io.Reader = stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return nil, exit.Usagef("read %s: %v", path, err)
		}
		defer f.Close()
		r = f
	}
	br := bufio.NewReaderSize(r, 64<<10)
	var reports []found
	for n := 1; ; n++ {
		line, err := br.ReadBytes('\n')
		if len(line) > 0 {
			if kind, shard, ok := reportLine(line); ok {
				reports = append(reports, found{kind, shard, bytes.Clone(line), path + ":" + strconv.Itoa(n)})
			} else if _, werr := out.Write(line); werr != nil {
				return nil, werr
			}
		}
		if errors.Is(err, io.EOF) {
			return reports, nil
		}
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", path, err)
		}
	}
}

// reportLine tells a report line: a JSON object whose "report" member names a kind.
func reportLine(line []byte) (kind, shard string, ok bool) {
	t := bytes.TrimSpace(line)
	if len(t) == 0 || t[0] != '{' || !bytes.Contains(t, []byte(`"report"`)) {
		return "", "", false
	}
	var head struct {
		Report string `json:"report"`
		Shard  string `json:"shard"`
	}
	if json.Unmarshal(t, &head) != nil {
		return "", "", false
	}
	switch head.Report {
	case KindValidate, KindConvert, KindReplay:
		return head.Report, head.Shard, true
	}
	return "", "", false
}

// checkShards refuses a shard given twice and warns about missing ones. It returns,
// for each shard count, whether all its shards are there.
func checkShards(reports []found, warn io.Writer) (map[int]bool, error) {
	seen := map[string]string{}
	have := map[int][]int{}
	for _, r := range reports {
		if r.shard == "" {
			continue
		}
		if prev, ok := seen[r.shard]; ok {
			return nil, exit.Usagef("shard %s twice (%s and %s): its documents would count twice", r.shard, prev, r.where)
		}
		seen[r.shard] = r.where
		s, err := input.ParseShard(r.shard)
		if err != nil {
			return nil, exit.Usagef("%s: %v", r.where, err)
		}
		have[s.Count] = append(have[s.Count], s.Index)
	}
	full := map[int]bool{}
	for count, idx := range have {
		var missing []string
		for i := range count {
			if !slices.Contains(idx, i) {
				missing = append(missing, fmt.Sprintf("%d/%d", i, count))
			}
		}
		full[count] = len(missing) == 0
		if len(missing) > 0 && warn != nil {
			fmt.Fprintf(warn, "smarthook report merge: warning: shard %s missing: the totals cover part of the input\n", strings.Join(missing, ", "))
		}
	}
	return full, nil
}

// perInput adds up a count that every shard of a run reports whole (files read, paths
// that could not be opened: each shard reads all the inputs): once per shard count,
// summed over unsharded reports.
type perInput struct {
	sum    int
	shards map[int]int
}

func (p *perInput) add(shard string, n int) {
	if shard == "" {
		p.sum += n
		return
	}
	s, _ := input.ParseShard(shard)
	if p.shards == nil {
		p.shards = map[int]int{}
	}
	p.shards[s.Count] = max(p.shards[s.Count], n)
}

func (p *perInput) total() int {
	n := p.sum
	for _, v := range p.shards {
		n += v
	}
	return n
}

func decode[T any](r found) (T, error) {
	var v T
	if err := json.Unmarshal(r.raw, &v); err != nil {
		return v, exit.Usagef("%s: %v", r.where, err)
	}
	return v, nil
}

func addKinds(dst, src map[string]int) {
	for k, n := range src {
		dst[k] += n
	}
}

func mergeReplay(reports []found) (*replay.Report, error) {
	reps := make([]*replay.Report, len(reports))
	for i, r := range reports {
		rep, err := decode[replay.Report](r)
		if err != nil {
			return nil, err
		}
		reps[i] = &rep
	}
	out, err := replay.MergeReports(reps)
	if err != nil {
		return nil, exit.Usagef("%v", err)
	}
	return out, nil
}
