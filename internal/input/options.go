package input

import (
	"io"
	"os"
)

// Options tune Read.
type Options struct {
	Stdin     io.Reader // read for "-"; nil means os.Stdin
	BlockSize int       // bytes a batch aims at; 0 means 1 MiB
	FilesPer  int       // .json files a batch holds; 0 means 64

	// MaxDocSize refuses documents longer than this many bytes, with a finding, before
	// more is buffered: a decompression bomb or /dev/zero cannot exhaust memory.
	// 0 means DefaultMaxDocSize; NoLimit (or any negative) means none.
	MaxDocSize int64
	// MaxMemberSize stops reading a compressed file or archive member that expands
	// past this many bytes. 0 means DefaultMaxMemberSize; negative means none.
	MaxMemberSize int64
	// SplitArrays reads a top-level array element by element, each element a document
	// (how exports store many payloads). Off, an array is one document (jq's meaning).
	SplitArrays bool
	// MaxArchiveDepth is how deep archives inside archives are read; deeper ones are
	// reported as skipped. 0 means 2.
	MaxArchiveDepth int
	// Notices, when set, receives how inputs are read (a top-level array split, a
	// .json holding several documents) and, at the end, that no document was read.
	// Run writes to it from the goroutine that calls emit, never at the same time.
	Notices io.Writer
	// Command names the command in notices ("smarthook validate: ...").
	Command string
	// FailEmpty makes Run return ErrNoDocuments when no document was read.
	FailEmpty bool
	// BoundOutput makes Run hand a batch to work and emit in parts when its documents
	// could make a large output (pretty, query): long or deeply nested documents.
	BoundOutput bool
	// LateSeveral leaves a plain .json file whole, without looking for several documents
	// in it, to its work, which calls Batch.Split on it first and again when it finds
	// it broken: a file of one object, what nearly every file holds, is then scanned
	// once, by its decoder. Without it (and with Shard on), Load looks first.
	LateSeveral bool
	// Shard keeps only the documents of one shard (see Shard): the others are dropped
	// when a batch is loaded and counted in Batch.Dropped.
	Shard Shard
	// S3Endpoint overrides the address of the object storage that s3:// inputs are
	// read from ("" for AWS_ENDPOINT_URL or AWS's own).
	S3Endpoint string
}

// The limits' defaults.
const (
	DefaultMaxDocSize    = 512 << 20
	DefaultMaxMemberSize = 4 << 30
	NoLimit              = -1
)

// loadLimit is the size up to which a plain .json file is loaded whole by a worker:
// a batch, or less under --max-doc-size, since only the streamed way applies that
// limit. A larger file is streamed. Used once normalized.
func (o *Options) loadLimit() int {
	if o.MaxDocSize > 0 && o.MaxDocSize < int64(o.BlockSize) {
		return int(o.MaxDocSize)
	}
	return o.BlockSize
}

// normalize fills in the defaults.
func (o *Options) normalize() {
	if o.Stdin == nil {
		o.Stdin = os.Stdin
	}
	if o.BlockSize <= 0 {
		o.BlockSize = 1 << 20
	}
	if o.FilesPer <= 0 {
		o.FilesPer = 64
	}
	switch {
	case o.MaxDocSize == 0:
		o.MaxDocSize = DefaultMaxDocSize
	case o.MaxDocSize < 0:
		o.MaxDocSize = 0
	}
	switch {
	case o.MaxMemberSize == 0:
		o.MaxMemberSize = DefaultMaxMemberSize
	case o.MaxMemberSize < 0:
		o.MaxMemberSize = 0
	}
	if o.MaxArchiveDepth <= 0 {
		o.MaxArchiveDepth = 2
	}
}
